#!/usr/bin/env node
// Crawl benchmark: Code Roach vs ESLint on the same corpus (the JS/TS files of this project's own
// node_modules). Plain Node ESM, no build step of its own; see bench/README.md. Never part of `npm test`.
//
//   node bench/crawl-bench.mjs [--max-files N] [--timeout S] [--max-rss-gib G]
//                              [--no-build] [--no-engine] [--no-eslint-parallel] [--no-write]
import { cpuModel } from './machine.mjs';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { clearInterval, setInterval } from 'node:timers';
import { fileURLToPath } from 'node:url';
import { BENCH_RULES } from './eslint-rules.mjs';
import { writeResultsSection } from './results-file.mjs';
import { buildCorpus } from './corpus.mjs';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(BENCH_DIR);
const WORK = path.join(BENCH_DIR, '.work'); // gitignored
const CORPUS = path.join(WORK, 'corpus');
const FILE_LIST = path.join(WORK, 'corpus-files.txt');
const RESULTS_MD = path.join(BENCH_DIR, 'RESULTS.md');
const ROACH = path.join(ROOT, 'bin', 'roach.js');
const TIME_BIN = '/usr/bin/time';
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;


const USAGE = `usage: node bench/crawl-bench.mjs [options]
  --max-files N          corpus cap, deterministic sample above it (default 5000)
  --timeout S            a measured process still running after S seconds is killed: "did not finish" (default 180)
  --max-rss-gib G        a measured process whose RSS passes G GiB is killed: "did not finish" (default 8)
  --no-build             do not run \`npm run build\` first
  --no-engine            skip the detection-only runs (walk + rules on the worker pool, no store, no fixes)
  --no-eslint-parallel   skip the ESLint run with concurrency = nproc
  --no-write             print the Markdown section, do not update bench/RESULTS.md
`;

// ---------------------------------------------------------------- arguments

function parseArgs(argv) {
  const options = { maxFiles: 5000, timeoutS: 180, maxRssGiB: 8, build: true, engine: true, eslintParallel: true, write: true };
  const number = (flag, value) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`${flag} takes a positive number, got "${value}"`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--max-files') options.maxFiles = Math.floor(number(arg, argv[++i]));
    else if (arg === '--timeout') options.timeoutS = number(arg, argv[++i]);
    else if (arg === '--max-rss-gib') options.maxRssGiB = number(arg, argv[++i]);
    else if (arg === '--no-build') options.build = false;
    else if (arg === '--no-engine') options.engine = false;
    else if (arg === '--no-eslint-parallel') options.eslintParallel = false;
    else if (arg === '--no-write') options.write = false;
    else if (arg === '-h' || arg === '--help') {
      process.stdout.write(USAGE);
      process.exit(0);
    } else throw new Error(`unknown argument: ${arg}\n${USAGE}`);
  }
  return options;
}

function log(message) {
  process.stderr.write(`[bench] ${message}\n`);
}

// ---------------------------------------------------------------- corpus

// ---------------------------------------------------------------- measuring one process

function parseTimeOutput(text) {
  const field = (name) => {
    const line = text.split('\n').find((l) => l.trim().startsWith(name));
    return line ? line.slice(line.lastIndexOf(': ') + 2).trim() : null;
  };
  const kb = Number(field('Maximum resident set size (kbytes)'));
  return { peakRssKiB: Number.isFinite(kb) && kb > 0 ? kb : null, userS: Number(field('User time (seconds)')), sysS: Number(field('System time (seconds)')) };
}

/** VmRSS and VmHWM (KiB) of a live process, or null. */
function memoryOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (key) => Number(new RegExp(`^${key}:\\s+(\\d+)\\s+kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rss: kib('VmRSS'), hwm: kib('VmHWM') };
  } catch {
    return null;
  }
}

/** Busy CPU time of the whole machine so far, in seconds (all cores, all processes), from /proc/stat. */
function machineBusyS() {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, system, , , irq, softirq, steal] = fields;
    return (user + nice + system + irq + softirq + (steal ?? 0)) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

/** The first child process of pid (the program that /usr/bin/time runs). */
function childOf(pid) {
  try {
    const first = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/)[0];
    if (first) return Number(first);
  } catch {
    // no children file: scan /proc
  }
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) return Number(entry);
    } catch {
      // gone
    }
  }
  return null;
}

/**
 * Runs one command to completion and returns its wall time (spawn to exit, Node start-up included),
 * peak RSS and CPU time. Peak RSS comes from `/usr/bin/time -v` when present, else from polling
 * /proc/<pid>/status VmHWM. A process past the time or memory limit is killed (SIGKILL) and marked
 * as not finished (`dnf`).
 */
async function measure(name, command, args, { env = {}, stdoutFile, limits }) {
  const useTime = existsSync(TIME_BIN);
  const timeFile = path.join(WORK, `${name}.time.txt`);
  const stderrFile = path.join(WORK, `${name}.stderr.txt`);
  const out = openSync(stdoutFile ?? path.join(WORK, `${name}.stdout.txt`), 'w');
  const err = openSync(stderrFile, 'w');
  const [file, argv] = useTime ? [TIME_BIN, ['-v', '-o', timeFile, command, ...args]] : [command, args];
  const display = ['node', ...args.map((a) => (path.isAbsolute(a) ? path.relative(ROOT, a) || '.' : a))].join(' ');
  log(`${name}: ${display}`);
  const busyBefore = machineBusyS();
  const started = performance.now();
  const child = spawn(file, argv, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', out, err] });
  let measuredPid = useTime ? null : child.pid;
  let polledKiB = null;
  let dnf = null;
  const poller = setInterval(() => {
    measuredPid ??= childOf(child.pid);
    if (!measuredPid || dnf) return;
    const memory = memoryOf(measuredPid);
    if (!memory) return;
    if (Number.isFinite(memory.hwm)) polledKiB = Math.max(polledKiB ?? 0, memory.hwm);
    const elapsedS = (performance.now() - started) / 1000;
    if (memory.rss > limits.maxRssGiB * 1_048_576) dnf = `killed at ${(memory.rss / 1_048_576).toFixed(1)} GiB RSS (limit ${limits.maxRssGiB} GiB) after ${elapsedS.toFixed(0)} s`;
    else if (elapsedS > limits.timeoutS) dnf = `killed after the ${limits.timeoutS} s time limit (RSS then ${(memory.rss / 1_048_576).toFixed(1)} GiB)`;
    if (dnf) {
      log(`${name}: ${dnf}`);
      try {
        process.kill(measuredPid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }, 200);
  const code = await new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (c, signal) => resolve(signal ? 128 : c));
  });
  const wallMs = performance.now() - started;
  const busyAfter = machineBusyS();
  clearInterval(poller);
  closeSync(out);
  closeSync(err);
  if (code !== 0 && !dnf) {
    const tail = readFileSync(stderrFile, 'utf8').split('\n').slice(-30).join('\n');
    throw new Error(`${name} exited with ${code}:\n${tail}`);
  }
  const fromTime = useTime && existsSync(timeFile) ? parseTimeOutput(readFileSync(timeFile, 'utf8')) : null;
  const timing = fromTime ?? { peakRssKiB: polledKiB, userS: null, sysS: null };
  // CPU that other processes used meanwhile: the machine's busy time minus the measured process's own.
  const ownS = Number.isFinite(timing.userS) && Number.isFinite(timing.sysS) ? timing.userS + timing.sysS : null;
  const otherCpuS = busyBefore !== null && busyAfter !== null && ownS !== null ? Math.max(0, busyAfter - busyBefore - ownS) : null;
  log(
    `${name}: ${dnf ? 'DID NOT FINISH, ' : ''}${(wallMs / 1000).toFixed(2)} s, peak RSS ${timing.peakRssKiB ? (timing.peakRssKiB / 1024).toFixed(0) : '?'} MiB` +
      `${otherCpuS !== null ? `, other processes ${otherCpuS.toFixed(1)} CPU-s` : ''}`,
  );
  return { wallMs, ...timing, dnf, otherCpuS, memoryMethod: fromTime ? '`/usr/bin/time -v`' : 'polling /proc/<pid>/status VmHWM' };
}

// ---------------------------------------------------------------- the runs

const countBy = (items, key) => {
  const counts = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
};

async function roachCrawl(name, dataDir, { fresh, threads, limits, fixes = false }) {
  if (fresh) await rm(dataDir, { recursive: true, force: true });
  const stdoutFile = path.join(WORK, `${name}.report.json`);
  const args = [ROACH, 'crawl', CORPUS, '--format', 'json', '--data-dir', dataDir, '--no-progress'];
  if (threads !== undefined) args.push('--threads', String(threads));
  // Like ESLint without --fix: detect, store and report. The fix run generates, validates and queues fixes.
  if (!fixes) args.push('--no-fix');
  const measured = await measure(name, process.execPath, args, { stdoutFile, limits });
  if (measured.dnf) return { ...measured, kind: 'roach' };
  const report = JSON.parse(await readFile(stdoutFile, 'utf8'));
  return {
    ...measured,
    kind: 'roach',
    files: report.files.walked,
    analyzed: report.files.analyzed,
    unchanged: report.files.unchanged,
    skipped: report.files.skipped.length,
    skippedByReason: countBy(report.files.skipped, (s) => s.reason),
    parseErrorFiles: new Set(report.findings.filter((f) => f.ruleId === 'parse-error').map((f) => f.file)).size,
    findings: report.findings.length,
    byRule: countBy(report.findings, (f) => f.ruleId),
    fixes: Array.isArray(report.fixes) ? report.fixes.length : null,
    internalMs: report.durationMs,
  };
}

async function engineRun(name, threads, limits) {
  const summaryFile = path.join(WORK, `${name}.summary.json`);
  const args = [path.join(BENCH_DIR, 'engine-runner.mjs'), CORPUS, summaryFile];
  if (threads !== undefined) args.push(String(threads));
  const measured = await measure(name, process.execPath, args, { limits });
  if (measured.dnf) return { ...measured, kind: 'engine' };
  const summary = JSON.parse(await readFile(summaryFile, 'utf8'));
  return {
    ...measured,
    kind: 'engine',
    files: summary.walked,
    analyzed: summary.analyzed,
    skipped: summary.skipped,
    parseErrorFiles: summary.parseErrorFiles.length,
    parseErrorSample: summary.parseErrorFiles.slice(0, 3),
    findings: summary.findings,
    byRule: summary.byRule,
    internalMs: summary.elapsedMs,
  };
}

/** A linter's runner (bench/<tool>-runner.mjs) timed as a child process, and its JSON summary. */
async function linterRun(name, tool, env, limits) {
  const summaryFile = path.join(WORK, `${name}.summary.json`);
  const measured = await measure(name, process.execPath, [path.join(BENCH_DIR, `${tool}-runner.mjs`), FILE_LIST, summaryFile], { env, limits });
  if (measured.dnf) return { ...measured, kind: tool };
  const summary = JSON.parse(await readFile(summaryFile, 'utf8'));
  return { ...measured, kind: tool, files: summary.filesLinted, findings: summary.findings, byRule: summary.byRule, internalMs: summary.lintMs, summary };
}

async function eslintRun(name, concurrency, limits) {
  const run = await linterRun(name, 'eslint', { BENCH_ESLINT_CWD: CORPUS, BENCH_ESLINT_CONCURRENCY: String(concurrency) }, limits);
  return run.dnf ? run : { ...run, fatalFiles: run.summary.fatalFiles };
}

async function oxlintRun(name, threads, limits) {
  const run = await linterRun(name, 'oxlint', { BENCH_OXLINT_CWD: CORPUS, BENCH_OXLINT_THREADS: String(threads) }, limits);
  return run.dnf ? run : { ...run, rules: run.summary.rules.length };
}

// ---------------------------------------------------------------- environment

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
  return result.status === 0 ? JSON.parse(result.stdout).length : '?';
}

// ---------------------------------------------------------------- report

const CRAWL_RESULTS_HEADER =
  '# Crawl benchmark results\n\n' +
  'Written by `node bench/crawl-bench.mjs` (see bench/README.md). One section per date: a later run on the same date replaces it.\n';

const sec = (ms) => (ms / 1000).toFixed(2);
const mib = (kib) => (kib === null || kib === undefined ? '?' : (kib / 1024).toFixed(0));
const fps = (run) => (run && !run.dnf && run.files ? run.files / (run.wallMs / 1000) : null);
const cpuS = (run) => (Number.isFinite(run.userS) && Number.isFinite(run.sysS) ? (run.userS + run.sysS).toFixed(1) : '?');
const ratio = (a, b) => (a !== null && b !== null && b > 0 ? `${(a / b).toFixed(2)}×` : 'n/a');
const wallRatio = (slow, fast) => (slow && fast && !slow.dnf && !fast.dnf ? `${(slow.wallMs / fast.wallMs).toFixed(2)}×` : 'n/a');
const mdCell = (text) => String(text).replace(/\|/g, '\\|').replace(/`/g, "'").replace(/\s+/g, ' ');
const top = (byRule, n = 6) =>
  Object.entries(byRule ?? {})
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([r, k]) => `${r} ${k}`)
    .join(', ');

function notesOf(run) {
  if (run.notRun) return run.notRun;
  if (run.dnf) return `**did not finish**: ${run.dnf}; ${run.otherCpuS === null ? 'other load unknown' : `other processes ${run.otherCpuS.toFixed(1)} CPU-s`}`;
  const load = run.otherCpuS === null ? 'other load unknown' : `other processes ${run.otherCpuS.toFixed(1)} CPU-s`;
  if (run.kind === 'roach') {
    return `analyzed ${run.analyzed}, unchanged ${run.unchanged}, skipped ${run.skipped}; ${run.findings} findings in the report (${run.parseErrorFiles} files with parse-error), ${run.fixes ?? '?'} fix candidates; crawl's durationMs ${run.internalMs}; ${load}`;
  }
  if (run.kind === 'oxlint') return `${run.rules} of the comparable rules (the ones oxlint implements); ${run.findings} findings; oxlint CLI ${run.internalMs} ms; ${load}`;
  if (run.kind === 'engine') return `${run.findings} findings (${run.parseErrorFiles} files with parse-error); walk+analyze ${run.internalMs} ms in-process; ${load}`;
  return `${run.fatalFiles.length} files ESLint could not parse; ${run.findings} findings; lintFiles() ${run.internalMs} ms in-process; ${load}`;
}

function markdown(env, corpus, runs, options) {
  const { full, recrawl, single, engine, engineSingle, eslint, eslintPar, oxlint, oxlintPar } = runs;
  const row = (label, run) => {
    if (!run) return null;
    if (run.notRun) return `| ${label} | – | – | – | – | – | ${run.notRun} |`;
    const files = run.dnf ? corpus.files : run.files;
    return `| ${label} | ${files} | ${run.dnf ? `> ${sec(run.wallMs)}` : sec(run.wallMs)} | ${run.dnf ? 'DNF' : fps(run).toFixed(0)} | ${mib(run.peakRssKiB)} | ${cpuS(run)} | ${notesOf(run)} |`;
  };
  const lines = [];
  lines.push(`## ${env.date}`, '');
  lines.push(`- Machine: ${env.cpu}, \`nproc\` = ${env.nproc}, ${env.memGiB} GiB RAM; Node ${env.node}; ${env.os}.`);
  lines.push(
    `- Tools: Code Roach ${env.roach} (${env.roachRules} rules in the built-in pack; crawls with \`--no-fix\` unless the row says otherwise, no validation commands); ` +
      `ESLint ${env.eslint} via its Node API, ${env.eslintRules} comparable core rules, typescript-eslint ${env.tseslint} parser for .ts/.tsx/.mts/.cts (bench/eslint-rules.mjs, bench/eslint-options.mjs); ` +
      `oxlint ${env.oxlint} (CLI, JSON output) with the same rules where it has them (bench/oxlint-runner.mjs). Code Roach runs its whole pack; the linters only the comparable rules, so the ratios favour them.`,
  );
  const ext = Object.entries(corpus.byExt)
    .sort((a, b) => b[1] - a[1])
    .map(([e, n]) => `${n} ${e}`)
    .join(', ');
  lines.push(
    `- Corpus: **${corpus.files} files, ${(corpus.bytes / 1_048_576).toFixed(1)} MiB**, from ${corpus.packages} packages of this project's node_modules (${ext}; ${corpus.dts} declaration files). ` +
      (corpus.capped
        ? `Capped at ${options.maxFiles} of ${corpus.candidates} candidate files: those whose corpus path has the lowest SHA-1 (deterministic).`
        : `All ${corpus.candidates} candidate files (the ${options.maxFiles}-file cap was not reached).`) +
      ' `*.min.js` and files over 1 MiB left out.',
  );
  lines.push(
    `- Peak memory: maximum RSS of the measured process (worker threads included), by ${full.memoryMethod ?? 'n/a'}. Wall: spawn to exit, Node start-up included. CPU: user + system seconds. ` +
      `Limits per process: ${options.timeoutS} s, ${options.maxRssGiB} GiB RSS; past either it is killed and shown as DNF (did not finish). "Other processes": CPU time the rest of the machine used during the run (from /proc/stat): more than a few CPU-s means the run shared the cores.`,
  );
  lines.push('');
  lines.push('| Run | Files | Wall (s) | Files/s | Peak RSS (MiB) | CPU (s) | Notes |');
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const line of [
    row(`\`roach crawl\`, full, default threads (${env.nproc})`, full),
    row('`roach crawl`, full, `--threads 1`', single),
    row('`roach crawl` generating fixes (validated, queued; no `--apply`)', runs.withFixes),
    row('`roach crawl`, re-crawl of the unchanged corpus (same data dir)', recrawl),
    row(`Detection only (walk + rules on the crawler's pool, no store, no fixes), ${env.nproc} threads`, engine),
    row('Detection only, 1 thread', engineSingle),
    row('ESLint, single thread (`concurrency: "off"`, its default)', eslint),
    row(`ESLint, \`concurrency: ${env.nproc}\``, eslintPar),
    row('oxlint, `--threads 1`', oxlint),
    row(`oxlint, \`--threads ${env.nproc}\``, oxlintPar),
  ]) {
    if (line) lines.push(line);
  }
  lines.push('');
  lines.push('| Ratio | Value |');
  lines.push('| --- | ---: |');
  lines.push(`| \`roach crawl\` files/s ÷ ESLint files/s, each at its default (roach ${env.nproc} threads, ESLint 1) | ${ratio(fps(full), fps(eslint))} |`);
  lines.push(`| Same, one thread each (\`--threads 1\` vs ESLint single thread) | ${ratio(fps(single), fps(eslint))} |`);
  if (eslintPar) lines.push(`| Same, ${env.nproc} threads each (default vs ESLint \`concurrency: ${env.nproc}\`) | ${ratio(fps(full), fps(eslintPar))} |`);
  if (engine) {
    lines.push(`| Detection only (${env.nproc} threads) files/s ÷ ESLint single-thread files/s | ${ratio(fps(engine), fps(eslint))} |`);
    lines.push(`| Detection only, 1 thread each | ${ratio(fps(engineSingle), fps(eslint))} |`);
    if (eslintPar) lines.push(`| Detection only, ${env.nproc} threads each | ${ratio(fps(engine), fps(eslintPar))} |`);
  }
  if (oxlint) {
    lines.push(`| \`roach crawl\` files/s ÷ oxlint files/s, ${env.nproc} threads each | ${ratio(fps(full), fps(oxlintPar))} |`);
    lines.push(`| Same, one thread each | ${ratio(fps(single), fps(oxlint))} |`);
    if (engine) lines.push(`| Detection only ÷ oxlint, ${env.nproc} threads each | ${ratio(fps(engine), fps(oxlintPar))} |`);
  }
  const recrawlOk = recrawl && !recrawl.notRun && !recrawl.dnf;
  lines.push(`| Re-crawl speed-up (full crawl wall ÷ re-crawl wall) | ${wallRatio(full, recrawl)} |`);
  if (engine && recrawlOk) lines.push(`| Re-crawl vs detection only (${env.nproc} threads wall ÷ re-crawl wall) | ${wallRatio(engine, recrawl)} |`);
  lines.push(`| Parallel speed-up of the full crawl (\`--threads 1\` wall ÷ default wall) | ${wallRatio(single, full)} |`);
  if (engine) lines.push(`| Parallel speed-up of detection only (1 thread wall ÷ ${env.nproc} threads wall) | ${wallRatio(engineSingle, engine)} |`);
  if (eslintPar) lines.push(`| ESLint parallel speed-up (single ÷ \`concurrency: ${env.nproc}\`) | ${wallRatio(eslint, eslintPar)} |`);
  lines.push('');
  lines.push('Notes:', '');
  if (full.dnf) {
    lines.push(`- The full \`roach crawl\` did not finish: ${full.dnf}. So there is no crawl files/s, and the re-crawl and \`--threads 1\` crawl were not run.`);
  } else {
    const skipped = Object.entries(full.skippedByReason)
      .map(([r, n]) => `${n} ${r}`)
      .join(', ');
    lines.push(
      `- Full crawl: ${full.files} files walked, ${full.analyzed} analyzed, ${full.skipped} skipped${skipped ? ` (${skipped})` : ''}; ` +
        `${full.findings} findings, ${full.parseErrorFiles} files with a parse-error finding, ${full.fixes ?? '?'} fix candidates generated and validated in memory.`,
    );
    if (recrawlOk) lines.push(`- Re-crawl: ${recrawl.analyzed} files analyzed, ${recrawl.unchanged} unchanged, ${recrawl.skipped} skipped.`);
  }
  const detection = engine && !engine.dnf ? engine : null;
  if (detection) {
    lines.push(
      `- Code Roach findings (detection only): ${detection.findings}; top: ${top(detection.byRule)}. ` +
        `${detection.parseErrorFiles} files got a parse-error finding${detection.parseErrorSample.length ? `, e.g. ${detection.parseErrorSample.map((f) => `\`${f}\``).join(', ')}` : ''}.`,
    );
  }
  if (eslint && !eslint.dnf) {
    const sample = eslint.fatalFiles
      .slice(0, 3)
      .map((f) => `\`${path.relative(CORPUS, f.file)}\` (${mdCell(f.message)})`)
      .join('; ');
    lines.push(`- ESLint findings: ${eslint.findings}; top: ${top(eslint.byRule)}.`);
    lines.push(`- ESLint could not parse ${eslint.fatalFiles.length} of ${eslint.files} files (fatal errors; they still count in its files/s)${sample ? `, e.g. ${sample}` : ''}.`);
  }
  lines.push('');
  return lines.join('\n');
}

// ---------------------------------------------------------------- main

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const limits = { timeoutS: options.timeoutS, maxRssGiB: options.maxRssGiB };
  const benchStarted = performance.now();
  await mkdir(WORK, { recursive: true });

  if (options.build) {
    log('npm run build');
    const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    if (build.status !== 0) throw new Error('npm run build failed');
  }
  if (!existsSync(path.join(ROOT, 'dist', 'cli', 'main.js'))) throw new Error('dist/ is missing: run `npm run build` first');

  log('building the corpus from node_modules');
  const corpus = await buildCorpus({ nodeModules: path.join(ROOT, 'node_modules'), corpusDir: CORPUS, fileList: FILE_LIST, maxFiles: options.maxFiles });
  log(`corpus: ${corpus.files} files, ${(corpus.bytes / 1_048_576).toFixed(1)} MiB, ${corpus.packages} packages${corpus.capped ? ` (capped from ${corpus.candidates})` : ''}`);

  const env = {
    date: new Date().toISOString().slice(0, 10),
    cpu: cpuModel(),
    nproc: nproc(),
    memGiB: (os.totalmem() / 2 ** 30).toFixed(0),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    roach: JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version,
    roachRules: roachRuleCount(),
    eslint: packageVersion('eslint'),
    tseslint: packageVersion('typescript-eslint'),
    eslintRules: Object.keys(BENCH_RULES).length,
    oxlint: packageVersion('oxlint'),
  };

  // Warm-up (not measured): load both tools once so that neither pays for a cold disk cache.
  spawnSync(process.execPath, [ROACH, 'rules', 'list', '--json'], { cwd: ROOT, stdio: 'ignore' });
  spawnSync(process.execPath, ['--input-type=module', '-e', "await import('eslint'); await import('typescript-eslint');"], { cwd: ROOT, stdio: 'ignore' });

  const dataDefault = path.join(WORK, 'data-default');
  const dataSingle = path.join(WORK, 'data-threads1');
  const runs = {};
  runs.full = await roachCrawl('roach-full', dataDefault, { fresh: true, limits });
  if (runs.full.dnf) {
    // A killed crawl leaves no usable file states (tried: the re-crawl then did not finish either).
    runs.recrawl = { notRun: 'not run: the full crawl did not finish, so there is nothing to re-crawl against' };
    runs.single = { notRun: 'not run: the default-threads crawl did not finish within the limits, so a single-thread one cannot' };
  } else {
    runs.recrawl = await roachCrawl('roach-recrawl', dataDefault, { fresh: false, limits });
    runs.single = await roachCrawl('roach-full-threads1', dataSingle, { fresh: true, threads: 1, limits });
    runs.withFixes = await roachCrawl('roach-with-fixes', path.join(WORK, 'data-fixes'), { fresh: true, limits, fixes: true });
  }
  if (options.engine) {
    runs.engine = await engineRun('detect-default', undefined, limits);
    runs.engineSingle = await engineRun('detect-threads1', 1, limits);
  }
  runs.eslint = await eslintRun('eslint-single', 'off', limits);
  runs.oxlint = await oxlintRun('oxlint-single', 1, limits);
  runs.oxlintPar = await oxlintRun('oxlint-parallel', env.nproc, limits);
  if (options.eslintParallel) runs.eslintPar = await eslintRun('eslint-parallel', env.nproc, limits);

  const section = markdown(env, corpus, runs, options);
  process.stdout.write(`${section}\n`);
  if (options.write) {
    await writeResultsSection(RESULTS_MD, section, `## ${env.date}`, CRAWL_RESULTS_HEADER);
    log(`wrote ${path.relative(ROOT, RESULTS_MD)}`);
  }
  log(`total benchmark time ${sec(performance.now() - benchStarted)} s`);
}

main().catch((error) => {
  process.stderr.write(`[bench] failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
