import { parse } from '@ast-grep/napi';
import { beforeAll, describe, expect, it } from 'vitest';
import { ES5 } from '../../src/domain/es-edition.js';
import type { Language } from '../../src/domain/finding.js';
import { templateFixOf } from '../../src/engine/fix-edits.js';
import { inSemicolonStyle, semicolonStyleOf } from '../../src/engine/fix-style.js';
import type { DeclaredStyle } from '../../src/engine/fix-style.js';
import { jsImportEditOf } from '../../src/engine/js-imports.js';
import { astGrepLang } from '../../src/engine/languages.js';
import { loadRules } from '../../src/engine/rules.js';
import type { CompiledRule } from '../../src/engine/rules.js';

const style = (text: string, language: Language = 'javascript') => semicolonStyleOf(parse(astGrepLang(language), text).root(), language);

describe("the file's semicolon style", () => {
  it.each([
    ['standard style (no semicolons)', "import a from 'a'\nconst b = a()\nexport const c = 1\nfor (let i = 0; i < 2; i++) {\n  b(i)\n}\n", 'never'],
    ['semicolons', "import a from 'a';\nconst b = a();\nexport function f() {}\nf();\nreturnLater();\n", 'always'],
    ['a trailing comment does not end the statement', 'a() // one\nb() // two\nc();\n', 'never'],
    ['mixed: no two-thirds majority', 'a();\nb()\nc();\nd()\n', null],
    ['too few statements to tell', 'a();\nb();\n', null],
  ] as const)('%s', (_name, text, expected) => {
    expect(style(text)).toBe(expected);
  });

  it('TypeScript counts; a language without semicolon choice has none', () => {
    expect(style('let a: number = 1\nconst b = a\nexport { b }\n', 'typescript')).toBe('never');
    expect(style('a = 1\nb = 2\nc = 3\n', 'python')).toBeNull();
  });
});

describe('a fix text ended in a semicolon style', () => {
  it.each([
    ['a statement inside an expression', 'list.map(function (text) { return parseInt(text, 10); })', 'list.map(function (text) { return parseInt(text, 10) })'],
    ['an import line', "import x from 'y';", "import x from 'y'"],
    ['a block, with `;` inside strings kept', "{ return s.replace(/&/g, '&amp;'); }", "{ return s.replace(/&/g, '&amp;') }"],
    ['ASI hazards: the next line starts with ( [ or `', '{\n  a();\n  (b || c)();\n  d();\n  [1].forEach(f);\n  e();\n  `x`.trim();\n}', '{\n  a();\n  (b || c)()\n  d();\n  [1].forEach(f)\n  e();\n  `x`.trim()\n}'],
    ['the next statement on the same line', '{ a(); b(); }', '{ a(); b() }'],
    ['a for header and an if body stay', 'for (let i = 0; i < n; i++) { if (i) continue; f(i); }', 'for (let i = 0; i < n; i++) { if (i) continue; f(i) }'],
  ])("'never': %s", (_name, text, expected) => {
    expect(inSemicolonStyle(text, 'never', 'javascript')).toBe(expected);
  });

  it.each([
    ['a require line', "const a = require('b')", false, "const a = require('b');"],
    ['statements in a function, before a trailing comment', 'function (a) {\n  a() // why\n  return a\n}', false, 'function (a) {\n  a(); // why\n  return a;\n}'],
    ['a top-level expression may be a fragment of another', 'list.map(Number)', false, 'list.map(Number)'],
    ['unless the fix replaces a whole statement', 'list.map(Number)', true, 'list.map(Number);'],
    ['exports that end with their block stay', 'export function f() { return 1 }', true, 'export function f() { return 1; }'],
  ] as const)("'always': %s", (_name, text, wholeStatement, expected) => {
    expect(inSemicolonStyle(text, 'always', 'typescript', wholeStatement)).toBe(expected);
  });

  it('leaves a text that does not parse alone, no style, and other languages as written', () => {
    expect(inSemicolonStyle('a(b;', 'never', 'javascript')).toBe('a(b;');
    expect(inSemicolonStyle('} else { return x; }', 'never', 'javascript')).toBe('} else { return x; }');
    expect(inSemicolonStyle('f(x);', null, 'javascript')).toBe('f(x);');
    expect(inSemicolonStyle('import os;', 'never', 'python')).toBe('import os;');
  });
});

describe('template fixes in the semicolon style', () => {
  let rule: CompiledRule;
  beforeAll(async () => {
    // below ES2015 the rule's fix is its fallback, a function expression with a `return …;`
    const found = (await loadRules({ target: ES5 })).byId('js/no-map-parse-int');
    if (!found) throw new Error('js/no-map-parse-int is not loaded');
    rule = found;
  });

  const fixText = (source: string, declared: DeclaredStyle = {}): string | undefined => {
    const node = parse(astGrepLang('javascript'), source).root().find(rule.config);
    if (!node) throw new Error('no match');
    return templateFixOf({ node, rule, prefix: '' }, 'a.js', source, 'javascript', declared)?.edits[0]?.text;
  };

  it("writes the fallback's `return` without `;` in a semicolon-less file, with it in a semicolon file", () => {
    expect(fixText("var list = read()\nvar ports = list.split(',').map(parseInt)\nlisten(ports)\n")).toBe("list.split(',').map(function (text) { return parseInt(text, 10) })");
    expect(fixText("var list = read();\nvar ports = list.split(',').map(parseInt);\nlisten(ports);\n")).toBe("list.split(',').map(function (text) { return parseInt(text, 10); })");
  });

  it("uses the declared style where the file shows none, and the file's own where it does", () => {
    expect(fixText('var ports = list.map(parseInt)\n', { semicolons: 'never' })).toBe('list.map(function (text) { return parseInt(text, 10) })');
    expect(fixText('var a = 1;\nvar b = 2;\nvar ports = list.map(parseInt);\n', { semicolons: 'never' })).toBe('list.map(function (text) { return parseInt(text, 10); })');
  });
});

describe('an added import line in the semicolon style', () => {
  const forms = { esm: "import { randomInt } from 'node:crypto';", commonjs: "const { randomInt } = require('node:crypto');" };
  const importText = (source: string, file: string) => {
    const root = parse(astGrepLang('javascript'), source).root();
    return jsImportEditOf(root, forms, file, 'javascript', semicolonStyleOf(root, 'javascript'));
  };

  it("ends the line as the file's statements end", () => {
    expect(importText("import fs from 'node:fs'\nconst a = fs.readFileSync(p)\nexport default a\n", 'a.mjs')?.text).toBe("\nimport { randomInt } from 'node:crypto'");
    expect(importText("const fs = require('fs');\nconst a = fs.readFileSync(p);\nmodule.exports = a;\n", 'a.cjs')?.text).toBe("\nconst { randomInt } = require('node:crypto');");
  });

  it('knows the import is there whether or not it ends with `;`', () => {
    expect(importText("import { randomInt } from 'node:crypto'\nconst a = randomInt(6)\nexport default a\n", 'a.mjs')).toBeNull();
  });
});
