// Child process of bench/crawl-bench.mjs: lints the corpus with oxlint (its CLI: oxlint has no JS
// API) limited to the rules of bench/eslint-rules.mjs that oxlint implements, and writes a summary.
//
//   BENCH_OXLINT_CWD=<corpus> BENCH_OXLINT_THREADS=N node bench/oxlint-runner.mjs <file-list> <summary.json>
import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { BENCH_RULES } from './eslint-rules.mjs';

const [listFile, summaryFile] = process.argv.slice(2);
if (!listFile || !summaryFile) {
  process.stderr.write('usage: node bench/oxlint-runner.mjs <file-list> <summary.json>\n');
  process.exit(2);
}
const OXLINT = fileURLToPath(new URL('../node_modules/.bin/oxlint', import.meta.url));
const files = (await readFile(listFile, 'utf8')).split('\n').filter(Boolean);
const threads = process.env.BENCH_OXLINT_THREADS ?? '1';
// The list holds corpus-relative paths, as for ESLint.
const cwd = process.env.BENCH_OXLINT_CWD ?? process.cwd();

// Which bench rules oxlint knows: asking it to deny an unknown rule is an error, so probe each once.
const probe = path.join(path.dirname(summaryFile), 'oxlint-probe.js');
await writeFile(probe, '');
const known = Object.keys(BENCH_RULES).filter((rule) => spawnSync(OXLINT, ['-A', 'all', '-D', rule, '--format', 'json', probe], { encoding: 'utf8' }).stderr.trim() === '');
const args = ['--format', 'json', '--threads', threads, '--no-ignore', '-A', 'all', ...known.flatMap((rule) => ['-D', rule])];

const started = performance.now();
const diagnostics = [];
let filesLinted = 0;
// Paths go in chunks: a single argument list of every corpus file can exceed the system limit.
for (let i = 0; i < files.length; i += 2000) {
  const result = spawnSync(OXLINT, [...args, ...files.slice(i, i + 2000)], { cwd, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  if (result.status !== 0 && result.status !== 1) throw new Error(`oxlint exited with ${result.status}: ${result.stderr || result.stdout}`);
  if (result.error) throw result.error;
  const report = JSON.parse(result.stdout);
  diagnostics.push(...report.diagnostics);
  filesLinted += report.number_of_files;
}
const lintMs = performance.now() - started;
const byRule = {};
for (const d of diagnostics) byRule[d.code] = (byRule[d.code] ?? 0) + 1;
await writeFile(summaryFile, JSON.stringify({ filesLinted, rules: known, findings: diagnostics.length, byRule, lintMs: Math.round(lintMs) }, null, 2));
