import { afterAll, describe, expect, it } from 'vitest';
import { formatTerminal } from '../../src/report/terminal.js';
import { toJsonReport } from '../../src/report/json.js';
import { cleanupTemp, tempTree } from '../helpers/project.js';
import { crawlDir } from '../helpers/crawl.js';

afterAll(cleanupTemp);

const tree = (files: Record<string, string>): Promise<string> => tempTree('roach-generated-crawl-', files);

// A committed rollup bundle: the example of 473 findings nobody can fix where they are.
const BUNDLE = "(function (global, factory) {\n  typeof define === 'function' && define.amd ? define(factory) : (global.x = factory());\n})(this, (function () { 'use strict';\n  function run(a) { debugger; return a; }\n  return run;\n}));\n//# sourceMappingURL=x.js.map\n";

describe('a crawl with generated code and grammar gaps', () => {
  it('skips the bundle with its reason, reports the TS 5.0 file as a grammar gap, and still finds the real issues', async () => {
    const dir = await tree({
      'dist/x.js': BUNDLE,
      'lib/x.js': BUNDLE,
      'src/types.ts': "export type * from './model';\nexport function f(a: string) {\n  debugger; return a;\n}\n",
      'src/app.js': 'export function g(a) {\n  debugger; return a;\n}\n',
    });
    const report = await crawlDir(dir, { fix: false });
    expect(report.files.skipped.map((s) => `${s.path} ${s.reason}`).sort()).toEqual(['dist/x.js generated', 'lib/x.js generated']);
    expect(report.findings.map((f) => `${f.file} ${f.ruleId}`).sort()).toEqual(['src/app.js js/no-debugger', 'src/types.ts js/no-debugger']);
    expect(report.grammarGaps?.map((g) => g.path)).toEqual(['src/types.ts']);
    expect(toJsonReport(report).grammarGaps?.[0]?.detail).toContain('TypeScript compiler');
    const terminal = formatTerminal(report, { color: false });
    expect(terminal).toContain('Skipped by reason: generated 2');
    expect(terminal).toContain('Grammar gaps: 1 file');
  });

  it("skips a library's copy among the static assets by its banner, and keeps the project's own bannered scripts", async () => {
    const jquery = '/*!\n * jQuery JavaScript Library v1.8.0\n * http://jquery.com/\n *\n * Released under the MIT license\n */\n(function (window) {\n  debugger;\n})(window);\n';
    const own = '/*!\n * Copyright (c) 2024 Shop Ltd.\n * Licensed under the MIT license\n */\nexport function g(a) {\n  debugger; return a;\n}\n';
    const dir = await tree({
      'src/main/resources/static/mall/js/jquery-1.8.0.js': jquery,
      'static/js/cart.js': own,
      'lib/jquery.js': jquery,
      // no version in its banner, but its author's copyright, in a library folder of the static assets (cdnjs's layout)
      'static/ajax/libs/datapicker/bootstrap-datetimepicker.js': '\uFEFF/* ===\n * bootstrap-datetimepicker.js\n * ===\n * Copyright 2012 Stefan Petre\n */\n!function ($) {\n  debugger;\n}(window.jQuery);\n',
    });
    const report = await crawlDir(dir, { fix: false });
    expect(report.files.skipped.map((s) => `${s.path} ${s.reason}: ${s.detail}`).sort()).toEqual([
      'src/main/resources/static/mall/js/jquery-1.8.0.js vendored: a copy of jQuery JavaScript Library 1.8.0 among the static assets (its banner names the library)',
      'static/ajax/libs/datapicker/bootstrap-datetimepicker.js vendored: a copy of another project in a library folder of the static assets (its banner carries its copyright)',
    ]);
    expect(report.findings.map((f) => f.file).sort()).toEqual(['lib/jquery.js', 'static/js/cart.js']);
  });

  it('skips a file in lib/<name>/ whose banner names the repository <name>, and keeps files that only name their own project', async () => {
    const wxparse = '/**\n * author: Di\n * github: https://github.com/icindy/wxParse\n */\nfunction parse(a) {\n  debugger; return a;\n}\n';
    const own = '/*!\n * Licensed under the Fair Use License: https://github.com/plankanban/planka/blob/master/LICENSE.md\n */\nexport function g(a) {\n  debugger; return a;\n}\n';
    const dir = await tree({ 'app-wx/lib/wxParse/showdown.js': wxparse, 'server/api/card.js': own, 'lib/other/index.js': wxparse });
    const report = await crawlDir(dir, { fix: false });
    expect(report.files.skipped.map((s) => `${s.path} ${s.reason}: ${s.detail}`)).toEqual(['app-wx/lib/wxParse/showdown.js vendored: a copy of github.com/icindy/wxParse in a library folder of that name (its banner names the repository)']);
    expect(report.findings.map((f) => f.file).sort()).toEqual(['lib/other/index.js', 'server/api/card.js']);
  });

  it('crawls what .roach.yml generated.crawl names', async () => {
    const dir = await tree({ 'dist/x.js': BUNDLE, '.roach.yml': 'generated:\n  crawl: [dist/x.js]\n' });
    const report = await crawlDir(dir, { fix: false });
    expect(report.files.skipped).toEqual([]);
    expect(report.findings.map((f) => `${f.file} ${f.ruleId}`)).toContain('dist/x.js js/no-debugger');
  });

  it('reports a .js template (EJS tags) as a grammar gap: no parse error, no rule findings of its fragments', async () => {
    const template = "(async () => {\n  debugger;\n  window.clientVars = { version: <%- JSON.stringify(settings.version) %> };\n})();\n";
    const dir = await tree({
      'src/templates/bootstrap.js': template,
      'src/broken.js': 'function f( {\n  debugger;\n}\n',
      'src/strings.js': "export const tag = '<% x %>';\ndebugger;\n",
    });
    const report = await crawlDir(dir, { fix: false });
    expect(report.findings.map((f) => `${f.file} ${f.ruleId}`).sort()).toEqual(['src/broken.js parse-error', 'src/strings.js js/no-debugger']);
    expect(report.grammarGaps?.map((g) => `${g.path} ${g.detail.slice(0, 31)}`)).toEqual(['src/templates/bootstrap.js a template (EJS/ERB <% %> tags)']);
  });
});
