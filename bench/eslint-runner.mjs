// Child process of bench/crawl-bench.mjs: lints the corpus with the ESLint Node API and writes a
// small JSON summary, so that the parent can time it and measure its peak memory like a roach crawl.
//
//   BENCH_ESLINT_CWD=<corpus> [BENCH_ESLINT_CONCURRENCY=off|auto|N] node bench/eslint-runner.mjs <file-list> <summary.json>
import { readFile, writeFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { ESLint } from 'eslint';

const [listFile, summaryFile] = process.argv.slice(2);
if (!listFile || !summaryFile) {
  process.stderr.write('usage: node bench/eslint-runner.mjs <file-list> <summary.json>\n');
  process.exit(2);
}

const files = (await readFile(listFile, 'utf8')).split('\n').filter(Boolean);
const started = performance.now();
const eslint = await ESLint.fromOptionsModule(new URL('./eslint-options.mjs', import.meta.url));
const results = await eslint.lintFiles(files);
const lintMs = performance.now() - started;

const byRule = {};
const fatalFiles = [];
let findings = 0;
let otherMessages = 0;
for (const result of results) {
  if (result.fatalErrorCount > 0) {
    const fatal = result.messages.find((m) => m.fatal);
    fatalFiles.push({ file: result.filePath, message: fatal ? `${fatal.line}:${fatal.column} ${fatal.message}` : '' });
  }
  for (const message of result.messages) {
    if (message.fatal) continue;
    if (!message.ruleId) {
      otherMessages++;
      continue;
    }
    findings++;
    byRule[message.ruleId] = (byRule[message.ruleId] ?? 0) + 1;
  }
}

await writeFile(
  summaryFile,
  JSON.stringify({ filesLinted: results.length, fatalFiles, findings, otherMessages, byRule, lintMs: Math.round(lintMs) }, null, 2),
);
