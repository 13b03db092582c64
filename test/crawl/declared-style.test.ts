import { afterAll, describe, expect, it } from 'vitest';
import { declaredFixStyle } from '../../src/crawl/declared-style.js';
import { ES5 } from '../../src/domain/es-edition.js';
import { analyzeSource } from '../../src/engine/analyze.js';
import { applyEdits } from '../../src/engine/fixer.js';
import { loadRules } from '../../src/engine/rules.js';
import { cleanupTemp, tempTree } from '../helpers/project.js';

afterAll(cleanupTemp);

describe("the project's declared style (EditorConfig, Prettier)", () => {
  it('reads EditorConfig sections per kind of file, never above the project root, and Prettier as data', async () => {
    const root = await tempTree('roach-style-', {
      '.editorconfig': 'root = true\n\n[*]\nindent_style = space\nindent_size = 4\n\n[*.py]\nquote_type = single\n\n[*.go]\nindent_style = tab\n',
      '.prettierrc': '{ "singleQuote": true, "tabWidth": 2 }\n',
    });
    const style = await declaredFixStyle(root);
    // EditorConfig wins where both speak (indentation); Prettier fills in the quotes of what it formats
    expect(style['.js']).toEqual({ indent: { tabs: false, width: 4 }, quotes: 'single', semicolons: 'always' });
    expect(style['.py']).toEqual({ indent: { tabs: false, width: 4 }, quotes: 'single' });
    expect(style['.go']).toEqual({ indent: { tabs: true } });
    expect(style['.java']).toEqual({ indent: { tabs: false, width: 4 } });
  });

  it("Prettier alone: its options and its defaults; package.json's key; nothing from malformed files", async () => {
    expect((await declaredFixStyle(await tempTree('roach-style-', { 'package.json': '{"prettier": {"useTabs": true}}' })))['.ts']).toEqual({ indent: { tabs: true }, quotes: 'double', semicolons: 'always' });
    expect(await declaredFixStyle(await tempTree('roach-style-', { '.prettierrc': '{ not: [valid', '.editorconfig': '[*\nindent_style' }))).toEqual({});
    expect(await declaredFixStyle(await tempTree('roach-style-', { 'a.js': 'x;\n' }))).toEqual({});
  });

  it("Prettier's `semi`: false is semicolon-less, for what Prettier formats only; EditorConfig has no say", async () => {
    const style = await declaredFixStyle(await tempTree('roach-style-', { '.prettierrc.yaml': 'semi: false\n', '.editorconfig': 'root = true\n[*]\nindent_style = tab\n' }));
    expect(style['.js']).toEqual({ indent: { tabs: true }, quotes: 'double', semicolons: 'never' });
    expect(style['.tsx']?.semicolons).toBe('never');
    expect(style['.py']).toEqual({ indent: { tabs: true } });
    expect((await declaredFixStyle(await tempTree('roach-style-', { '.prettierrc': '{ "semi": true }' })))['.mjs']?.semicolons).toBe('always');
    expect((await declaredFixStyle(await tempTree('roach-style-', { '.editorconfig': 'root = true\n[*]\nindent_style = tab\n' })))['.js']).toEqual({ indent: { tabs: true } });
  });

  it('a declared `semi: false` takes the `;` out of a fix where the file has too few statements to tell', async () => {
    const rules = await loadRules({ target: ES5, fixStyle: await declaredFixStyle(await tempTree('roach-style-', { '.prettierrc': '{ "semi": false }' })) });
    const text = "var ports = list.map(parseInt)\n";
    const finding = analyzeSource({ text, file: 'a.js', language: 'javascript', rules }).findings.find((f) => f.ruleId === 'js/no-map-parse-int');
    expect(applyEdits(text, finding?.templateFix?.edits ?? [])).toBe('var ports = list.map(function (text) { return parseInt(text, 10) })\n');
  });

  it("a fix follows the declared style where the file shows none, and the file's own where it does", async () => {
    const rules = await loadRules({ fixStyle: { '.js': { quotes: 'single', indent: { tabs: true } } } });
    const fix = (text: string): string => {
      const finding = analyzeSource({ text, file: 'a.js', language: 'javascript', rules }).findings.find((f) => f.ruleId === 'js/no-session-cookie-without-httponly');
      return applyEdits(text, finding?.templateFix?.edits ?? []);
    };
    // no string literal of its own to tell from, and too few indented lines: the declared style
    expect(fix('res.cookie(sid, value, {\n\tsecure: true,\n});\n'.replace('sid', "'sid'"))).toContain('\thttpOnly: true,');
    // strings of both quotes, no majority: the declared quotes
    const dotfiles = await loadRules({ fixStyle: { '.js': { quotes: 'double' } } });
    const mixed = 'const a = "x";\napp.use(express.static(root, { dotfiles: \'allow\' }));\n';
    const finding = analyzeSource({ text: mixed, file: 'a.js', language: 'javascript', rules: dotfiles }).findings.find((f) => f.ruleId === 'js/no-static-dotfiles-allow');
    expect(applyEdits(mixed, finding?.templateFix?.edits ?? [])).toBe('const a = "x";\napp.use(express.static(root, { dotfiles: "ignore" }));\n');
    const doubles = 'const a = "x";\nconst b = "y";\nconst c = "z";\nres.cookie("sid", value, { secure: true });\n';
    expect(fix(doubles)).toBe('const a = "x";\nconst b = "y";\nconst c = "z";\nres.cookie("sid", value, { httpOnly: true, secure: true });\n');
  });
});
