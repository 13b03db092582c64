#!/usr/bin/env node
// CLI start-up benchmark (issue 19, goal 5): wall time of short `roach` commands, Node start-up
// included. Plain Node ESM over the compiled dist/ (it does not build); never part of `npm test`.
//
//   node bench/cli-startup.mjs [--runs N] [--before DIR] [--max-files N] [--reuse-data] [--no-write]
//
// --before DIR measures a second checkout (its dist/ built) in the same rounds, so both columns
// share the machine's load; the output of every command must then be the same in both.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { parseArgs as parseArgsOf } from 'node:util';
import { buildCorpus } from './corpus.mjs';
import { cpuModel } from './machine.mjs';
import { writeResultsSection } from './results-file.mjs';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(BENCH_DIR);
const WORK = path.join(BENCH_DIR, '.work', 'cli-startup'); // gitignored
const CORPUS = path.join(WORK, 'corpus');
const DATA = path.join(WORK, 'data');
const DATA_NOTE = path.join(WORK, 'data.json'); // what prepareData made, for --reuse-data
const RESULTS_MD = path.join(BENCH_DIR, 'RESULTS.md');
const HEADING = '## CLI start-up (issue 19, goal 5)';

const USAGE = `usage: node bench/cli-startup.mjs [options]
  --runs N          measured runs per command, after one warm-up (default 9)
  --before DIR      also measure the checkout in DIR (dist/ built there), interleaved with this one
  --max-files N     corpus cap for the crawl behind the store-reading commands (default 5000)
  --reuse-data      keep bench/.work/cli-startup from an earlier run (no corpus copy, no crawl)
  --no-write        print the Markdown section, do not update bench/RESULTS.md
`;

function parseArgs(argv) {
  const { values } = parseArgsOf({
    args: argv,
    options: { runs: { type: 'string' }, before: { type: 'string' }, 'max-files': { type: 'string' }, 'reuse-data': { type: 'boolean' }, 'no-write': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const count = (text, fallback) => (text === undefined ? fallback : Math.max(1, Math.floor(Number(text)) || 0));
  return {
    runs: count(values.runs, 9),
    before: values.before ? path.resolve(values.before) : null,
    maxFiles: count(values['max-files'], 5000),
    reuseData: values['reuse-data'] === true,
    write: values['no-write'] !== true,
  };
}

function log(message) {
  process.stderr.write(`[bench] ${message}\n`);
}

/** The commands measured, with the issue's goal for each; `null` args: bare Node, the floor. */
const COMMANDS = [
  { name: '`node -e 0` (Node alone, the floor)', args: null, goalS: null },
  { name: '`roach --version`', args: ['--version'], goalS: 0.3 },
  { name: '`roach --help`', args: ['--help'], goalS: 0.3 },
  { name: '`roach rules list`', args: ['rules', 'list'], goalS: 0.3 },
  { name: '`roach rules list --json`', args: ['rules', 'list', '--json'], goalS: 0.3 },
  { name: '`roach review list`', args: ['review', 'list', '--dir', CORPUS, '--data-dir', DATA], goalS: 1 },
  { name: '`roach stats`', args: ['stats', '--project', CORPUS, '--data-dir', DATA], goalS: 1 },
];

const TIME_BIN = '/usr/bin/time';
const CPU_FILE = path.join(WORK, 'cpu.txt');

/**
 * Runs one command to its end: wall ms (spawn to exit), CPU ms (user + system, by /usr/bin/time when the
 * machine has it: what load on the machine does not inflate), exit code and a hash of its stdout.
 */
function timeOnce(args) {
  const timed = existsSync(TIME_BIN);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = timed
      ? spawn(TIME_BIN, ['-f', '%U %S', '-o', CPU_FILE, process.execPath, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = createHash('sha256');
    let stderr = '';
    child.stdout.on('data', (chunk) => out.update(chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', async (code) => {
      const ms = performance.now() - started;
      const cpuMs = timed ? (await readFile(CPU_FILE, 'utf8')).trim().split(/\s+/).reduce((sum, s) => sum + Number(s) * 1000, 0) : null;
      resolve({ ms, cpuMs, code, stdout: out.digest('hex').slice(0, 12), stderr });
    });
  });
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const sec = (ms) => (ms / 1000).toFixed(2);
const load = () => os.loadavg()[0].toFixed(2);

/** Copies the corpus and crawls it once (fixes generated and queued, as a default crawl does). */
async function prepareData(roach, maxFiles) {
  await rm(WORK, { recursive: true, force: true });
  await mkdir(WORK, { recursive: true });
  log('building the corpus from node_modules');
  const corpus = await buildCorpus({ nodeModules: path.join(ROOT, 'node_modules'), corpusDir: CORPUS, fileList: path.join(WORK, 'corpus-files.txt'), maxFiles });
  log(`corpus: ${corpus.files} files; crawling it into ${path.relative(ROOT, DATA)}`);
  const started = performance.now();
  const crawl = spawnSync(process.execPath, [roach, 'crawl', CORPUS, '--data-dir', DATA, '--format', 'json', '--no-progress'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  // Exit 1 is the --fail-on gate (findings at or above it), not a failed crawl.
  if (crawl.status !== 0 && crawl.status !== 1) throw new Error(`roach crawl failed (${crawl.status}): ${crawl.stderr}`);
  const report = JSON.parse(crawl.stdout);
  const data = { files: corpus.files, walked: report.files.walked, findings: report.findings.length, fixes: Array.isArray(report.fixes) ? report.fixes.length : 0, crawlS: sec(performance.now() - started), date: new Date().toISOString().slice(0, 10) };
  await writeFile(DATA_NOTE, JSON.stringify(data));
  return data;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const checkouts = [{ label: 'after', dir: ROOT }, ...(options.before ? [{ label: 'before', dir: options.before }] : [])];
  for (const c of checkouts) {
    c.roach = path.join(c.dir, 'bin', 'roach.js');
    if (!existsSync(path.join(c.dir, 'dist', 'cli', 'main.js'))) throw new Error(`${c.dir}/dist is missing: run \`npm run build\` there first`);
  }
  let data;
  const reused = options.reuseData && existsSync(DATA_NOTE);
  if (reused) {
    log('reusing the corpus and data dir of an earlier run');
    data = JSON.parse(await readFile(DATA_NOTE, 'utf8'));
  } else data = await prepareData(checkouts[checkouts.length - 1].roach, options.maxFiles);

  // One warm-up of everything (disk cache, and the rule-pack cache of a checkout that keeps one).
  const loadBefore = load();
  for (const c of checkouts) for (const command of COMMANDS) await timeOnce(command.args ? [c.roach, ...command.args] : ['-e', '0']);
  const samples = new Map();
  const cpu = new Map();
  const outputs = new Map();
  // Round-robin: each round runs every command of every checkout once, so load spikes hit all alike.
  for (let round = 0; round < options.runs; round++) {
    for (const command of COMMANDS) {
      for (const c of checkouts) {
        if (!command.args && c.label === 'before') continue;
        const run = await timeOnce(command.args ? [c.roach, ...command.args] : ['-e', '0']);
        if (run.code !== 0) throw new Error(`${command.name} (${c.label}) exited ${run.code}: ${run.stderr}`);
        const key = `${command.name}|${c.label}`;
        samples.set(key, [...(samples.get(key) ?? []), run.ms]);
        if (run.cpuMs !== null) cpu.set(key, [...(cpu.get(key) ?? []), run.cpuMs]);
        outputs.set(key, run.stdout);
      }
    }
    log(`round ${round + 1}/${options.runs} done (load ${load()})`);
  }
  const loadAfter = load();

  const before = options.before !== null;
  const differing = before ? COMMANDS.filter((c) => c.args && outputs.get(`${c.name}|after`) !== outputs.get(`${c.name}|before`)).map((c) => c.name) : [];
  const hasCpu = cpu.size > 0;
  const medianOf = (map, key) => (map.has(key) ? sec(median(map.get(key))) : '');
  const columns = [
    ['Command', (c) => c.name],
    ['Goal (s)', (c) => (c.goalS === null ? '' : `≤ ${c.goalS}`)],
    ...(before ? [['Before, median (s)', (c) => medianOf(samples, `${c.name}|before`)]] : []),
    [before ? 'After, median (s)' : 'Median (s)', (c) => `**${medianOf(samples, `${c.name}|after`)}**`],
    [before ? 'After, min – max (s)' : 'Min – max (s)', (c) => `${sec(Math.min(...samples.get(`${c.name}|after`)))} – ${sec(Math.max(...samples.get(`${c.name}|after`)))}`],
    ...(hasCpu && before ? [['Before, CPU (s)', (c) => medianOf(cpu, `${c.name}|before`)]] : []),
    ...(hasCpu ? [[before ? 'After, CPU (s)' : 'CPU (s)', (c) => medianOf(cpu, `${c.name}|after`)]] : []),
    ['Goal met', (c) => (c.goalS === null ? '' : median(samples.get(`${c.name}|after`)) / 1000 <= c.goalS ? 'yes' : 'no')],
  ];
  const head = `| ${columns.map(([title]) => title).join(' | ')} |`;
  const rule = `| ${columns.map((_, i) => (i < 2 ? '---' : '---:')).join(' | ')} |`;
  const rows = COMMANDS.map((command) => `| ${columns.map(([, cell]) => cell(command)).join(' | ')} |`);
  const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
  const beforeCommit = before ? spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: options.before, encoding: 'utf8' }).stdout.trim() : null;
  const section = [
    HEADING,
    '',
    `Written by \`npm run bench:cli\` (bench/cli-startup.mjs) on ${new Date().toISOString().slice(0, 10)}; a later run replaces this section.`,
    '',
    `- Machine: ${cpuModel()}, ${os.availableParallelism()} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM; Node ${process.version}. 1-minute load average ${loadBefore} before the runs, ${loadAfter} after (other work shared the machine).`,
    `- Wall: spawn to exit, Node start-up included; median of ${options.runs} runs per command after one warm-up, commands run round-robin${before ? `, before (${beforeCommit}) and after (${commit}) interleaved` : ` (at ${commit})`}.${hasCpu ? ' CPU: user + system seconds of the process (median, by /usr/bin/time), which load on the machine inflates much less than wall.' : ''}`,
    `- Store-reading commands: the data dir of one default crawl (fixes generated and queued) of ${data.files} files of node_modules (bench/corpus.mjs, the crawl bench's corpus) on ${data.date}: ${data.walked} walked, ${data.findings} findings, ${data.fixes} fixes; the crawl took ${data.crawlS} s${reused ? ' (made by an earlier run, `--reuse-data`)' : ''}.`,
    ...(before ? [differing.length === 0 ? '- Output: every command printed the same bytes before and after.' : `- Output differs before/after for: ${differing.join(', ')}.`] : []),
    '',
    head,
    rule,
    ...rows,
    '',
  ].join('\n');
  process.stdout.write(`${section}\n`);
  if (options.write) {
    await writeResultsSection(RESULTS_MD, section, HEADING);
    log(`wrote ${path.relative(ROOT, RESULTS_MD)}`);
  }
}

main().catch((error) => {
  process.stderr.write(`[bench] failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
