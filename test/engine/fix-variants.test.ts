import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeSource } from '../../src/engine/analyze.js';
import { applyEdits } from '../../src/engine/fixer.js';
import { loadRuleFile, ruleSetOf } from '../../src/engine/rules.js';
import type { RuleSet } from '../../src/engine/rules.js';
import { cleanupTemp, tempDir } from '../helpers/project.js';

afterAll(cleanupTemp);

// One rule, three shapes of its match: each variant's `when` picks the spelling; none matching: the base.
const RULE = `id: java/secure-random
languages: [java]
severity: high
category: security
message: Predictable random.
doc: { rationale: Predictable., bad: x, good: y }
rule:
  any:
    - pattern: Math.random()
    - pattern: new Random()
    - pattern: new Random($SEED)
utils:
  math-random: { pattern: Math.random() }
fix:
  template: new SecureRandom()
  safety: unsafe
  addImport: import java.security.SecureRandom;
  variants:
    - when: { matches: math-random }
      template: new SecureRandom().nextDouble()
    - when: { kind: object_creation_expression, has: { kind: argument_list, has: { kind: identifier } } }
      template: new SecureRandom($SEED)
      safety: safe
      addImport: import java.security.SecureRandom; // seeded
    - when: { kind: object_creation_expression, has: { kind: argument_list, has: { kind: decimal_integer_literal } } }
      template: null
`;

let rules: RuleSet;
beforeAll(async () => {
  const dir = await tempDir('roach-fix-variants-');
  await mkdir(path.join(dir, 'java'), { recursive: true });
  await writeFile(path.join(dir, 'java/secure-random.yml'), RULE);
  rules = ruleSetOf([await loadRuleFile(path.join(dir, 'java/secure-random.yml'), dir)]);
});

function fixOf(body: string): { text: string; safety: string | undefined } {
  const text = `import java.util.Random;\n\nclass A {\n  void f(long s) { ${body}; }\n}\n`;
  const [finding] = analyzeSource({ text, file: 'A.java', language: 'java', rules }).findings;
  const fix = finding?.templateFix;
  return { text: fix ? applyEdits(text, fix.edits) : text, safety: fix?.safety };
}

describe('fix variants', () => {
  it('the first variant whose `when` matches the node gives the template, with the fix own import and safety by default', () => {
    const { text, safety } = fixOf('double d = Math.random()');
    expect(text).toContain('double d = new SecureRandom().nextDouble();');
    expect(text).toContain('import java.util.Random;\nimport java.security.SecureRandom;\n');
    expect(safety).toBe('unsafe');
  });

  it('a variant may set its own safety and import', () => {
    const { text, safety } = fixOf('Random r = new Random(s)');
    expect(text).toContain('Random r = new SecureRandom(s);');
    expect(text).toContain('import java.security.SecureRandom; // seeded\n');
    expect(safety).toBe('safe');
  });

  it('a variant without a template leaves that shape without a fix', () => {
    const text = 'class A {\n  void f() { Random r = new Random(42); }\n}\n';
    const [finding] = analyzeSource({ text, file: 'A.java', language: 'java', rules }).findings;
    expect(finding?.ruleId).toBe('java/secure-random');
    expect(finding?.templateFix).toBeNull();
  });

  it('no variant matching: the base template', () => {
    const { text } = fixOf('Random r = new Random()');
    expect(text).toContain('Random r = new SecureRandom();');
  });
});
