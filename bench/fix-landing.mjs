#!/usr/bin/env node
// Fixes that land (issue 14): crawls the development corpus (bench/precision/corpus.json) with fix
// generation on and nothing written (no --apply), and reports, for the security findings and for all of
// them, how many got a fix proposal and how many of those passed validation (re-parse, re-analysis:
// target gone, nothing new). Plain Node ESM; never part of `npm test`.
//
//   node bench/fix-landing.mjs [--only a,b] [--no-build] [--no-write]
import { rm } from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { cpuModel } from './machine.mjs';
import { parseCorpusOptions } from './options.mjs';
import { build, checkout, corpusEntries, run, WORK } from './precision/corpus.mjs';
import { writeResultsSection } from './results-file.mjs';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(BENCH_DIR);
const ROACH = path.join(ROOT, 'bin', 'roach.js');
const RESULTS_MD = path.join(BENCH_DIR, 'RESULTS.md');

const pct = (part, whole) => (whole === 0 ? '–' : `${((100 * part) / whole).toFixed(1)}%`);
const key = (file, line, ruleId) => `${file}\0${line}\0${ruleId}`;

/** One crawl that proposes and validates fixes but writes none. */
async function crawlWithFixes(entry, dir) {
  const dataDir = path.join(WORK, '.data-fixes', entry.name);
  await rm(dataDir, { recursive: true, force: true });
  const result = run(process.execPath, [ROACH, 'crawl', dir, '--format', 'json', '--no-progress', '--data-dir', dataDir]);
  if (result.status !== 0 && result.status !== 1) throw new Error(`roach crawl ${entry.name} exited ${result.status}: ${result.stderr.trim().slice(0, 2000)}`);
  return JSON.parse(result.stdout);
}

/** Counts of a group of findings and the fixes proposed for them. */
function tally(findings, fixesByFinding) {
  const fixes = findings.map((f) => fixesByFinding.get(key(f.file, f.line, f.ruleId))).filter(Boolean);
  const passed = fixes.filter((f) => f.decision === 'queued' || f.decision === 'applied');
  const failed = fixes.filter((f) => f.decision === 'failed-validation');
  return { findings: findings.length, proposed: fixes.length, passed: passed.length, failed: failed.length, failedFixes: failed };
}

async function main() {
  const options = parseCorpusOptions(process.argv.slice(2), 'bench/fix-landing.mjs');
  const corpus = corpusEntries(options.only);
  if (options.build) build(ROOT);
  const all = [];
  const fixesByFinding = new Map();
  const byRule = new Map();
  for (const entry of corpus) {
    const dir = await checkout(entry);
    const report = await crawlWithFixes(entry, dir);
    for (const fix of report.fixes ?? []) fixesByFinding.set(key(`${entry.name}/${fix.file}`, fix.line, fix.ruleId), fix);
    for (const finding of report.findings) {
      const row = { ...finding, file: `${entry.name}/${finding.file}`, line: finding.line };
      all.push(row);
      const rule = byRule.get(finding.ruleId) ?? { rule: finding.ruleId, category: finding.category, items: [] };
      rule.items.push(row);
      byRule.set(finding.ruleId, rule);
    }
    process.stderr.write(`${entry.name}: ${report.findings.length} findings, ${(report.fixes ?? []).length} fixes\n`);
  }
  const security = all.filter((f) => f.category === 'security');
  const rows = [
    ['security', tally(security, fixesByFinding)],
    ['all', tally(all, fixesByFinding)],
  ];
  const date = new Date().toISOString().slice(0, 10);
  const lines = [`## Fixes on the development corpus (${date})`, ''];
  lines.push(`\`node bench/fix-landing.mjs\` on ${cpuModel()}: ${corpus.length} repositories (bench/precision/corpus.json), cold \`roach crawl\` with fix generation on and nothing written; a fix passes validation when it re-parses and re-analysis finds its target gone and nothing new.`, '');
  lines.push('| findings | count | with a fix proposed | fix passes validation | fix fails validation |', '|---|---:|---:|---:|---:|');
  for (const [name, t] of rows) lines.push(`| ${name} | ${t.findings} | ${t.proposed} (${pct(t.proposed, t.findings)}) | ${t.passed} (${pct(t.passed, t.proposed)}) | ${t.failed} |`);
  lines.push('', 'Security rules with findings:', '', '| rule | findings | fix proposed | passes validation |', '|---|---:|---:|---:|');
  for (const rule of [...byRule.values()].filter((r) => r.category === 'security').sort((a, b) => b.items.length - a.items.length)) {
    const t = tally(rule.items, fixesByFinding);
    lines.push(`| ${rule.rule} | ${t.findings} | ${t.proposed} | ${t.passed} |`);
  }
  const failures = rows[1][1].failedFixes;
  if (failures.length > 0) {
    lines.push('', 'Fixes that failed validation:', '');
    for (const f of failures.slice(0, 20)) lines.push(`- ${f.ruleId} ${f.file}:${f.line}: ${(f.reason ?? '').split('\n')[0]}`);
  }
  lines.push('');
  const section = lines.join('\n');
  process.stdout.write(`${section}\n`);
  if (options.write) await writeResultsSection(RESULTS_MD, section, lines[0]);
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
