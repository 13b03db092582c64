// Labels of the precision sample: each a finding of a corpus repository judged a true or false positive
// by reading the code. A label names repository, commit, file, 1-based line and rule, so it keeps
// matching the same finding across crawls while the corpus stays at its pinned commit.
import { existsSync, readFileSync } from 'node:fs';

const VERDICTS = new Set(['TP', 'FP']);

export function loadLabels(file) {
  if (!existsSync(file)) return [];
  const data = JSON.parse(readFileSync(file, 'utf8'));
  const labels = data.labels ?? [];
  labels.forEach((label, i) => {
    for (const key of ['repo', 'commit', 'file', 'line', 'rule', 'verdict', 'reason']) {
      if (label[key] === undefined || label[key] === '') throw new Error(`${file}: label ${i} has no ${key}`);
    }
    if (!VERDICTS.has(label.verdict)) throw new Error(`${file}: label ${i}: verdict must be TP or FP, not ${label.verdict}`);
  });
  return labels;
}

const keyOf = (repo, commit, file, rule, line) => `${repo}\0${commit}\0${file}\0${rule}\0${line}`;

/** Finding index -> its label. */
export function matchLabels(findings, labels) {
  const byKey = new Map(labels.map((l) => [keyOf(l.repo, l.commit, l.file, l.rule, l.line), l]));
  const matched = new Map();
  findings.forEach((f, i) => {
    const label = byKey.get(keyOf(f.repo, f.commit, f.file, f.ruleId, f.line));
    if (label) matched.set(i, label);
  });
  return matched;
}

function ratio(tp, fp) {
  return tp + fp === 0 ? '–' : `${((100 * tp) / (tp + fp)).toFixed(1)}%`;
}

function tally(indices, findings, matched) {
  let tp = 0;
  let fp = 0;
  for (const i of indices) {
    const label = matched.get(i);
    if (label?.verdict === 'TP') tp++;
    else if (label?.verdict === 'FP') fp++;
  }
  return { findings: indices.length, labelled: tp + fp, tp, fp, precision: ratio(tp, fp) };
}

/**
 * Precision per severity over the labelled findings of that severity; overall precision weights each
 * severity's precision by its share of all findings (the sample is stratified by severity, so an
 * unweighted ratio would over-count the rarer severities).
 */
export function precisionTables(findings, matched) {
  const indices = findings.map((_, i) => i);
  const severities = [...new Set(findings.map((f) => f.severity))];
  const order = ['critical', 'high', 'medium', 'low', 'info'];
  severities.sort((a, b) => order.indexOf(a) - order.indexOf(b));
  const bySeverity = severities.map((severity) => ({ severity, ...tally(indices.filter((i) => findings[i].severity === severity), findings, matched) }));
  const highCritical = tally(indices.filter((i) => ['critical', 'high'].includes(findings[i].severity)), findings, matched);
  let weighted = 0;
  let weight = 0;
  for (const row of bySeverity) {
    if (row.labelled === 0) continue;
    weighted += row.findings * (row.tp / row.labelled);
    weight += row.findings;
  }
  const allTally = tally(indices, findings, matched);
  const all = { ...allTally, precision: weight === 0 ? '–' : `${((100 * weighted) / weight).toFixed(1)}%`, coveredShare: findings.length === 0 ? 0 : weight / findings.length };
  const rules = [...new Set(findings.map((f) => f.ruleId))];
  const byRule = rules
    .map((rule) => {
      const own = indices.filter((i) => findings[i].ruleId === rule);
      return { rule, inTests: own.filter((i) => findings[i].inTests).length, ...tally(own, findings, matched) };
    })
    .sort((a, b) => b.findings - a.findings || a.rule.localeCompare(b.rule));
  return { bySeverity, highCritical, all, byRule };
}

/** mulberry32: a small seeded generator, so a sample can be drawn again. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Up to `n` unlabelled findings, spread evenly over the severities present, chosen at random. */
export function sampleForLabelling(findings, matched, n, seed, severities) {
  const next = random(seed);
  const pools = severities.map((s) => findings.map((f, i) => ({ f, i })).filter(({ f, i }) => f.severity === s && !matched.has(i)));
  for (const pool of pools) {
    for (let i = pool.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [pool[i], pool[j]] = [pool[j], pool[i]];
    }
  }
  const out = [];
  let round = 0;
  while (out.length < n && pools.some((p) => p.length > round)) {
    for (const pool of pools) if (pool.length > round && out.length < n) out.push(pool[round].f);
    round++;
  }
  return out.map((f) => ({ repo: f.repo, commit: f.commit, file: f.file, line: f.line, rule: f.ruleId, severity: f.severity, message: f.message, snippet: f.snippet, trace: f.trace ?? null }));
}
