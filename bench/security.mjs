#!/usr/bin/env node
// Security recall benchmark (issue 16): crawls other scanners' annotated test material at pinned commits
// (bench/security/datasets.json) and reports recall and false-positive rate per language and CWE family
// (bench/security/cwe-map.json), with the default rule pack and with every opt-in rule switched on.
// Plain Node ESM; never part of `npm test`.
//
//   node bench/security.mjs [--only a,b] [--no-build] [--no-write]
//
// Repositories are cloned into bench/.work/security/repos (gitignored) from ROACH_CORPUS_MIRROR/<owner>+<name>/repo
// when that folder exists, else from GitHub; the files to crawl are copied to bench/.work/security/<dataset>.
import { readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { cpuModel } from './machine.mjs';
import { parseCorpusOptions } from './options.mjs';
import { build, checkout, run } from './precision/corpus.mjs';
import { writeResultsSection } from './results-file.mjs';
import { READERS } from './security/readers.mjs';
import { coveredFamilies, familyRows, findingsInSafeFiles, markedCases, ruleFamilies, totalRow } from './security/score.mjs';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(BENCH_DIR);
const ROACH = path.join(ROOT, 'bin', 'roach.js');
const WORK = path.join(BENCH_DIR, '.work', 'security');
const RESULTS_MD = path.join(BENCH_DIR, 'RESULTS.md');
const readJson = (name) => JSON.parse(readFileSync(path.join(BENCH_DIR, 'security', name), 'utf8'));

function roachJson(args) {
  const result = run(process.execPath, [ROACH, ...args]);
  if (result.status !== 0 && result.status !== 1) throw new Error(`roach ${args.join(' ')} exited ${result.status}: ${result.stderr.trim().slice(0, 2000)}`);
  return JSON.parse(result.stdout);
}

/** The crawl's input: the dataset's files in a neutral layout, nothing else (no .roach.yml of theirs). */
async function writeLayout(dir, files) {
  await rm(dir, { recursive: true, force: true });
  for (const file of files) {
    const to = path.join(dir, file.to);
    await mkdir(path.dirname(to), { recursive: true });
    await writeFile(to, file.text);
  }
}

/** A cold, detect-only crawl (fresh data dir), with the project's defaults or the given config file. */
function crawl(dir, dataDir, config) {
  return roachJson(['crawl', dir, '--no-fix', '--format', 'json', '--no-progress', '--data-dir', dataDir, ...(config ? ['--config', config] : [])]).findings;
}

const pct = (part, whole) => (whole === 0 ? '–' : `${((100 * part) / whole).toFixed(1)}%`);

function tableRow(cells, row, runs) {
  const counts = runs.flatMap((r) => [row.runs[r].found, pct(row.runs[r].found, row.positives)]);
  const fps = runs.flatMap((r) => [row.runs[r].fp, pct(row.runs[r].fp, row.negatives)]);
  return `| ${[...cells, row.positives, ...counts, row.negatives, ...fps].join(' | ')} |`;
}

async function main() {
  const options = parseCorpusOptions(process.argv.slice(2), 'bench/security.mjs');
  const datasets = readJson('datasets.json').datasets.filter((d) => !options.only || options.only.has(d.name));
  const map = readJson('cwe-map.json');
  if (options.build) build(ROOT);
  const warnings = [];
  const rules = roachJson(['rules', 'list', '--json']);
  const families = ruleFamilies(rules, map, warnings);
  const covered = (language) => coveredFamilies(families, language);
  // The second run switches on every opt-in rule: the recall a user gets by asking for everything.
  const allRulesConfig = path.join(WORK, 'all-rules.roach.yml');
  const optIn = rules.filter((r) => r.optIn).map((r) => r.id);
  await mkdir(WORK, { recursive: true });
  await writeFile(allRulesConfig, `rules:\n  enabled:\n${optIn.map((id) => `    - ${id}\n`).join('')}`);
  const runs = { default: null, 'all rules': allRulesConfig };

  const cases = [];
  const markedByRun = Object.fromEntries(Object.keys(runs).map((r) => [r, new Set()]));
  const perDataset = [];
  for (const dataset of datasets) {
    const source = await checkout({ name: dataset.name, repo: dataset.repo, commit: dataset.commit }, path.join(WORK, 'repos'));
    const read = READERS[dataset.reader](dataset, source, map[dataset.name], warnings);
    const dir = path.join(WORK, dataset.name);
    await writeLayout(dir, read.files);
    const safeFindings = {};
    const strictFound = {};
    const linePositives = read.cases.filter((c) => c.positive && c.line !== null && covered(c.language).has(c.family));
    for (const [name, config] of Object.entries(runs)) {
      const started = Date.now();
      const dataDir = path.join(WORK, '.data', `${dataset.name}-${name.replace(' ', '-')}`);
      await rm(dataDir, { recursive: true, force: true });
      const findings = crawl(dir, dataDir, config);
      await writeFile(`${dataDir}.findings.json`, JSON.stringify(findings, null, 1));
      for (const testCase of markedCases(read.cases, findings, families)) markedByRun[name].add(testCase);
      safeFindings[name] = findingsInSafeFiles(read.cases, findings, families).length;
      strictFound[name] = markedCases(linePositives, findings, families, true).size;
      process.stderr.write(`${dataset.name} (${name}): ${findings.length} findings, ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    }
    cases.push(...read.cases);
    perDataset.push({ dataset, files: read.files.length, safeFindings, strictFound, linePositives: linePositives.length });
  }

  const runNames = Object.keys(runs);
  const rows = familyRows(cases, markedByRun, covered);
  const date = new Date().toISOString().slice(0, 10);
  const lines = [`## Security recall on the development data (${date})`, ''];
  lines.push(
    `\`npm run bench:security\` on ${cpuModel()}: other scanners' annotated test material at pinned commits (bench/security/datasets.json), ` +
      'copied into a neutral layout (`src/...`: the crawler lowers or skips findings under test/, examples/, samples/), then a cold ' +
      '`roach crawl --no-fix` with the default rule pack ("default") and again with every opt-in rule switched on ("all rules"). ' +
      'A positive is found when a security rule of the same CWE family (bench/security/cwe-map.json) reports on it (njsscan: on the ' +
      'annotated line, inside the statement that starts there, or with a taint trace from it, since a semgrep annotation marks where ' +
      'its match starts); a negative is a false positive when one does. Families no rule of the language looks for are listed as ' +
      'not covered and left out of the totals.',
    '',
  );
  const head = (first) => `| ${[...first, 'positives', ...runNames.flatMap((r) => [`found (${r})`, `recall (${r})`]), 'negatives', ...runNames.flatMap((r) => [`FP (${r})`, `FP rate (${r})`])].join(' | ')} |`;
  const rule = (n) => `|${'---|'.repeat(n)}`;
  lines.push(head(['language', 'dataset (granularity)']), rule(4 + 4 * runNames.length));
  for (const { dataset, files } of perDataset) {
    const total = totalRow(rows.filter((r) => r.language === dataset.language && r.covered), dataset.language);
    const granularity = dataset.granularity.split(':')[0];
    lines.push(tableRow([dataset.language, `${dataset.name}@${dataset.commit.slice(0, 7)} (${granularity}, ${files} files)`], total, runNames));
  }
  const js = totalRow(rows.filter((r) => r.language === 'javascript' && r.covered), 'javascript');
  if (js.positives > 0) {
    const [recall, fpRate] = [js.runs.default.found / js.positives, js.runs.default.fp / js.negatives];
    const verdict = recall >= 0.7 && fpRate <= 0.1 ? 'met' : 'not met';
    lines.push('', `Issue 16's bar for JavaScript/TypeScript (recall ≥ 70% at ≤ 10% false positives, covered families, default pack): ${verdict} (${pct(js.runs.default.found, js.positives)} at ${pct(js.runs.default.fp, js.negatives)}).`);
  }
  lines.push('', 'Per family (covered families only):', '', head(['language', 'family']), rule(4 + 4 * runNames.length));
  for (const row of rows.filter((r) => r.covered)) lines.push(tableRow([row.language, row.family], row, runNames));
  lines.push('', 'Not covered (no rule of the language in the family; positives / negatives):', '');
  for (const language of new Set(rows.map((r) => r.language))) {
    const gaps = rows.filter((r) => r.language === language && !r.covered).map((r) => `${r.family} ${r.positives}/${r.negatives}`);
    lines.push(`- ${language}: ${gaps.join(', ') || 'none'}`);
  }
  lines.push('', 'Findings of security rules (any family) in files holding only negatives, every one a false positive:', '');
  for (const { dataset, safeFindings } of perDataset) lines.push(`- ${dataset.name}: ${runNames.map((r) => `${safeFindings[r]} (${r})`).join(', ')}`);
  for (const { dataset, strictFound, linePositives } of perDataset.filter((d) => d.linePositives > 0)) {
    lines.push('', `${dataset.name}, counted strictly (a finding spanning the annotated line itself, not starting later in its statement nor tracing from it): ${runNames.map((r) => `${strictFound[r]} of ${linePositives} (${r})`).join(', ')}.`);
  }
  lines.push('', 'Granularity: ' + perDataset.map(({ dataset }) => `${dataset.name}: ${dataset.granularity}`).join('; ') + '.', '');
  const section = lines.join('\n');
  process.stdout.write(`${section}\n`);
  for (const warning of new Set(warnings)) process.stderr.write(`warning: ${warning}\n`);

  const missed = cases.filter((c) => c.positive && covered(c.language).has(c.family) && !markedByRun.default.has(c));
  await writeFile(path.join(WORK, 'missed.json'), JSON.stringify(missed, null, 1));
  process.stderr.write(`wrote ${missed.length} missed positives of covered families (default run) to ${path.join(WORK, 'missed.json')}\n`);
  if (options.write) await writeResultsSection(RESULTS_MD, section, lines[0]);
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
