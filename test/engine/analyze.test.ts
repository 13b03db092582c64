import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding, Language } from '../../src/domain/finding.js';
import { PARSE_ERROR_RULE, analyzeSource } from '../../src/engine/analyze.js';
import { applyEdits } from '../../src/engine/fixer.js';
import { loadRules } from '../../src/engine/rules.js';
import type { RuleSet } from '../../src/engine/rules.js';

let rules: RuleSet;
beforeAll(async () => {
  rules = await loadRules();
});

function findings(text: string, file = 'src/a.js', language: Language = 'javascript'): Finding[] {
  return analyzeSource({ text, file, language, rules }).findings;
}

function only(text: string, ruleId: string, file = 'src/a.js'): Finding[] {
  return findings(text, file).filter((f) => f.ruleId === ruleId);
}

function single(text: string, ruleId: string, file = 'src/a.js'): Finding {
  const matches = only(text, ruleId, file);
  expect(matches).toHaveLength(1);
  const [finding] = matches;
  if (!finding) throw new Error('unreachable');
  return finding;
}

describe('shape and fingerprints (via analyzeSource)', () => {
  it.each([
    { name: 'local names', a: 'eval(userInput);\n', b: 'eval(x);\n' },
    { name: 'literals', a: "eval(code + 'a');\n", b: 'eval(other + "something else");\n' },
    { name: 'numbers and names', a: 'eval(a[0]);\n', b: 'eval(list[42]);\n' },
  ])('gives matches differing only in $name the same pattern fingerprint', ({ a, b }) => {
    const first = single(a, 'js/no-eval');
    const second = single(b, 'js/no-eval');
    expect(first.shape).toMatch(/^eval \( .*\$(ID|STR|NUM)/);
    expect(first.shape).toBe(second.shape);
    expect(first.patternFingerprint).toBe(second.patternFingerprint);
    // ...but they are different issues.
    expect(first.fingerprint).not.toBe(second.fingerprint);
  });

  it('keeps API names (properties, objects of member access) concrete in the shape', () => {
    const inner = single('el.innerHTML = html;\n', 'js/no-inner-html');
    const otherValue = single('el.innerHTML = markup;\n', 'js/no-inner-html');
    const outer = single('el.outerHTML = html;\n', 'js/no-inner-html');
    const otherObject = single('node.innerHTML = html;\n', 'js/no-inner-html');
    expect(inner.shape).toBe('el . innerHTML = $ID');
    expect(inner.patternFingerprint).toBe(otherValue.patternFingerprint);
    expect(inner.patternFingerprint).not.toBe(outer.patternFingerprint);
    expect(inner.patternFingerprint).not.toBe(otherObject.patternFingerprint);
  });

  it('gives structurally different matches different pattern fingerprints', () => {
    const plain = single('eval(x);\n', 'js/no-eval');
    expect(plain.shape).toBe('eval ( $ID )');
    const concatenated = single("eval(x + 'y');\n", 'js/no-eval');
    expect(plain.patternFingerprint).not.toBe(concatenated.patternFingerprint);
  });

  it('gives the same code in different files different issue fingerprints but one pattern fingerprint', () => {
    const a = single('eval(x);\n', 'js/no-eval', 'src/a.js');
    const b = single('eval(x);\n', 'js/no-eval', 'src/b.js');
    expect(a.fingerprint).not.toBe(b.fingerprint);
    expect(a.patternFingerprint).toBe(b.patternFingerprint);
  });

  it('keeps the issue fingerprint when lines are inserted above the finding', () => {
    const before = single('function f(x) {\n  return eval(x);\n}\n', 'js/no-eval');
    const after = single('// a comment\nconst unrelated = 1;\n\nfunction f(x) {\n  return eval(x);\n}\n', 'js/no-eval');
    expect(after.range.startLine).toBe(before.range.startLine + 3);
    expect(after.fingerprint).toBe(before.fingerprint);
  });

  it('keeps the issue fingerprint when only white space and comments inside the match change', () => {
    const compact = single('eval(x+y);\n', 'js/no-eval');
    const spaced = single('eval( x /* why */ +\n  y );\n', 'js/no-eval');
    expect(spaced.fingerprint).toBe(compact.fingerprint);
  });

  it('gives a second identical occurrence a different fingerprint and keeps the first one stable', () => {
    const alone = single('eval(x);\n', 'js/no-eval');
    const twice = only('eval(x);\nfoo();\neval(x);\n', 'js/no-eval');
    expect(twice).toHaveLength(2);
    expect(twice[0]?.fingerprint).toBe(alone.fingerprint);
    expect(twice[1]?.fingerprint).not.toBe(twice[0]?.fingerprint);
    expect(twice[1]?.patternFingerprint).toBe(twice[0]?.patternFingerprint);
  });

  it('lists findings in source order with 0-based ranges and the matched snippet', () => {
    const text = 'debugger;\nconst a = eval(x);\n';
    const result = findings(text);
    expect(result.map((f) => f.ruleId)).toEqual(['js/no-debugger', 'js/no-eval']);
    const evalFinding = result[1];
    expect(evalFinding?.range).toMatchObject({ startLine: 1, startColumn: 10, endLine: 1, endColumn: 17 });
    expect(evalFinding?.snippet).toBe('eval(x)');
    expect(text.slice(evalFinding?.range.startOffset, evalFinding?.range.endOffset)).toBe('eval(x)');
    expect(evalFinding?.bindings).toEqual({ CODE: 'x' });
  });
});

describe('parse errors (via analyzeSource)', () => {
  it.each([
    { name: 'a missing parenthesis', text: 'foo(1;\n' },
    { name: 'an unexpected token', text: 'let x = ;\n' },
    { name: 'several problems', text: 'let = ;\nif (a {\nfunction (\n' },
    { name: 'pure garbage', text: '}}}{{{ ))) @@@ \u0000' },
  ])('reports $name as exactly one parse-error finding without throwing', ({ text }) => {
    const result = analyzeSource({ text, file: 'broken.js', language: 'javascript', rules });
    expect(result.syntaxProblems.length).toBeGreaterThan(0);
    const parseErrors = result.findings.filter((f) => f.ruleId === PARSE_ERROR_RULE);
    expect(parseErrors).toHaveLength(1);
    expect(parseErrors[0]?.templateFix).toBeNull();
    expect(parseErrors[0]?.file).toBe('broken.js');
  });

  it('reports a missing ) as missing, with where it was expected', () => {
    const result = analyzeSource({ text: 'const x = (1 + 2;\n', file: 'a.js', language: 'javascript', rules });
    expect(result.syntaxProblems).toHaveLength(1);
    expect(result.syntaxProblems[0]).toMatchObject({ kind: 'missing', expected: ')' });
    expect(result.syntaxProblems[0]?.range).toMatchObject({ startLine: 0, startColumn: 16, startOffset: 16, endOffset: 16 });
    const [finding] = result.findings;
    expect(finding?.ruleId).toBe(PARSE_ERROR_RULE);
    expect(finding?.message).toContain('missing ")"');
    expect(finding?.message).toContain('line 1, column 17');
  });

  it('reports an unexpected token as an error problem', () => {
    const result = analyzeSource({ text: 'let x = ;\n', file: 'a.js', language: 'javascript', rules });
    expect(result.syntaxProblems.map((p) => p.kind)).toEqual(['error']);
  });

  it('reports the parse error alone when the TypeScript compiler rejects the file too: it cannot run', () => {
    const result = analyzeSource({ text: 'eval(x);\nlet = ;\n', file: 'a.js', language: 'javascript', rules });
    expect(result.findings.map((f) => f.ruleId)).toEqual([PARSE_ERROR_RULE]);
    expect(result.findings[0]?.message).toContain('no other rule ran on the file');
    expect(result.moduleFacts).toEqual({ sinks: [], calls: [] });
  });

  it('still runs the rules on the parts that parse where no parser of the language confirms the error in the analysis', () => {
    const ids = analyzeSource({ text: 'eval(x)\ndef f(:\n', file: 'a.py', language: 'python', rules }).findings.map((f) => f.ruleId);
    expect(ids).toContain(PARSE_ERROR_RULE);
    expect(ids).toContain('py/no-eval');
  });

  it.each([
    { name: 'statements without semicolons', text: 'foo()\nbar()\nconst a = 1\n', language: 'javascript' as const },
    { name: 'an empty file', text: '', language: 'javascript' as const },
    { name: 'TypeScript types', text: 'const a: Map<string, number[]> = new Map();\n', language: 'typescript' as const },
    { name: 'TSX', text: 'const el = <div className="x">{a}</div>;\n', language: 'tsx' as const },
  ])('reports no syntax problem for valid code: $name', ({ text, language }) => {
    const result = analyzeSource({ text, file: 'a', language, rules });
    expect(result.syntaxProblems).toEqual([]);
    expect(result.findings.filter((f) => f.ruleId === PARSE_ERROR_RULE)).toEqual([]);
  });
});

describe('deletion fixes (via analyzeSource)', () => {
  it.each([
    { name: 'an indented line', text: 'function f() {\n  debugger;\n  go();\n}\n', expected: 'function f() {\n  go();\n}\n' },
    { name: 'a CRLF line', text: 'a();\r\n  debugger;\r\nb();\r\n', expected: 'a();\r\nb();\r\n' },
    { name: 'the last line without a newline', text: 'a();\ndebugger;', expected: 'a();\n' },
    { name: 'a statement sharing its line', text: 'a(); debugger; b();\n', expected: 'a();  b();\n' },
  ])('removes $name', ({ text, expected }) => {
    const finding = single(text, 'js/no-debugger');
    expect(applyEdits(text, finding.templateFix?.edits ?? [])).toBe(expected);
  });
});
