import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_GENERATED_SETTINGS, GeneratedPlaces, parseGitattributes } from '../../src/crawl/generated-code.js';
import type { GeneratedSettings } from '../../src/crawl/generated-code.js';
import { walkTree } from '../../src/crawl/walk.js';
import { writeTree } from '../helpers/project.js';
import type { WalkResult } from '../../src/crawl/walk.js';
import { analyzeFiles } from '../../src/crawl/analyze-file.js';
import { loadRules } from '../../src/engine/rules.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'roach-generated-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function tree(files: Readonly<Record<string, string>>): Promise<void> {
  return writeTree(root, files);
}

function walk(generated: Partial<GeneratedSettings> = {}): Promise<WalkResult> {
  return walkTree({ root, include: [], exclude: [], maxFileSizeBytes: 1_000_000, generated: { ...DEFAULT_GENERATED_SETTINGS, ...generated } });
}

function skips(result: WalkResult): Record<string, string> {
  return Object.fromEntries(result.skipped.map((s) => [s.path, `${s.reason}: ${s.detail}`]));
}

const BUNDLE = "(function (global, factory) {\n  typeof define === 'function' && define.amd ? define(factory) : (global.x = factory());\n})(this, (function () { 'use strict';\n  return eval('1');\n}));\n//# sourceMappingURL=x.js.map\n";

describe('generated and vendored code by place', () => {
  it('skips dist/, vendor/ and minified or bundled names unread, with the reason, and keeps build/ scripts', async () => {
    await tree({
      'dist/x.js': BUNDLE,
      'packages/a/dist/index.mjs': 'export {};\n',
      'vendor/lib/a.go': 'package a\n',
      'src/vendor/cookie/index.ts': 'export {};\n',
      'public/jquery.min.js': 'a();\n',
      'web/app.bundle.js': 'a();\n',
      'static/assets/settings.cec5001b.js': 'a();\n',
      'src/migrations/20240101-add-slug.js': 'a();\n',
      'src/use-deadbeef.js': 'a();\n',
      'build/sync-version.js': "require('fs');\n",
      'src/index.ts': 'export {};\n',
    });
    const result = await walk();
    expect(result.files.map((f) => f.path).sort()).toEqual(['build/sync-version.js', 'src/index.ts', 'src/migrations/20240101-add-slug.js', 'src/use-deadbeef.js']);
    expect(skips(result)).toEqual({
      'dist/x.js': 'generated: in dist/, build output',
      'packages/a/dist/index.mjs': 'generated: in dist/, build output',
      'vendor/lib/a.go': 'vendored: in vendor/, code copied from another project',
      'src/vendor/cookie/index.ts': 'vendored: in vendor/, code copied from another project',
      'public/jquery.min.js': 'generated: its name (jquery.min.js) is that of minified or bundled output',
      'web/app.bundle.js': 'generated: its name (app.bundle.js) is that of minified or bundled output',
      'static/assets/settings.cec5001b.js': "generated: its name (settings.cec5001b.js) carries a bundler's content hash: build output",
    });
    // Crawled files have their content checked next.
    expect(result.files.every((f) => f.generatedCheck === true)).toBe(true);
  });

  it('follows .gitattributes, root and nested, the last mark winning; =false un-marks a guess', async () => {
    await tree({
      '.gitattributes': '# generated parsers\nsrc/parser.js linguist-generated\nlib/** linguist-vendored=true\ndist/keep.js linguist-generated=false\n',
      'src/parser.js': 'a();\n',
      'src/own.js': 'a();\n',
      'lib/x.js': 'a();\n',
      'dist/keep.js': 'a();\n',
      'dist/other.js': 'a();\n',
      'pkg/.gitattributes': 'gen/*.ts linguist-generated\ngen/hand.ts -linguist-generated\n',
      'pkg/gen/types.ts': 'export {};\n',
      'pkg/gen/hand.ts': 'export {};\n',
    });
    const result = await walk();
    expect(result.files.map((f) => f.path).sort()).toEqual(['dist/keep.js', 'pkg/gen/hand.ts', 'src/own.js']);
    expect(skips(result)).toEqual({
      'src/parser.js': 'generated: .gitattributes marks it linguist-generated',
      'lib/x.js': 'vendored: .gitattributes marks it linguist-vendored',
      'dist/other.js': 'generated: in dist/, build output',
      'pkg/gen/types.ts': 'generated: pkg/.gitattributes marks it linguist-generated',
    });
    // Marked not generated: its content is not second-guessed either.
    expect(result.files.find((f) => f.path === 'dist/keep.js')?.generatedCheck).toBeUndefined();
  });

  it('crawls what .roach.yml generated.crawl names, treats generated.extra as generated, and detects nothing with detect: false', async () => {
    await tree({ 'dist/x.js': BUNDLE, 'dist/y.js': 'a();\n', 'src/schema.gen.ts': 'export {};\n', 'src/a.ts': 'export {};\n' });
    const overridden = await walk({ crawl: ['dist/x.js'], extra: ['*.gen.ts'] });
    expect(overridden.files.map((f) => f.path).sort()).toEqual(['dist/x.js', 'src/a.ts']);
    expect(overridden.files.find((f) => f.path === 'dist/x.js')?.generatedCheck).toBeUndefined();
    expect(skips(overridden)['src/schema.gen.ts']).toBe('generated: matches a generated.extra pattern of .roach.yml');
    const off = await walk({ detect: false });
    expect(off.files.map((f) => f.path).sort()).toEqual(['dist/x.js', 'dist/y.js', 'src/a.ts', 'src/schema.gen.ts']);
    expect(off.files.some((f) => f.generatedCheck)).toBe(false);
  });

  it('still lists text files in dist/ for the secrets scan: a leaked key in build output is still a leak', async () => {
    await tree({ 'dist/config.json': '{"key": "x"}\n', 'dist/x.js': 'a();\n' });
    const result = await walkTree({ root, include: [], exclude: [], maxFileSizeBytes: 1_000_000, textFiles: true, generated: DEFAULT_GENERATED_SETTINGS });
    expect(result.files.map((f) => `${f.path} ${f.language}`)).toEqual(['dist/config.json text']);
    expect(result.skipped.map((s) => s.path)).toEqual(['dist/x.js']);
  });

  it("skips a library copied into lib/ or libs/ with its own licence, text files included, and keeps the project's lib/ code", async () => {
    await tree({
      'server/libs/archiver/LICENSE': 'MIT License\n',
      'server/libs/archiver/index.js': 'a();\n',
      'server/libs/archiver/utils/lazystream.js': 'a();\n',
      'server/libs/archiver/README.md': 'token: abc\n',
      'server/libs/helpers/index.js': 'a();\n',
      'src/lib/LICENSE': 'MIT\n',
      'src/lib/db.js': 'a();\n',
      'backend/vendor/github.com/x/oauth2/README.md': '"access_token": "abc"\n',
      'LICENSE': 'MIT\n',
      'index.js': 'a();\n',
    });
    const result = await walkTree({ root, include: [], exclude: [], maxFileSizeBytes: 1_000_000, textFiles: true, generated: DEFAULT_GENERATED_SETTINGS });
    expect(result.files.map((f) => f.path).filter((file) => !file.endsWith('LICENSE'))).toEqual(['index.js', 'server/libs/helpers/index.js', 'src/lib/db.js']);
    expect(skips(result)).toEqual({
      'backend/vendor/github.com/x/oauth2/README.md': 'vendored: in vendor/, code copied from another project',
      'server/libs/archiver/README.md': 'vendored: in server/libs/archiver/, a library copied in with its own licence',
      'server/libs/archiver/index.js': 'vendored: in server/libs/archiver/, a library copied in with its own licence',
      'server/libs/archiver/utils/lazystream.js': 'vendored: in server/libs/archiver/, a library copied in with its own licence',
    });
  });

  it('recognises nothing when the walk is given no settings', async () => {
    await tree({ 'dist/x.js': 'a();\n' });
    const result = await walkTree({ root, include: [], exclude: [], maxFileSizeBytes: 1_000_000 });
    expect(result.files.map((f) => f.path)).toEqual(['dist/x.js']);
  });
});

describe('generated code by content (analyzeFiles)', () => {
  it('skips a tsc output file outside dist/ and a Go file with the DO NOT EDIT header, and analyzes a hand-written file', async () => {
    await tree({
      'lib/index.js': 'var __importDefault = (this && this.__importDefault) || function (mod) { return mod; };\nObject.defineProperty(exports, "__esModule", { value: true });\neval(x);\n',
      'api/api.pb.go': '// Code generated by protoc-gen-go. DO NOT EDIT.\n\npackage api\n',
      'src/a.js': 'eval(x);\n//# sourceMappingURL is written by the build, not here\nexport {};\n',
    });
    const walked = await walk();
    const rules = await loadRules();
    const tasks = walked.files.map((f) => ({ path: f.path, absolutePath: f.absolutePath, language: f.language, previousSha256: null, generatedCheck: f.generatedCheck === true }));
    const outcomes = Object.fromEntries((await analyzeFiles(tasks, rules, null, root)).map((o) => [o.path, o]));
    expect(outcomes['lib/index.js']).toMatchObject({ status: 'skipped', reason: 'generated' });
    expect(outcomes['api/api.pb.go']).toMatchObject({ status: 'skipped', reason: 'generated', detail: expect.stringContaining('DO NOT EDIT') as unknown });
    expect(outcomes['src/a.js']?.status).toBe('analyzed');
    // Without the check (generated.crawl, detect: false) the same tsc file is analyzed.
    const [unchecked] = await analyzeFiles([{ ...(tasks.find((t) => t.path === 'lib/index.js') as (typeof tasks)[number]), generatedCheck: false }], rules, null, root);
    expect(unchecked?.status).toBe('analyzed');
  });
});

describe('parseGitattributes', () => {
  it('keeps only linguist-generated / linguist-vendored lines, with set and unset marks', () => {
    const lines = parseGitattributes('*.js text eol=lf\n[attr]binary -diff\n*.pb.go linguist-generated=true\n!x linguist-generated\nthird/** linguist-vendored -linguist-generated\n');
    expect(lines.map((l) => [l.generated, l.vendored])).toEqual([
      [true, undefined],
      [false, true],
    ]);
  });

  it('lets a later .roach.yml crawl pattern win over a .gitattributes mark', () => {
    const places = new GeneratedPlaces({ detect: true, crawl: ['src/parser.js'], extra: [] });
    const scope = { base: root, file: '.gitattributes', lines: parseGitattributes('src/parser.js linguist-generated\n') };
    expect(places.classify('src/parser.js', path.join(root, 'src/parser.js'), [scope])).toEqual({ verdict: null, contentCheck: false });
  });
});
