import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/domain/finding.js';
import { applicationFilesOf, applyEntryPoints, entryPointReason, entryPointsOf, loadEntryPoints, NO_ENTRY_POINTS } from '../../src/crawl/entry-points.js';
import { crawlDir } from '../helpers/crawl.js';

const finding = (file: string, local: boolean, severity: Finding['severity'] = 'critical'): Finding =>
  ({
    ruleId: 'js/no-command-injection',
    file,
    severity,
    message: 'Injection.',
    trace: { source: { label: local ? 'process.argv' : 'req.query.q', line: 0, column: 0 }, steps: [], ...(local ? { local: true } : {}) },
  }) as unknown as Finding;

let root: string | null = null;
afterEach(async () => {
  if (root) await rm(root, { recursive: true, force: true });
  root = null;
});

async function project(files: Record<string, string>): Promise<string> {
  root = await mkdtemp(path.join(os.tmpdir(), 'roach-entry-'));
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), text);
  }
  return root;
}

describe('CLI entry points of a package.json', () => {
  it('takes bin (a string or a map) and the script files that scripts run', () => {
    expect([...entryPointsOf({ bin: './bin/cli.js', scripts: { build: 'node ./tools/build.mjs --fast && tsc', lint: 'eslint .' } }, '')]).toEqual([
      ['bin/cli.js', 'package-bin'],
      ['tools/build.mjs', 'package-script'],
    ]);
    expect([...entryPointsOf({ bin: { tool: 'dist/tool.js', other: '../../../outside.js' } }, 'packages/a')]).toEqual([['packages/a/dist/tool.js', 'package-bin']]);
    // Node resolves the extension of `node lib/main/build-site`.
    expect([...entryPointsOf({ scripts: { site: 'npm run doc && node lib/main/build-site', x: 'node -e 1' } }, '')]).toEqual([['lib/main/build-site.js', 'package-script']]);
  });

  it('knows the application itself: main and what start/serve/dev scripts run', () => {
    const pkg = { main: 'index.js', scripts: { 'start-server': 'node server/server.js', dev: 'vite & node server/dev.js', release: 'node extra/release.mjs' } };
    expect(applicationFilesOf(pkg, 'packages/app')).toEqual(['packages/app/index.js', 'packages/app/server/server.js', 'packages/app/server/dev.js']);
  });

  it('reads the root package.json and its workspaces once', async () => {
    const dir = await project({
      'package.json': JSON.stringify({ workspaces: ['packages/*'], scripts: { release: 'node scripts/release.js' } }),
      'packages/cli/package.json': JSON.stringify({ bin: { x: './main.js' } }),
      'packages/lib/package.json': '{ not json',
    });
    const entryPoints = await loadEntryPoints(dir);
    expect([...entryPoints.files]).toEqual([
      ['scripts/release.js', 'package-script'],
      ['packages/cli/main.js', 'package-bin'],
    ]);
  });

  it('finds none without a package.json', async () => {
    const dir = await project({ 'main.py': '' });
    expect((await loadEntryPoints(dir)).files.size).toBe(0);
  });

  it('counts scripts/ and bin/ folders as developer scripts', () => {
    expect(entryPointReason('scripts/gen.js', NO_ENTRY_POINTS)).toBe('scripts-folder');
    expect(entryPointReason('packages/a/bin/run.ts', NO_ENTRY_POINTS)).toBe('scripts-folder');
    expect(entryPointReason('src/server.js', NO_ENTRY_POINTS)).toBeNull();
  });
});

describe('findings in CLI entry points', () => {
  const entryPoints = { files: new Map([['cli.js', 'package-bin' as const]]), application: new Set<string>() };

  it('lowers findings fed only by the command line to low, saying why', () => {
    const [lowered] = applyEntryPoints([finding('cli.js', true)], entryPoints);
    expect(lowered?.severity).toBe('low');
    expect(lowered?.message).toMatch(/a command listed in package.json's bin: operator input/);
  });

  it('keeps remote sources, other files and findings without a trace as they are', () => {
    const kept = [finding('cli.js', false), finding('src/server.js', true), { ...finding('cli.js', false), trace: undefined } as Finding];
    expect(applyEntryPoints(kept, entryPoints)).toEqual(kept);
  });

  it('does not change a finding already at low', () => {
    const low = finding('scripts/x.js', true, 'low');
    expect(applyEntryPoints([low], NO_ENTRY_POINTS)).toEqual([low]);
  });
});

describe('a crawl', () => {
  it("reports command injection from process.argv at low in package.json's bin, at its severity elsewhere", async () => {
    const run = "const { execSync } = require('child_process');\nexecSync('git checkout ' + process.argv[2]);\n";
    const dir = await project({ 'package.json': JSON.stringify({ bin: { tool: 'cli.js' } }), 'cli.js': run, 'lib/run.js': run });
    const report = await crawlDir(dir, { fix: false });
    const severities = report.findings.filter((f) => f.ruleId === 'js/no-command-injection').map((f) => `${f.file} ${f.severity}`);
    expect(severities.sort()).toEqual(['cli.js low', 'lib/run.js critical']);
  }, 60_000);
});
