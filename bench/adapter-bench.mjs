#!/usr/bin/env node
// Analyzer adapter overhead: the same mid-size corpus crawled with no adapter, then with each adapter, on a fresh
// data directory each time (every file analyzed). Plain Node ESM over the built CLI (npm run build first).
//
//   node bench/adapter-bench.mjs [--packages eslint,fastify,pino]
import { spawnSync } from 'node:child_process';
import { cp, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { BENCH_RULES } from './eslint-rules.mjs';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const WORK = path.join(ROOT, 'bench', '.work', 'adapters'); // gitignored
const CORPUS = path.join(WORK, 'corpus');
const ROACH = path.join(ROOT, 'bin', 'roach.js');
const flag = process.argv.indexOf('--packages');
const PACKAGES = (flag > 0 ? process.argv[flag + 1] : 'eslint,fastify,pino').split(',');

/** Copies JS sources of some installed packages; `node_modules` is renamed so the crawler keeps their files. */
async function buildCorpus() {
  await rm(WORK, { recursive: true, force: true });
  await mkdir(CORPUS, { recursive: true });
  for (const name of PACKAGES) {
    const from = path.join(ROOT, 'node_modules', name);
    await cp(from, path.join(CORPUS, 'pkgs', name), { recursive: true, filter: (source) => !path.relative(from, source).split(path.sep).includes('node_modules') });
  }
  await writeFile(path.join(CORPUS, 'eslint.config.js'), `export default [{ languageOptions: { sourceType: 'commonjs' }, rules: ${JSON.stringify(BENCH_RULES)} }];\n`);
  return countCode(CORPUS);
}

async function countCode(dir) {
  let count = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && /\.(c|m)?(j|t)sx?$/.test(entry.name)) count++;
  }
  return count;
}

/** A SARIF log with one result per corpus file that the AST engine also flags (none here): pure import cost. */
async function writeSarif(files) {
  const results = files.map((file, i) => ({ ruleId: `bench-${i % 10}`, level: 'warning', message: { text: 'bench' }, locations: [{ physicalLocation: { artifactLocation: { uri: file }, region: { startLine: 1 } } }] }));
  const sarif = { version: '2.1.0', runs: [{ tool: { driver: { name: 'Bench' } }, results }] };
  const file = path.join(WORK, 'bench.sarif');
  await writeFile(file, JSON.stringify(sarif));
  return file;
}

function crawl(label, args) {
  const dataDir = path.join(WORK, `data-${label}`);
  const started = performance.now();
  const run = spawnSync(process.execPath, [ROACH, 'crawl', CORPUS, '--no-fix', '--no-progress', '--format', 'json', '--data-dir', dataDir, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const seconds = (performance.now() - started) / 1000;
  if (run.status !== 0) throw new Error(`${label}: exit ${run.status}: ${run.stderr.slice(0, 500)}`);
  const report = JSON.parse(run.stdout);
  return { label, seconds, analyzed: report.files.analyzed, findings: report.findings.length, adapters: report.adapters ?? [] };
}

const files = await buildCorpus();
const firstCrawl = crawl('warmup', []);
const sarif = await writeSarif(await listCode());
const runs = [
  crawl('none', []),
  crawl('eslint', ['--adapters', 'eslint']),
  crawl('oxlint', ['--adapters', 'oxlint']),
  crawl('sarif', ['--import-sarif', sarif]),
  crawl('all', ['--adapters', 'eslint,oxlint', '--import-sarif', sarif]),
];
console.log(`corpus: ${files} JS/TS files from ${PACKAGES.join(', ')} (warm-up crawl ${firstCrawl.seconds.toFixed(1)} s)`);
const base = runs[0].seconds;
for (const run of runs) {
  const adapters = run.adapters.map((a) => `${a.adapter} ${a.status} ${a.findings} in ${(a.durationMs / 1000).toFixed(2)} s (${a.durationMs > 0 ? Math.round((run.analyzed / a.durationMs) * 1000) : '-'} files/s)`).join('; ');
  console.log(`${run.label.padEnd(7)} ${run.seconds.toFixed(2)} s  +${(run.seconds - base).toFixed(2)} s  ${run.analyzed} files  ${run.findings} open issues  ${adapters}`);
}

async function listCode() {
  const out = [];
  for (const entry of await readdir(CORPUS, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && /\.(c|m)?js$/.test(entry.name)) out.push(path.relative(CORPUS, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
  }
  return out;
}
