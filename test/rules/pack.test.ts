import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderRuleDocs } from '../../src/engine/rule-docs.js';
import { REPO_ROOT } from '../helpers/project.js';
import { loadRules } from '../../src/engine/rules.js';
import { runRuleTests } from '../../src/engine/rule-tests.js';

const rules = await loadRules();

describe('built-in rule pack', () => {
  it.each([
    ['javascript', 120],
    ['python', 40],
    ['go', 20],
    ['java', 20],
  ] as const)('has at least the floor of rules for %s (%i)', (language, floor) => {
    expect(rules.forLanguage(language).length).toBeGreaterThanOrEqual(floor);
  });

  it('documents every rule, and gives every security rule a CWE', () => {
    for (const rule of rules.rules) {
      const { doc, id } = rule.definition;
      expect(doc.rationale.length, id).toBeGreaterThan(10);
      if (rule.definition.category === 'security') expect(rule.definition.cwe, `${id} is a security rule without CWE`).toBeDefined();
    }
  });

  // A security or performance rule's severity assumes production code; each one says what it is worth in tests.
  it('declares inTests for every security and performance rule', () => {
    const undeclared = rules.rules.filter((rule) => ['security', 'performance'].includes(rule.definition.category) && rule.definition.inTests === undefined);
    expect(undeclared.map((rule) => rule.definition.id)).toEqual([]);
  });

  it('is documented in docs/rules.md exactly as generated from the rule files', async () => {
    const committed = await readFile(path.join(REPO_ROOT, 'docs', 'rules.md'), 'utf8');
    // Regenerate with: node bin/roach.js rules docs --write docs/rules.md
    expect(committed).toBe(renderRuleDocs(rules));
  });

  // Every rule's own cases must come out Validated: Noisy, Missing, Wrong and Error fail the build,
  // and so does a rule without a test file. Invalid cases state each finding's position, and the
  // documented examples published in docs/rules.md are cases too: the bad one reported, the good one not.
  it.each(rules.rules.map((rule) => [rule.definition.id, rule] as const))('%s passes its test cases and its documented examples', async (_id, rule) => {
    const results = await runRuleTests(rule);
    const failures = results.filter((result) => result.outcome !== 'Validated').map((r) => `${r.outcome} ${r.kind}#${r.index}: ${r.detail}`);
    expect(failures).toEqual([]);
    expect(results.filter((r) => r.kind === 'valid').length).toBeGreaterThanOrEqual(1);
    expect(results.filter((r) => r.kind === 'invalid').length).toBeGreaterThanOrEqual(1);
    expect(results.filter((r) => r.kind.startsWith('doc.')).map((r) => r.kind)).toEqual(['doc.bad', 'doc.good']);
  });
});
