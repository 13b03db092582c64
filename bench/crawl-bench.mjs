#!/usr/bin/env node
// Crawl benchmark: Code Roach vs ESLint on the same corpus (the JS/TS files of this project's own
// node_modules). Plain Node ESM, no build step of its own; see bench/README.md.
//
//   node bench/crawl-bench.mjs [--max-files N] [--no-build] [--no-eslint-parallel] [--no-write]
//
// Never part of `npm test`.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { copyFile, lstat, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { clearInterval, setInterval } from 'node:timers';
import { fileURLToPath } from 'node:url';
import { BENCH_RULES } from './eslint-rules.mjs';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(BENCH_DIR);
const WORK = path.join(BENCH_DIR, '.work'); // gitignored
const CORPUS = path.join(WORK, 'corpus');
const FILE_LIST = path.join(WORK, 'corpus-files.txt');
const RESULTS_MD = path.join(BENCH_DIR, 'RESULTS.md');
const ROACH = path.join(ROOT, 'bin', 'roach.js');
const TIME_BIN = '/usr/bin/time';

/** Extensions copied into the corpus: every extension the crawler parses. */
const CODE_EXTENSIONS = new Set(['.js', '.mjs', '.cjs', '.jsx', '.ts', '.mts', '.cts', '.tsx']);
/** The crawler's default size limit (maxFileSizeBytes in .roach.yml). */
const MAX_FILE_BYTES = 1_048_576;
/** Folder names the crawler (and ESLint) always skip: renamed in the corpus so their files are kept. */
const RENAMED_DIRS = new Set(['node_modules', '.git', '.roach']);

// ---------------------------------------------------------------- arguments

function parseArgs(argv) {
  const options = { maxFiles: 5000, build: true, eslintParallel: true, write: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--max-files') {
      options.maxFiles = Number(argv[++i]);
      if (!Number.isInteger(options.maxFiles) || options.maxFiles < 1) throw new Error('--max-files takes a positive whole number');
    } else if (arg === '--no-build') options.build = false;
    else if (arg === '--no-eslint-parallel') options.eslintParallel = false;
    else if (arg === '--no-write') options.write = false;
    else if (arg === '-h' || arg === '--help') {
      process.stdout.write('usage: node bench/crawl-bench.mjs [--max-files N] [--no-build] [--no-eslint-parallel] [--no-write]\n');
      process.exit(0);
    } else throw new Error(`unknown argument: ${arg}`);
  }
  return options;
}

function log(message) {
  process.stderr.write(`[bench] ${message}\n`);
}

// ---------------------------------------------------------------- corpus

async function listCandidates(nodeModules) {
  const found = [];
  const visit = async (dir) => {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry of entries) {
      const absolute = path.join(dir, entry.name);
      // Real files and folders only: symlinks (.bin, linked packages) are left out.
      if (entry.isDirectory()) {
        if (entry.name === '.bin') continue;
        await visit(absolute);
      } else if (entry.isFile()) {
        const ext = path.extname(entry.name).toLowerCase();
        if (!CODE_EXTENSIONS.has(ext) || entry.name.toLowerCase().endsWith('.min.js')) continue;
        const { size } = await lstat(absolute);
        if (size > MAX_FILE_BYTES) continue;
        found.push({ source: absolute, relative: path.relative(nodeModules, absolute).split(path.sep), size });
      }
    }
  };
  await visit(nodeModules);
  return found;
}

/**
 * Copies the JS/TS files of node_modules into bench/.work/corpus, keeping their paths relative to
 * node_modules (nested `node_modules` folders become `_node_modules`). Above maxFiles, a deterministic
 * sample is taken: the files whose path hashes lowest.
 */
async function buildCorpus(maxFiles) {
  const nodeModules = path.join(ROOT, 'node_modules');
  const candidates = await listCandidates(nodeModules);
  const withTarget = candidates.map((c) => ({ ...c, target: c.relative.map((part, i) => (i < c.relative.length - 1 && RENAMED_DIRS.has(part) ? `_${part}` : part)).join('/') }));
  let chosen = withTarget;
  if (withTarget.length > maxFiles) {
    const key = (c) => createHash('sha1').update(c.target).digest('hex');
    chosen = withTarget
      .map((c) => ({ c, k: key(c) }))
      .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
      .slice(0, maxFiles)
      .map(({ c }) => c);
  }
  chosen.sort((a, b) => (a.target < b.target ? -1 : a.target > b.target ? 1 : 0));
  await rm(CORPUS, { recursive: true, force: true });
  for (const file of chosen) {
    const target = path.join(CORPUS, ...file.target.split('/'));
    await mkdir(path.dirname(target), { recursive: true });
    await copyFile(file.source, target);
  }
  await writeFile(FILE_LIST, chosen.map((c) => c.target).join('\n') + '\n');
  const byExt = {};
  for (const file of chosen) {
    const ext = path.extname(file.target).toLowerCase();
    byExt[ext] = (byExt[ext] ?? 0) + 1;
  }
  const packages = new Set(chosen.map((c) => (c.target.startsWith('@') ? c.target.split('/').slice(0, 2).join('/') : c.target.split('/')[0])));
  return {
    candidates: candidates.length,
    files: chosen.length,
    bytes: chosen.reduce((sum, c) => sum + c.size, 0),
    dts: chosen.filter((c) => c.target.endsWith('.d.ts') || c.target.endsWith('.d.mts') || c.target.endsWith('.d.cts')).length,
    byExt,
    packages: packages.size,
    capped: candidates.length > chosen.length,
  };
}

// ---------------------------------------------------------------- measuring one process

function parseTimeOutput(text) {
  const field = (name) => {
    const line = text.split('\n').find((l) => l.trim().startsWith(name));
    return line ? line.slice(line.lastIndexOf(': ') + 2).trim() : null;
  };
  const kb = Number(field('Maximum resident set size (kbytes)'));
  return {
    peakRssKiB: Number.isFinite(kb) ? kb : null,
    userS: Number(field('User time (seconds)')),
    sysS: Number(field('System time (seconds)')),
  };
}

function readVmHwmKiB(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/**
 * Runs one command to completion; returns wall time (spawn to exit), peak RSS and CPU time.
 * Peak RSS comes from `/usr/bin/time -v` when present, else from polling /proc/<pid>/status VmHWM.
 */
async function measure(name, command, args, { env = {}, stdoutFile }) {
  const useTime = existsSync(TIME_BIN);
  const timeFile = path.join(WORK, `${name}.time.txt`);
  const stderrFile = path.join(WORK, `${name}.stderr.txt`);
  const out = openSync(stdoutFile ?? path.join(WORK, `${name}.stdout.txt`), 'w');
  const err = openSync(stderrFile, 'w');
  const [file, argv] = useTime ? [TIME_BIN, ['-v', '-o', timeFile, command, ...args]] : [command, args];
  log(`${name}: ${[command, ...args].map((a) => path.relative(ROOT, a) || a).join(' ')}`);
  const started = performance.now();
  const child = spawn(file, argv, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', out, err] });
  let polledKiB = null;
  const poller = useTime
    ? null
    : setInterval(() => {
        const kib = readVmHwmKiB(child.pid);
        if (kib !== null) polledKiB = Math.max(polledKiB ?? 0, kib);
      }, 20);
  const code = await new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (c, signal) => resolve(signal ? 128 : c));
  });
  const wallMs = performance.now() - started;
  if (poller) clearInterval(poller);
  closeSync(out);
  closeSync(err);
  if (code !== 0) {
    const tail = readFileSync(stderrFile, 'utf8').split('\n').slice(-30).join('\n');
    throw new Error(`${name} exited with ${code}:\n${tail}`);
  }
  const timing = useTime ? parseTimeOutput(readFileSync(timeFile, 'utf8')) : { peakRssKiB: polledKiB, userS: null, sysS: null };
  log(`${name}: ${(wallMs / 1000).toFixed(2)} s, peak RSS ${timing.peakRssKiB ? (timing.peakRssKiB / 1024).toFixed(0) : '?'} MiB`);
  return { wallMs, ...timing, memoryMethod: useTime ? '/usr/bin/time -v' : 'VmHWM polling' };
}

// ---------------------------------------------------------------- the runs

async function roachCrawl(name, dataDir, { fresh, threads }) {
  if (fresh) await rm(dataDir, { recursive: true, force: true });
  const stdoutFile = path.join(WORK, `${name}.report.json`);
  const args = [ROACH, 'crawl', CORPUS, '--format', 'json', '--data-dir', dataDir, '--no-progress'];
  if (threads !== undefined) args.push('--threads', String(threads));
  const measured = await measure(name, process.execPath, args, { stdoutFile });
  const report = JSON.parse(await readFile(stdoutFile, 'utf8'));
  const skippedByReason = {};
  for (const s of report.files.skipped) skippedByReason[s.reason] = (skippedByReason[s.reason] ?? 0) + 1;
  const parseErrorFiles = new Set(report.findings.filter((f) => f.ruleId === 'parse-error').map((f) => f.file));
  const byRule = {};
  for (const f of report.findings) byRule[f.ruleId] = (byRule[f.ruleId] ?? 0) + 1;
  return {
    ...measured,
    files: report.files.walked,
    analyzed: report.files.analyzed,
    unchanged: report.files.unchanged,
    skipped: report.files.skipped.length,
    skippedByReason,
    parseErrorFiles: parseErrorFiles.size,
    findings: report.findings.length,
    byRule,
    fixes: Array.isArray(report.fixes) ? report.fixes.length : null,
    internalMs: report.durationMs,
  };
}

async function eslintRun(name, concurrency) {
  const summaryFile = path.join(WORK, `${name}.summary.json`);
  const measured = await measure(name, process.execPath, [path.join(BENCH_DIR, 'eslint-runner.mjs'), FILE_LIST, summaryFile], {
    env: { BENCH_ESLINT_CWD: CORPUS, BENCH_ESLINT_CONCURRENCY: String(concurrency) },
  });
  const summary = JSON.parse(await readFile(summaryFile, 'utf8'));
  return { ...measured, files: summary.filesLinted, fatalFiles: summary.fatalFiles, findings: summary.findings, byRule: summary.byRule, internalMs: summary.lintMs };
}

// ---------------------------------------------------------------- environment

function cpuModel() {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    return line ? line.split(':').slice(1).join(':').trim() : os.cpus()[0]?.model ?? 'unknown';
  } catch {
    return os.cpus()[0]?.model ?? 'unknown';
  }
}

function nproc() {
  const result = spawnSync('nproc', [], { encoding: 'utf8' });
  return result.status === 0 ? Number(result.stdout.trim()) : os.availableParallelism();
}

function packageVersion(name) {
  try {
    return JSON.parse(readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

function roachRuleCount() {
  const result = spawnSync(process.execPath, [ROACH, 'rules', 'list', '--json'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) return null;
  return JSON.parse(result.stdout).length;
}

// ---------------------------------------------------------------- report

const s = (ms) => (ms / 1000).toFixed(2);
const mib = (kib) => (kib === null || kib === undefined ? '?' : (kib / 1024).toFixed(0));
const fps = (run) => run.files / (run.wallMs / 1000);
const cpu = (run) => (Number.isFinite(run.userS) && Number.isFinite(run.sysS) ? (run.userS + run.sysS).toFixed(1) : '?');
const x = (n) => `${n.toFixed(2)}×`;

function markdown(env, corpus, runs, options) {
  const { full, recrawl, single, eslint, eslintPar } = runs;
  const row = (label, run, notes) => `| ${label} | ${run.files} | ${s(run.wallMs)} | ${fps(run).toFixed(0)} | ${mib(run.peakRssKiB)} | ${cpu(run)} | ${notes} |`;
  const roachNotes = (run) =>
    `analyzed ${run.analyzed}, unchanged ${run.unchanged}, skipped ${run.skipped}, parse errors ${run.parseErrorFiles} files, ${run.findings} findings; crawl's own durationMs ${run.internalMs}`;
  const eslintNotes = (run) => `fatal parse errors ${run.fatalFiles.length} files, ${run.findings} findings; lintFiles() ${run.internalMs} ms`;
  const lines = [];
  lines.push(`## ${env.date}`, '');
  lines.push(`- Machine: ${env.cpu}, \`nproc\` = ${env.nproc}, ${env.memGiB} GiB RAM; Node ${env.node}; ${env.os}`);
  lines.push(`- Tools: Code Roach ${env.roach} (${env.roachRules} rules in the built-in pack); ESLint ${env.eslint} with typescript-eslint ${env.tseslint} parser for .ts/.tsx/.mts/.cts, ${env.eslintRules} comparable core rules`);
  const ext = Object.entries(corpus.byExt)
    .sort((a, b) => b[1] - a[1])
    .map(([e, n]) => `${n} ${e}`)
    .join(', ');
  lines.push(
    `- Corpus: ${corpus.files} files, ${(corpus.bytes / 1_048_576).toFixed(1)} MB (MiB), from ${corpus.packages} packages of this project's node_modules (${ext}; ${corpus.dts} of them declaration files). ` +
      (corpus.capped
        ? `Capped at ${options.maxFiles} of ${corpus.candidates} candidate files: the ones whose path has the lowest SHA-1 (deterministic).`
        : `All ${corpus.candidates} candidate files (cap ${options.maxFiles} not reached).`) +
      ' `*.min.js` and files over 1 MiB left out.',
  );
  lines.push(`- Peak memory: maximum RSS of the measured process (worker threads included), by ${full.memoryMethod}. Wall time: spawn to exit, Node start-up included. CPU = user + system seconds.`);
  lines.push('');
  lines.push('| Run | Files | Wall (s) | Files/s | Peak RSS (MiB) | CPU (s) | Notes |');
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: | --- |');
  lines.push(row(`roach crawl, full, default threads (${env.nproc})`, full, roachNotes(full)));
  lines.push(row('roach crawl, full, `--threads 1`', single, roachNotes(single)));
  lines.push(row('roach crawl, re-crawl unchanged (same data dir)', recrawl, roachNotes(recrawl)));
  lines.push(row('ESLint, single thread (`concurrency: "off"`, its default)', eslint, eslintNotes(eslint)));
  if (eslintPar) lines.push(row(`ESLint, \`concurrency: ${env.nproc}\``, eslintPar, eslintNotes(eslintPar)));
  lines.push('');
  lines.push('| Ratio | Value |');
  lines.push('| --- | ---: |');
  lines.push(`| Code Roach files/s ÷ ESLint files/s (both at their defaults: roach ${env.nproc} threads, ESLint 1) | ${x(fps(full) / fps(eslint))} |`);
  lines.push(`| Same, one thread each (\`--threads 1\` vs ESLint single thread) | ${x(fps(single) / fps(eslint))} |`);
  if (eslintPar) lines.push(`| Same, ${env.nproc} threads each (default vs ESLint \`concurrency: ${env.nproc}\`) | ${x(fps(full) / fps(eslintPar))} |`);
  lines.push(`| Re-crawl speed-up (full crawl wall ÷ re-crawl wall) | ${x(full.wallMs / recrawl.wallMs)} |`);
  lines.push(`| Parallel speed-up of the full crawl (\`--threads 1\` wall ÷ default wall) | ${x(single.wallMs / full.wallMs)} |`);
  if (eslintPar) lines.push(`| ESLint parallel speed-up (single ÷ \`concurrency: ${env.nproc}\`) | ${x(eslint.wallMs / eslintPar.wallMs)} |`);
  lines.push('');
  const skipped = Object.entries(full.skippedByReason)
    .map(([r, n]) => `${n} ${r}`)
    .join(', ');
  lines.push(`Notes:`, '');
  lines.push(
    `- Code Roach full crawl: ${full.files} files walked, ${full.analyzed} analyzed, ${full.skipped} skipped${skipped ? ` (${skipped})` : ''}, ` +
      `${full.parseErrorFiles} files with a parse-error finding, ${full.findings} findings, ${full.fixes ?? '?'} fix candidates (detect only: no \`--apply\`, no validation commands).`,
  );
  lines.push(`- Re-crawl: ${recrawl.analyzed} files analyzed, ${recrawl.unchanged} unchanged.`);
  const fatalSample = eslint.fatalFiles
    .slice(0, 3)
    .map((f) => `\`${path.relative(CORPUS, f.file)}\` (${f.message.replace(/\|/g, '\\|').replace(/`/g, "'")})`)
    .join('; ');
  lines.push(`- ESLint could not parse ${eslint.fatalFiles.length} of ${eslint.files} files (fatal errors, counted in files/s all the same)${fatalSample ? `, e.g. ${fatalSample}` : ''}.`);
  const top = (byRule) =>
    Object.entries(byRule)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 6)
      .map(([r, n]) => `${r} ${n}`)
      .join(', ');
  lines.push(`- Top findings, Code Roach: ${top(full.byRule)}. ESLint: ${top(eslint.byRule)}.`);
  lines.push('');
  return lines.join('\n');
}

async function writeResults(section, date) {
  const header =
    '# Crawl benchmark results\n\n' +
    'Written by `node bench/crawl-bench.mjs` (see bench/README.md). One section per date: a later run on the same date replaces it.\n';
  let text = existsSync(RESULTS_MD) ? await readFile(RESULTS_MD, 'utf8') : header;
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trim() === `## ${date}`);
  if (start >= 0) {
    let end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
    if (end < 0) end = lines.length;
    lines.splice(start, end - start, ...section.split('\n'));
    text = lines.join('\n');
  } else {
    text = `${text.replace(/\n*$/, '\n')}\n${section}`;
  }
  await writeFile(RESULTS_MD, text.replace(/\n*$/, '\n'));
}

// ---------------------------------------------------------------- main

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const benchStarted = performance.now();
  await mkdir(WORK, { recursive: true });

  if (options.build) {
    log('npm run build');
    const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    if (build.status !== 0) throw new Error('npm run build failed');
  }
  if (!existsSync(path.join(ROOT, 'dist', 'cli', 'main.js'))) throw new Error('dist/ is missing: run `npm run build` first');

  log('building the corpus from node_modules');
  const corpus = await buildCorpus(options.maxFiles);
  log(`corpus: ${corpus.files} files, ${(corpus.bytes / 1_048_576).toFixed(1)} MiB, ${corpus.packages} packages${corpus.capped ? ` (capped from ${corpus.candidates})` : ''}`);

  const env = {
    date: new Date().toISOString().slice(0, 10),
    cpu: cpuModel(),
    nproc: nproc(),
    memGiB: (os.totalmem() / 2 ** 30).toFixed(0),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    roach: JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version,
    roachRules: roachRuleCount() ?? '?',
    eslint: packageVersion('eslint'),
    tseslint: packageVersion('typescript-eslint'),
    eslintRules: Object.keys(BENCH_RULES).length,
  };

  // Warm-up (not measured): load both tools once so that neither pays for a cold disk cache.
  spawnSync(process.execPath, [ROACH, 'rules', 'list', '--json'], { cwd: ROOT, stdio: 'ignore' });
  spawnSync(process.execPath, ['-e', "await import('eslint'); await import('typescript-eslint');", '--input-type=module'], { cwd: ROOT, stdio: 'ignore' });

  const dataDefault = path.join(WORK, 'data-default');
  const dataSingle = path.join(WORK, 'data-threads1');
  const runs = {};
  runs.full = await roachCrawl('roach-full', dataDefault, { fresh: true });
  runs.recrawl = await roachCrawl('roach-recrawl', dataDefault, { fresh: false });
  runs.single = await roachCrawl('roach-full-threads1', dataSingle, { fresh: true, threads: 1 });
  runs.eslint = await eslintRun('eslint-single', 'off');
  if (options.eslintParallel) runs.eslintPar = await eslintRun('eslint-parallel', env.nproc);

  const section = markdown(env, corpus, runs, options);
  process.stdout.write(`${section}\n`);
  if (options.write) {
    await writeResults(section, env.date);
    log(`wrote ${path.relative(ROOT, RESULTS_MD)}`);
  }
  log(`total benchmark time ${s(performance.now() - benchStarted)} s`);
}

main().catch((error) => {
  process.stderr.write(`[bench] failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
