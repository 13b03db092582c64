import { parse } from '@ast-grep/napi';
import { describe, expect, it } from 'vitest';
import type { Language } from '../../src/domain/finding.js';
import { inQuoteStyle, quoteStyleOf } from '../../src/engine/fix-style.js';
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
