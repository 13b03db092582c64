#!/usr/bin/env node
// Precision benchmark (issue 13): crawls a development corpus of real repositories at pinned commits
// (bench/precision/corpus.json) with the default rule pack, detect only, and reports findings per rule
// and per severity, their share in test and generated code, and the precision measured on the
// labelled sample (bench/precision/labels.json). Plain Node ESM; never part of `npm test`.
//
//   node bench/precision.mjs [--only a,b] [--no-build] [--no-write] [--sample N] [--seed S]
//
// Repositories are cloned into bench/.work/precision (gitignored) from ROACH_CORPUS_MIRROR/<owner>+<name>/repo
// when that folder exists (a local mirror), else from https://github.com/<owner>/<name>.git.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { cpuModel } from './machine.mjs';
import { classifyPath, isGeneratedText } from './precision/paths.mjs';
import { loadLabels, matchLabels, precisionTables, sampleForLabelling } from './precision/labels.mjs';
import { writeResultsSection } from './results-file.mjs';
import { build, checkout, corpusEntries, run, WORK } from './precision/corpus.mjs';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(BENCH_DIR);
const ROACH = path.join(ROOT, 'bin', 'roach.js');
const LABELS_FILE = path.join(BENCH_DIR, 'precision', 'labels.json');
const RESULTS_MD = path.join(BENCH_DIR, 'RESULTS.md');
const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'];

function parseArgs(argv) {
  const options = { only: null, build: true, write: true, sample: 0, seed: 1 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--only') options.only = new Set(argv[++i].split(','));
    else if (arg === '--no-build') options.build = false;
    else if (arg === '--no-write') options.write = false;
    else if (arg === '--sample') options.sample = Number(argv[++i]);
    else if (arg === '--seed') options.seed = Number(argv[++i]);
    else throw new Error(`unknown option ${arg}; see the header of bench/precision.mjs`);
  }
  return options;
}

/** A cold, detect-only crawl with the default configuration of the project (its own .roach.yml if any). */
async function crawlRepository(entry, dir) {
  const dataDir = path.join(WORK, '.data', entry.name);
  await rm(dataDir, { recursive: true, force: true });
  const started = Date.now();
  const result = run(process.execPath, [ROACH, 'crawl', dir, '--no-fix', '--format', 'json', '--no-progress', '--data-dir', dataDir]);
  if (result.status !== 0 && result.status !== 1) throw new Error(`roach crawl ${entry.name} exited ${result.status}: ${result.stderr.trim().slice(0, 2000)}`);
  const report = JSON.parse(result.stdout);
  return { report, seconds: (Date.now() - started) / 1000 };
}

function countBy(items, key) {
  const counts = new Map();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

function pct(part, whole) {
  return whole === 0 ? '–' : `${((100 * part) / whole).toFixed(1)}%`;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const corpus = corpusEntries(options.only);
  if (options.build) build(ROOT);
  const findings = [];
  const perRepo = [];
  for (const entry of corpus) {
    const dir = await checkout(entry);
    const { report, seconds } = await crawlRepository(entry, dir);
    const generatedCache = new Map();
    const generated = (file) => {
      if (!generatedCache.has(file)) generatedCache.set(file, classifyPath(file).generated || isGeneratedText(path.join(dir, file)));
      return generatedCache.get(file);
    };
    for (const finding of report.findings) {
      findings.push({ ...finding, repo: entry.name, commit: entry.commit, inTests: classifyPath(finding.file).test, inGenerated: generated(finding.file) });
    }
    const skipped = countBy(report.files.skipped, (s) => s.reason);
    perRepo.push({ name: entry.name, commit: entry.commit, seconds, files: report.files, skipped: Object.fromEntries(skipped), findings: report.findings.length });
    process.stderr.write(`${entry.name}: ${report.findings.length} findings, ${report.files.analyzed} files analyzed, ${seconds.toFixed(1)} s\n`);
  }

  const labels = loadLabels(LABELS_FILE);
  const matched = matchLabels(findings, labels);
  const tables = precisionTables(findings, matched);
  const date = new Date().toISOString().slice(0, 10);
  const lines = [];
  lines.push(`## Precision on the development corpus (${date})`, '');
  lines.push(`\`node bench/precision.mjs\` on ${cpuModel()}: ${corpus.length} repositories at pinned commits (bench/precision/corpus.json), cold \`roach crawl --no-fix\` with the default rule pack, labels from bench/precision/labels.json.`, '');
  lines.push('| repository | files analyzed | skipped (reasons) | findings | crawl s |', '|---|---:|---|---:|---:|');
  for (const r of perRepo) {
    const reasons = Object.entries(r.skipped).map(([k, v]) => `${k} ${v}`).join(', ') || '–';
    lines.push(`| ${r.name} | ${r.files.analyzed} | ${reasons} | ${r.findings} | ${r.seconds.toFixed(1)} |`);
  }
  lines.push('');
  const high = findings.filter((f) => f.severity === 'critical' || f.severity === 'high');
  lines.push(`Findings: ${findings.length}; in test/example/benchmark code: ${pct(findings.filter((f) => f.inTests).length, findings.length)}; in generated or vendored code: ${findings.filter((f) => f.inGenerated).length}.`);
  lines.push(`High and critical: ${high.length}; in test code: ${pct(high.filter((f) => f.inTests).length, high.length)}.`, '');
  lines.push('| severity | findings | labelled | TP | FP | precision | share of findings in tests |', '|---|---:|---:|---:|---:|---:|---:|');
  for (const row of tables.bySeverity) {
    const all = findings.filter((f) => f.severity === row.severity);
    lines.push(`| ${row.severity} | ${row.findings} | ${row.labelled} | ${row.tp} | ${row.fp} | ${row.precision} | ${pct(all.filter((f) => f.inTests).length, all.length)} |`);
  }
  lines.push(`| high + critical | ${tables.highCritical.findings} | ${tables.highCritical.labelled} | ${tables.highCritical.tp} | ${tables.highCritical.fp} | ${tables.highCritical.precision} | |`);
  lines.push(`| all (weighted by severity) | ${findings.length} | ${tables.all.labelled} | ${tables.all.tp} | ${tables.all.fp} | ${tables.all.precision} | |`, '');
  lines.push('Rules with the most findings:', '', '| rule | findings | in tests | labelled | TP | FP |', '|---|---:|---:|---:|---:|---:|');
  for (const row of tables.byRule.slice(0, 15)) lines.push(`| ${row.rule} | ${row.findings} | ${row.inTests} | ${row.labelled} | ${row.tp} | ${row.fp} |`);
  lines.push('');
  const section = lines.join('\n');
  process.stdout.write(`${section}\n`);
  await mkdir(WORK, { recursive: true });
  await writeFile(path.join(WORK, 'findings.json'), JSON.stringify(findings, null, 1));
  if (options.sample > 0) {
    const sample = sampleForLabelling(findings, matched, options.sample, options.seed, SEVERITIES);
    const out = path.join(WORK, 'to-label.json');
    await writeFile(out, JSON.stringify(sample, null, 1));
    process.stderr.write(`wrote ${sample.length} unlabelled findings to label: ${out}\n`);
  }
  if (options.write) await writeResultsSection(RESULTS_MD, section, lines[0]);
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
