import { beforeAll, describe, expect, it } from 'vitest';
import type { Language } from '../../src/domain/finding.js';
import { analyzeSource } from '../../src/engine/analyze.js';
import { loadRules } from '../../src/engine/rules.js';
import type { RuleSet } from '../../src/engine/rules.js';
import { SUPPRESSION_RULE } from '../../src/engine/suppressions.js';

let rules: RuleSet;
beforeAll(async () => {
  rules = await loadRules();
});

const ruleIds = (text: string, language: Language = 'javascript'): string[] =>
  analyzeSource({ text, file: 'a', language, rules }).findings.map((f) => `${f.range.startLine + 1}:${f.ruleId}`);

describe('inline suppressions', () => {
  it.each([
    { name: 'next line, with reason', code: '// roach-ignore-next-line js/no-eval -- input is a constant table\neval(x);\n', expected: [] },
    { name: 'same line', code: 'eval(x); // roach-ignore js/no-eval -- test fixture\n', expected: [] },
    { name: 'every rule when none is named', code: '/* roach-ignore-next-line -- generated code */\neval(x);\n', expected: [] },
    { name: 'another rule named: still reported', code: '// roach-ignore-next-line js/no-var -- nope\neval(x);\n', expected: ['2:js/no-eval'] },
    { name: 'only the next line', code: '// roach-ignore-next-line js/no-eval -- one\neval(a);\neval(b);\n', expected: ['3:js/no-eval'] },
    { name: 'several rules', code: '// roach-ignore-next-line js/no-var, js/no-eval -- legacy\nvar y = eval(x);\n', expected: [] },
    {
      name: 'no reason: honoured but reported',
      code: '// roach-ignore-next-line js/no-eval\neval(x);\n',
      expected: [`1:${SUPPRESSION_RULE}`],
    },
    { name: 'text in a string is not a comment', code: 'const s = "// roach-ignore-next-line js/no-eval -- x";\neval(x);\n', expected: ['2:js/no-eval'] },
  ])('JavaScript: $name', ({ code, expected }) => {
    expect(ruleIds(code).filter((id) => !id.endsWith('js/no-var'))).toEqual(expected);
  });

  it.each([
    { language: 'python' as const, code: '# roach-ignore-next-line py/no-eval -- sandboxed\nx = eval(src)\ny = eval(src)\n', expected: ['3:py/no-eval'] },
    {
      language: 'go' as const,
      code: 'package main\n\nfunc f(l string) {\n\t// roach-ignore-next-line go/no-shell-exec -- operator-only tool\n\texec.Command("sh", "-c", l).Run()\n}\n',
      expected: [],
    },
    {
      language: 'java' as const,
      code: 'class A {\n  void f(String s) throws Exception {\n    Runtime.getRuntime().exec(s); // roach-ignore java/no-runtime-exec -- admin console\n  }\n}\n',
      expected: [],
    },
  ])('$language comments', ({ language, code, expected }) => {
    expect(ruleIds(code, language)).toEqual(expected);
  });
});
