// Child process of bench/crawl-bench.mjs: the detection part of `roach crawl` alone — walk the tree
// and run the built-in rule pack over every file on the crawler's worker-thread pool — with no
// database and no fix generation/validation. Uses internal modules of dist/ (run `npm run build`).
//
//   node bench/engine-runner.mjs <dir> <summary.json> [threads]
import { writeFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { analyzeAll } from '../dist/crawl/analyze-pool.js';
import { walkTree } from '../dist/crawl/walk.js';

const [root, summaryFile, threadsArg] = process.argv.slice(2);
if (!root || !summaryFile) {
  process.stderr.write('usage: node bench/engine-runner.mjs <dir> <summary.json> [threads]\n');
  process.exit(2);
}

const started = performance.now();
const walked = await walkTree({ root, include: [], exclude: [], maxFileSizeBytes: 1_048_576 });
const files = walked.files.map((file) => ({ path: file.path, absolutePath: file.absolutePath, language: file.language, previousSha256: null, sizeBytes: file.sizeBytes }));
const outcomes = await analyzeAll({ selection: { extraDirs: [], disabled: [] }, root, files, threads: threadsArg ? Number(threadsArg) : undefined });
const elapsedMs = performance.now() - started;

let analyzed = 0;
let skipped = walked.skipped.length;
let findings = 0;
const parseErrorFiles = [];
const byRule = {};
for (const outcome of outcomes) {
  if (outcome.status !== 'analyzed') {
    if (outcome.status === 'skipped') skipped++;
    continue;
  }
  analyzed++;
  for (const finding of outcome.findings) {
    if (finding.ruleId === 'parse-error') parseErrorFiles.push(finding.file);
    findings++;
    byRule[finding.ruleId] = (byRule[finding.ruleId] ?? 0) + 1;
  }
}
await writeFile(
  summaryFile,
  JSON.stringify({ walked: walked.files.length, analyzed, skipped, findings, byRule, parseErrorFiles, elapsedMs: Math.round(elapsedMs) }, null, 2),
);
