import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeSource } from '../../src/engine/analyze.js';
import { applyEdits } from '../../src/engine/fixer.js';
import { loadRules } from '../../src/engine/rules.js';
import type { RuleSet } from '../../src/engine/rules.js';
import { instantiateTemplate, lineIndent } from '../../src/engine/template.js';

interface FillCase {
  readonly name: string;
  readonly template: string;
  readonly bindings: Readonly<Record<string, string>>;
  readonly expected: string;
}

describe('instantiateTemplate', () => {
  it.each<FillCase>([
    { name: 'single placeholders', template: '$LEFT === $RIGHT', bindings: { LEFT: 'a', RIGHT: 'b.c' }, expected: 'a === b.c' },
    { name: 'a list placeholder', template: 'Buffer.from($$$ARGS)', bindings: { $$ARGS: 'data, "base64"' }, expected: 'Buffer.from(data, "base64")' },
    { name: 'the same placeholder twice', template: '$X + $X', bindings: { X: 'n' }, expected: 'n + n' },
    { name: 'an unknown single name', template: 'f($NOPE)', bindings: { X: 'n' }, expected: 'f()' },
    { name: 'an unknown list name', template: 'f($$$NOPE)', bindings: { NOPE: 'single' }, expected: 'f()' },
    { name: 'a single name that only has a list binding', template: 'f($ARGS)', bindings: { $$ARGS: 'a, b' }, expected: 'f()' },
    { name: 'lower-case dollars are not placeholders', template: '$x + $ + $1', bindings: { x: 'no' }, expected: '$x + $ + $1' },
    { name: 'names with digits and underscores', template: '$A_1($_)', bindings: { A_1: 'fn', _: 'arg' }, expected: 'fn(arg)' },
    { name: 'replacement patterns in bindings stay literal', template: 'f($X)', bindings: { X: "'$&$1$$'" }, expected: "f('$&$1$$')" },
    { name: 'bindings are not expanded again', template: '$X', bindings: { X: '$Y', Y: 'boom' }, expected: '$Y' },
    { name: 'an empty template', template: '', bindings: { X: 'a' }, expected: '' },
  ])('fills $name', ({ template, bindings, expected }) => {
    expect(instantiateTemplate(template, bindings)).toBe(expected);
  });

  it('indents every line of a multi-line template after the first to the given indentation', () => {
    const template = 'if ($COND) {\n  $BODY\n\n}';
    expect(instantiateTemplate(template, { COND: 'ok', BODY: 'run();' }, '    ')).toBe('if (ok) {\n      run();\n\n    }');
  });

  it('leaves a single-line result alone whatever the indentation', () => {
    expect(instantiateTemplate('f($X)', { X: 'a' }, '        ')).toBe('f(a)');
  });

  it('does not indent a multi-line template when no indentation is given', () => {
    expect(instantiateTemplate('a\nb', {}, '')).toBe('a\nb');
  });

  it('does not re-indent a multi-line binding, which already carries its own indentation', () => {
    // The bound text is a slice of the source: its second line is already indented as in the file.
    const bindings = { $$ARGS: 'payload,\n      "base64"' };
    expect(instantiateTemplate('Buffer.from($$$ARGS)', bindings, '    ')).toBe('Buffer.from(payload,\n      "base64")');
  });

  it('indents template lines but not the bound lines in the same result', () => {
    const bindings = { VALUE: '[\n    1,\n  ]' };
    expect(instantiateTemplate('{\n  value: $VALUE,\n}', bindings, '  ')).toBe('{\n    value: [\n    1,\n  ],\n  }');
  });
});

describe('lineIndent', () => {
  it.each([
    { source: 'abc', offset: 1, expected: '' },
    { source: '  abc', offset: 3, expected: '  ' },
    { source: 'x\n\t  y = 1', offset: 6, expected: '\t  ' },
    { source: 'x\n    y', offset: 2, expected: '    ' },
    { source: 'x\r\n  y', offset: 5, expected: '  ' },
  ])('gives the indentation of the line at offset $offset of $source', ({ source, offset, expected }) => {
    expect(lineIndent(source, offset)).toBe(expected);
  });
});

describe('template fixes computed by analyzeSource', () => {
  let rules: RuleSet;
  beforeAll(async () => {
    rules = await loadRules();
  });

  it('keeps the original indentation of a multi-line argument list when rewriting new Buffer(...)', () => {
    const text = 'function f(payload) {\n  return new Buffer(payload,\n    "base64");\n}\n';
    const finding = analyzeSource({ text, file: 'a.js', language: 'javascript', rules }).findings.find((f) => f.ruleId === 'js/no-new-buffer');
    expect(finding?.templateFix).toBeTruthy();
    const fixed = applyEdits(text, finding?.templateFix?.edits ?? []);
    expect(fixed).toBe('function f(payload) {\n  return Buffer.from(payload,\n    "base64");\n}\n');
  });

  it('fills single metavariables of a fix from the match', () => {
    const text = 'if (x === NaN) {}\n';
    const finding = analyzeSource({ text, file: 'a.js', language: 'javascript', rules }).findings.find((f) => f.ruleId === 'js/no-compare-nan');
    expect(finding).toBeDefined();
    expect(applyEdits(text, finding?.templateFix?.edits ?? [])).toBe('if (Number.isNaN(x)) {}\n');
  });
});
