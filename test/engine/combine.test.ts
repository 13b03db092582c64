import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import type { Finding, Language } from '../../src/domain/finding.js';
import { analyzeSource } from '../../src/engine/analyze.js';
import { combinable } from '../../src/engine/combine.js';
import { loadRules, ruleSetOf } from '../../src/engine/rules.js';
import type { CompiledRule } from '../../src/engine/rules.js';
import { testFileOf } from '../../src/engine/rule-tests.js';
import type { RuleTestFile } from '../../src/engine/rule-schema.js';
import { analyzeFiles } from '../../src/crawl/analyze-file.js';

const pack = await loadRules();
const EXTENSION: Record<Language, string> = { javascript: '.js', typescript: '.ts', tsx: '.tsx', python: '.py', go: '.go', java: '.java' };

interface Case {
  readonly rule: CompiledRule;
  readonly language: Language;
  readonly code: string;
}

async function casesOf(rule: CompiledRule): Promise<Case[]> {
  const file = parseYaml(await readFile(testFileOf(rule), 'utf8')) as RuleTestFile;
  return [...file.valid, ...file.invalid].map((c) => ({ rule, language: c.language ?? rule.definition.languages[0] ?? 'javascript', code: c.code }));
}

const cases = (await Promise.all(pack.rules.map(casesOf))).flat();

/** What a finding says, without the parts that depend on the rest of the pack (occurrence order is per rule). */
function essence(finding: Finding): unknown {
  return [finding.ruleId, finding.range, finding.message, finding.bindings, finding.templateFix, finding.fingerprint];
}

function own(findings: readonly Finding[], rule: CompiledRule): unknown[] {
  return findings.filter((f) => f.ruleId === rule.definition.id).map(essence);
}

describe('one combined matching pass for the whole pack', () => {
  it('merges nearly every rule of each language (the rest run alone)', () => {
    for (const language of ['javascript', 'python', 'go', 'java'] as const) {
      const plan = pack.matchPlan(language);
      expect(plan.combined?.members.length ?? 0, language).toBeGreaterThan(pack.forLanguage(language).length * 0.9);
      expect(plan.separate.every((rule) => !combinable(rule))).toBe(true);
    }
  });

  const dirs: string[] = [];
  afterAll(async () => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

  /** Every case written to a file and analyzed with the whole pack, as a crawl does (batch search). */
  async function analyzeCasesAsFiles(): Promise<{ path: string; findings: Finding[] | string }[]> {
    const dir = await mkdtemp(path.join(tmpdir(), 'roach-combine-'));
    dirs.push(dir);
    const tasks = await Promise.all(
      cases.map(async ({ language, code }, index) => {
        const name = `case-${index}${EXTENSION[language]}`;
        await writeFile(path.join(dir, name), code);
        return { path: name, absolutePath: path.join(dir, name), language, previousSha256: null };
      }),
    );
    const outcomes = [];
    for (let i = 0; i < tasks.length; i += 200) outcomes.push(...(await analyzeFiles(tasks.slice(i, i + 200), pack)));
    return outcomes.map((o) => ({ path: o.path, findings: o.status === 'analyzed' ? o.findings : o.status }));
  }

  it('finds in every rule test case, with the whole pack in one batch search, exactly what the rule finds alone', async () => {
    const outcomes = await analyzeCasesAsFiles();
    const differences: string[] = [];
    cases.forEach(({ rule, language, code }, index) => {
      const outcome = outcomes[index]!;
      const alone = analyzeSource({ text: code, file: outcome.path, language, rules: ruleSetOf([rule]) }).findings;
      const together = typeof outcome.findings === 'string' ? [] : outcome.findings;
      if (JSON.stringify(own(alone, rule)) !== JSON.stringify(own(together, rule))) differences.push(`${rule.definition.id}: ${code.slice(0, 60)}`);
    });
    expect(differences).toEqual([]);
  }, 240_000);

  it('finds the same in a text analyzed in memory as in the same text searched as a file', async () => {
    const outcomes = await analyzeCasesAsFiles();
    const differences: string[] = [];
    // A sample: analyzing in memory compiles the whole pack once per text.
    for (let index = 0; index < cases.length; index += 25) {
      const { language, code } = cases[index]!;
      const outcome = outcomes[index]!;
      const expected = analyzeSource({ text: code, file: outcome.path, language, rules: pack }).findings.map(essence);
      const actual = typeof outcome.findings === 'string' ? outcome.findings : outcome.findings.map(essence);
      if (JSON.stringify(actual) !== JSON.stringify(expected)) differences.push(`${outcome.path}: ${code.slice(0, 60)}`);
    }
    expect(differences).toEqual([]);
  }, 240_000);

  it('reports a node once per rule that matches it, and a failed constraint drops only its own rule', () => {
    const rule = (id: string, body: Record<string, unknown>): CompiledRule => ({
      definition: { id, languages: ['javascript'], severity: 'low', category: 'bug', message: id, doc: { rationale: 'r', bad: 'b', good: 'g' }, rule: body.rule as Record<string, unknown>, ...body },
      sourceFile: `${id}.yml`,
      config: { rule: body.rule as never, ...(body.constraints ? { constraints: body.constraints as never } : {}) },
      metavariables: ['A'],
      taint: null,
    });
    const rules = ruleSetOf([
      rule('t/any-call', { rule: { pattern: '$F($A)' } }),
      rule('t/eval', { rule: { pattern: 'eval($A)' } }),
      rule('t/arg-is-y', { rule: { pattern: '$F($A)' }, constraints: { A: { regex: '^y$' } } }),
      rule('t/var', { rule: { regex: '^var$' } }),
    ]);
    const { findings } = analyzeSource({ text: 'var q = eval(x);', file: 'f.js', language: 'javascript', rules });
    expect(findings.map((f) => [f.ruleId, f.snippet, f.bindings['A'] ?? null])).toEqual([
      ['t/var', 'var', null],
      ['t/any-call', 'eval(x)', 'x'],
      ['t/eval', 'eval(x)', 'x'],
    ]);
  });
});
