import { parse } from '@ast-grep/napi';
import { describe, expect, it } from 'vitest';
import type { Language } from '../../src/domain/finding.js';
import { inIndentStyle, inQuoteStyle, indentUnitOf, quoteStyleOf } from '../../src/engine/fix-style.js';
import { astGrepLang } from '../../src/engine/languages.js';

const style = (text: string, language: Language) => quoteStyleOf(parse(astGrepLang(language), text).root(), language);

describe("a fix's quotes follow the file's", () => {
  it('reads the quoting of the file from its string literals (two thirds decide)', () => {
    expect(style("import a from 'a';\nconst b = 'x', c = 'y';\nconst d = \"z\";\n", 'javascript')).toBe('single');
    expect(style('x = "a"\ny = f"b{x}"\nz = \'c\'\n"""Docstrings do not count."""\n', 'python')).toBe('double');
    expect(style("a = 'x'\nb = \"y\"\n", 'python')).toBeNull();
    expect(style('const a = 1;\n', 'typescript')).toBeNull();
    expect(style('class A { String s = "x"; }\n', 'java')).toBeNull();
  });

  it("rewrites only the template's own plain literals", () => {
    expect(inQuoteStyle('$TAR.extractall($$$ARGS, filter="data")', 'single')).toBe("$TAR.extractall($$$ARGS, filter='data')");
    expect(inQuoteStyle("res.cookie('sid', $V)", 'double')).toBe('res.cookie("sid", $V)');
    // a placeholder, an escape or the other quote inside: left as written
    expect(inQuoteStyle('f("$X", "it\'s", "a\\"b")', 'single')).toBe('f("$X", "it\'s", "a\\"b")');
    expect(inQuoteStyle('f("x")', null)).toBe('f("x")');
  });
});

describe("a fix's indentation follows the file's", () => {
  const fourSpaces = 'function a() {\n    if (x) {\n        y();\n    }\n}\nfunction b() {\n    z();\n}\n';
  const tabs = 'function a() {\n\tif (x) {\n\t\ty();\n\t}\n}\nfunction b() {\n\tz();\n}\n';
  const twoSpaces = '/**\n * Doc.\n */\nfunction a() {\n  if (x) {\n    y();\n  }\n}\nfunction b() {\n  w();\n}\n';

  it('reads the unit from the steps between lines (block-comment stars do not count); too little evidence: none', () => {
    expect(indentUnitOf(fourSpaces)).toEqual({ tabs: false, width: 4 });
    expect(indentUnitOf(tabs)).toEqual({ tabs: true });
    expect(indentUnitOf(twoSpaces)).toEqual({ tabs: false, width: 2 });
    expect(indentUnitOf('a();\n  b();\n')).toBeNull();
  });

  it("re-indents a multi-line template's levels in the file's unit", () => {
    const template = 'res.cookie($NAME, $VALUE, {\n  ...$OPTS,\n  httpOnly: true,\n})';
    expect(inIndentStyle(template, { tabs: false, width: 4 })).toBe('res.cookie($NAME, $VALUE, {\n    ...$OPTS,\n    httpOnly: true,\n})');
    expect(inIndentStyle(template, { tabs: true })).toBe('res.cookie($NAME, $VALUE, {\n\t...$OPTS,\n\thttpOnly: true,\n})');
    expect(inIndentStyle(template, null)).toBe(template);
    expect(inIndentStyle('a(\n  b,\n     c)', { tabs: false, width: 4 })).toBe('a(\n    b,\n     c)');
  });
});
