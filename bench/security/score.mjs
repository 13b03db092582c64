// Scoring of the security bench: which cases a crawl's findings hit, and recall / false-positive rate
// per language and CWE family. Only findings of security rules count, each under its rule's family.

/** Secrets rules scan every file, whatever its language. */
const ALL_LANGUAGES = 'all text files';

/**
 * The family of each security rule of the pack (from `roach rules list --json`): the one cwe-map.json
 * gives the rule by id, else its CWE's. Rules whose CWE has no family are left out, with a warning.
 */
export function ruleFamilies(rules, map, warnings) {
  const families = new Map();
  for (const rule of rules) {
    if (rule.category !== 'security') continue;
    const family = map.roachRules[rule.id] ?? map.roachCwe[String(rule.cwe)];
    if (family) families.set(rule.id, { family, languages: rule.languages });
    else warnings.push(`no family for rule ${rule.id} (CWE ${rule.cwe}); add its CWE to bench/security/cwe-map.json`);
  }
  return families;
}

/** The families some rule of the pack looks for in `language`. */
export function coveredFamilies(families, language) {
  const covered = new Set();
  for (const { family, languages } of families.values()) {
    if (languages.includes(language) || languages.includes(ALL_LANGUAGES)) covered.add(family);
  }
  return covered;
}

/**
 * Whether a finding marks the case: same family, in one of its files, and for a line case spanning the
 * line, or (unless `strict`) starting inside the statement that begins there or tracing its data from it.
 */
function marks(finding, testCase, families, strict) {
  if (families.get(finding.ruleId)?.family !== testCase.family) return false;
  if (!testCase.files.includes(finding.file)) return false;
  if (testCase.line === null) return true;
  if (finding.line <= testCase.line && testCase.line <= (finding.endLine ?? finding.line)) return true;
  if (strict) return false;
  const within = (line) => line >= testCase.line && line <= testCase.lastLine;
  const traced = [finding.trace?.source, ...(finding.trace?.steps ?? [])].some((step) => step && within(step.line));
  return within(finding.line) || traced;
}

/** The cases a crawl's findings mark, as a Set of cases. */
export function markedCases(cases, findings, families, strict = false) {
  const byFile = new Map();
  for (const finding of findings) {
    if (!families.has(finding.ruleId)) continue;
    if (!byFile.has(finding.file)) byFile.set(finding.file, []);
    byFile.get(finding.file).push(finding);
  }
  const marked = new Set();
  for (const testCase of cases) {
    const candidates = testCase.files.flatMap((file) => byFile.get(file) ?? []);
    if (candidates.some((finding) => marks(finding, testCase, families, strict))) marked.add(testCase);
  }
  return marked;
}

/**
 * Findings of security rules (any family) in files that hold only negatives: every one is a false
 * positive, whatever the case's family, so this also counts the noise the per-family rate leaves out.
 */
export function findingsInSafeFiles(cases, findings, families) {
  const positiveFiles = new Set(cases.filter((c) => c.positive).flatMap((c) => c.files));
  const safeFiles = new Set(cases.filter((c) => !c.positive).flatMap((c) => c.files).filter((f) => !positiveFiles.has(f)));
  return findings.filter((f) => families.has(f.ruleId) && safeFiles.has(f.file));
}

/** One row per language and family: positives, negatives, and per run (`marked` by run name) found and FP. */
export function familyRows(cases, markedByRun, covered) {
  const rows = new Map();
  for (const testCase of cases) {
    const id = `${testCase.language}\u0000${testCase.family}`;
    if (!rows.has(id)) {
      rows.set(id, { language: testCase.language, family: testCase.family, covered: covered(testCase.language).has(testCase.family), positives: 0, negatives: 0, runs: {} });
    }
    const row = rows.get(id);
    if (testCase.positive) row.positives++;
    else row.negatives++;
    for (const [run, marked] of Object.entries(markedByRun)) {
      row.runs[run] ??= { found: 0, fp: 0 };
      if (marked.has(testCase)) row.runs[run][testCase.positive ? 'found' : 'fp']++;
    }
  }
  return [...rows.values()].sort((a, b) => a.language.localeCompare(b.language) || b.positives - a.positives || a.family.localeCompare(b.family));
}

/** The sum of rows (covered ones, for the totals the bar is about). */
export function totalRow(rows, label) {
  const total = { language: label, family: 'all covered families', covered: true, positives: 0, negatives: 0, runs: {} };
  for (const row of rows) {
    total.positives += row.positives;
    total.negatives += row.negatives;
    for (const [run, counts] of Object.entries(row.runs)) {
      total.runs[run] ??= { found: 0, fp: 0 };
      total.runs[run].found += counts.found;
      total.runs[run].fp += counts.fp;
    }
  }
  return total;
}
