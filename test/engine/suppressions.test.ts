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

describe("other tools' suppressions", () => {
  const js = (code: string): string[] => ruleIds(code).filter((id) => !id.endsWith('js/no-var'));

  it.each([
    { name: 'eslint-disable-next-line with the equivalent rule', code: 'async function f(xs) {\n  for (const x of xs) {\n    // eslint-disable-next-line no-await-in-loop\n    await g(x);\n  }\n}\n', expected: [] },
    { name: 'eslint-disable-next-line of another rule', code: 'async function f(xs) {\n  for (const x of xs) {\n    // eslint-disable-next-line no-console\n    await g(x);\n  }\n}\n', expected: ['4:js/no-await-in-loop'] },
    { name: 'bare eslint-disable-next-line: every rule', code: '// eslint-disable-next-line\neval(x);\n', expected: [] },
    { name: 'eslint-disable-line with a description', code: 'eval(x); // eslint-disable-line no-eval -- trusted template\n', expected: [] },
    { name: 'eslint-disable-line of a renamed rule', code: 'const f = new Function(src); /* eslint-disable-line no-new-func */\n', expected: [] },
    { name: 'a broader rule covers ours (no-empty: empty catch)', code: 'try { f(); } catch (e) {} // eslint-disable-line no-empty\n', expected: [] },
    { name: 'an unknown name suppresses nothing', code: 'eval(x); // eslint-disable-line my-plugin/whatever\n', expected: ['1:js/no-eval'] },
    { name: 'block disable to enable', code: '/* eslint-disable no-eval */\neval(a);\neval(b);\n/* eslint-enable no-eval */\neval(c);\n', expected: ['5:js/no-eval'] },
    { name: 'block disable to the end of the file', code: 'eval(a);\n/* eslint-disable */\neval(b);\neval(c);\n', expected: ['1:js/no-eval'] },
    { name: 'bare enable closes named blocks', code: '/* eslint-disable no-eval, no-debugger */\neval(a);\ndebugger;\n/* eslint-enable */\neval(b);\ndebugger;\n', expected: ['5:js/no-eval', '6:js/no-debugger'] },
    { name: 'enable of one rule keeps the others', code: '/* eslint-disable no-eval, no-debugger */\n/* eslint-enable no-eval */\neval(b);\ndebugger;\n', expected: ['3:js/no-eval'] },
    { name: 'a line comment is not a block disable (ESLint reads block comments only)', code: '// eslint-disable no-eval\neval(a);\n', expected: ['2:js/no-eval'] },
    { name: 'configuration comment turns a rule off in the file', code: 'try { f(); } catch (e) {}\n/* eslint no-empty: 0, quotes: [2, "double"] */\ntry { g(); } catch (e) {}\n', expected: [] },
    { name: 'configuration comment with "off" in an array', code: '/* eslint "no-eval": ["off"] */\neval(a);\n', expected: [] },
    { name: 'configuration comment turning a rule on', code: '/* eslint no-eval: 2 */\neval(a);\n', expected: ['2:js/no-eval'] },
    { name: 'nosemgrep without id: security findings of the line', code: 'eval(a); // nosemgrep\n', expected: [] },
    { name: 'nosemgrep on the line before', code: '// nosemgrep\neval(a);\neval(b);\n', expected: ['3:js/no-eval'] },
    { name: 'nosemgrep does not cover bugs', code: 'if (x == null) {} // nosemgrep\ndebugger; // nosemgrep\n', expected: ['2:js/no-debugger'] },
    { name: 'nosemgrep with a foreign id suppresses nothing', code: 'eval(a); // nosemgrep: javascript.lang.security.audit.eval-detected\n', expected: ['1:js/no-eval'] },
    { name: 'oxlint-disable-next-line', code: '// oxlint-disable-next-line no-debugger\ndebugger;\ndebugger;\n', expected: ['3:js/no-debugger'] },
    { name: "oxlint-disable-line with oxlint's plugin prefix", code: 'debugger; // oxlint-disable-line eslint/no-debugger\n', expected: [] },
    { name: 'oxlint block from a line comment to its enable', code: '// oxlint-disable no-debugger\ndebugger;\n// oxlint-enable no-debugger\ndebugger;\n', expected: ['4:js/no-debugger'] },
    { name: "an oxlint enable leaves ESLint's block open", code: '/* eslint-disable no-debugger */\n// oxlint-enable\ndebugger;\n', expected: [] },
    { name: 'eslint text in a string is not a comment', code: 'const s = "// eslint-disable-next-line";\neval(x);\n', expected: ['2:js/no-eval'] },
  ])('JavaScript: $name', ({ code, expected }) => {
    expect(js(code)).toEqual(expected);
  });

  it("typescript-eslint 8's no-empty-object-type covers empty interfaces (it replaced no-empty-interface)", () => {
    const code = '// eslint-disable-next-line @typescript-eslint/no-empty-object-type\ninterface A {}\ninterface B {}\n';
    expect(ruleIds(code, 'typescript')).toEqual(['3:js/no-empty-interface']);
  });

  it("typescript-eslint's no-misused-promises covers an async forEach callback", () => {
    const code = '// eslint-disable-next-line @typescript-eslint/no-misused-promises\nitems.forEach(async (item) => { await save(item); });\nitems.forEach(async (item) => { await save(item); });\n';
    expect(ruleIds(code, 'typescript')).toEqual(['3:js/no-async-foreach']);
  });

  it('needs no reason: no suppression-without-reason finding for ESLint comments', () => {
    expect(js('// eslint-disable-next-line no-eval\neval(x);\n')).toEqual([]);
  });

  it.each([
    { name: 'bare noqa: every rule of the line', code: 'x = eval(src)  # noqa\ny = eval(src)\n', expected: ['2:py/no-eval'] },
    { name: 'ruff: noqa exempts the whole file', code: '# ruff: noqa\ntry:\n    f()\nexcept:\n    pass\n', expected: [] },
    { name: 'ruff: noqa with codes exempts those rules in the file', code: '# ruff: noqa: E722\ntry:\n    f()\nexcept:\n    pass\nx = eval(src)\n', expected: ['6:py/no-eval'] },
    { name: 'flake8: noqa exempts the whole file', code: 'x = eval(src)\n# flake8: noqa\n', expected: [] },
    { name: 'noqa with the Ruff code of the rule', code: 'x = eval(src)  # noqa: S307\n', expected: [] },
    { name: 'noqa with another code', code: 'x = eval(src)  # noqa: E501\n', expected: ['1:py/no-eval'] },
    { name: 'noqa with a flake8 code', code: 'try:\n    f()\nexcept:  # noqa: E722\n    pass\n', expected: [] },
    { name: 'noqa with an unrelated flake8 code', code: 'try:\n    f()\nexcept:  # noqa: E501\n    pass\n', expected: ['3:py/no-bare-except'] },
    { name: 'bare nosec: security findings', code: 'x = eval(src)  # nosec\n', expected: [] },
    { name: 'nosec with the bandit test id', code: 'import os\nos.system("ls " + d)  # nosec B605\n', expected: [] },
    { name: 'nosec with another test id', code: 'import os\nos.system("ls " + d)  # nosec B101\n', expected: ['2:py/no-os-system'] },
    { name: 'nosec after a type comment', code: 'x = eval(src)  # type: ignore # nosec\n', expected: [] },
    { name: 'pylint disable at the end of the line', code: 'try:\n    f()\nexcept:  # pylint: disable=bare-except\n    pass\ntry:\n    g()\nexcept:\n    pass\n', expected: ['7:py/no-bare-except'] },
    { name: 'pylint disable by message id, among others', code: 'x = eval(src)  # pylint: disable=invalid-name,W0123\n', expected: [] },
    { name: 'pylint disable of another message', code: 'x = eval(src)  # pylint: disable=invalid-name\n', expected: ['1:py/no-eval'] },
    {
      name: 'pylint disable on its own line covers the rest of its block',
      code: 'def f():\n    try:\n        x()\n    # pylint: disable=bare-except\n    except:\n        pass\n    try:\n        y()\n    except:\n        pass\n',
      expected: ['9:py/no-bare-except'],
    },
    { name: 'pylint disable at module level covers the rest of the file', code: 'a = eval(s)\n# pylint: disable=eval-used\nb = eval(s)\nc = eval(s)\n', expected: ['1:py/no-eval'] },
    { name: 'pylint disable-next covers the next line only', code: '# pylint: disable-next=eval-used\na = eval(s)\nb = eval(s)\n', expected: ['3:py/no-eval'] },
    { name: 'pylint skip-file', code: '# pylint: skip-file\na = eval(s)\n', expected: [] },
  ])('Python: $name', ({ code, expected }) => {
    expect(ruleIds(code, 'python')).toEqual(expected);
  });

  const goFile = (body: string): string => `package main\n\nimport "os/exec"\n\nfunc f(l string) {\n${body}}\n`;
  it.each([
    { name: 'bare nolint', code: goFile('\texec.Command("sh", "-c", l).Run() //nolint\n'), expected: [] },
    { name: 'nolint:gosec covers security rules', code: goFile('\texec.Command("sh", "-c", l).Run() //nolint:gosec // operator tool\n'), expected: [] },
    { name: 'nolint of another linter', code: goFile('\texec.Command("sh", "-c", l).Run() //nolint:errcheck\n'), expected: ['6:go/no-shell-exec'] },
    { name: 'nolint on its own line covers the statement after it', code: goFile('\t//nolint:gosec\n\texec.Command(\n\t\t"sh", "-c", l).Run()\n\texec.Command("sh", "-c", l).Run()\n'), expected: ['9:go/no-shell-exec'] },
    { name: "gosec's #nosec with its rule id", code: goFile('\texec.Command("sh", "-c", l).Run() // #nosec G204\n'), expected: [] },
  ])('Go: $name', ({ code, expected }) => {
    expect(ruleIds(code, 'go')).toEqual(expected);
  });

  it.each([
    { name: '"all" on the method', code: 'class A {\n  @SuppressWarnings("all")\n  void f(String s) throws Exception {\n    Runtime.getRuntime().exec(s);\n  }\n  void g(String s) throws Exception {\n    Runtime.getRuntime().exec(s);\n  }\n}\n', expected: ['7:java/no-runtime-exec'] },
    { name: 'a known inspection name in a list', code: 'class A {\n  @SuppressWarnings({"unchecked", "EmptyCatchBlock"})\n  void f() {\n    try { g(); } catch (Exception e) {}\n  }\n}\n', expected: [] },
    { name: 'an unrelated name', code: 'class A {\n  @SuppressWarnings("unchecked")\n  void f() {\n    try { g(); } catch (Exception e) {}\n  }\n}\n', expected: ['4:java/no-empty-catch'] },
  ])('Java: $name', ({ code, expected }) => {
    expect(ruleIds(code, 'java')).toEqual(expected);
  });
});

describe('.roach.yml respect.inlineSuppressions: false', () => {
  it("ignores other tools' comments but still honours roach-ignore", async () => {
    const strict = await loadRules({ otherToolSuppressions: false });
    const ids = (text: string): string[] => analyzeSource({ text, file: 'a', language: 'javascript', rules: strict }).findings.map((f) => `${f.range.startLine + 1}:${f.ruleId}`);
    expect(ids('eval(a); // eslint-disable-line no-eval\n')).toEqual(['1:js/no-eval']);
    expect(ids('eval(a); // roach-ignore js/no-eval -- trusted\n')).toEqual([]);
  });
});
