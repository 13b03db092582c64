import { CATEGORIES, SEVERITIES, severityRank } from '../domain/severity.js';
import { hitRateOf } from '../fixes/llm-strategy.js';
import type { FindingTrace } from '../domain/finding.js';
import type { Severity } from '../domain/severity.js';
import type { CrawlReport, FixDecision, ReportedIssue } from '../crawl/crawl-report.js';
import type { SkippedFile } from '../crawl/walk.js';

export interface TerminalOptions {
  /** Emit ANSI colours. The caller decides (TTY, NO_COLOR, --no-color); this formatter never guesses. */
  readonly color: boolean;
}

const MAX_SKIPPED_LISTED = 10;
const MAX_FINDINGS_LISTED = 50;
const MAX_WORST_FILES = 10;

/** SGR open/close pairs. Plain escape codes rather than `util.styleText`, which is missing before Node 20.12 and drops colour on its own when stdout is not a TTY. */
const STYLES = {
  bold: ['1', '22'],
  dim: ['2', '22'],
  red: ['31', '39'],
  yellow: ['33', '39'],
  cyan: ['36', '39'],
  green: ['32', '39'],
} as const;
type Style = keyof typeof STYLES;

const SEVERITY_STYLES: Readonly<Record<Severity, readonly Style[]>> = {
  critical: ['bold', 'red'],
  high: ['red'],
  medium: ['yellow'],
  low: ['cyan'],
};

type Paint = (styles: readonly Style[], text: string) => string;

function painter(color: boolean): Paint {
  if (!color) return (_styles, text) => text;
  return (styles, text) =>
    styles.reduce((inner, style) => `\u001b[${STYLES[style][0]}m${inner}\u001b[${STYLES[style][1]}m`, text);
}

/**
 * Paths and messages come from the crawled tree; a file name holding escape sequences must not be able to
 * drive the user's terminal, and a multi-line message must not break the one-finding-per-line layout.
 */
function clean(text: string): string {
  return (
    text
      .replace(/\s*[\r\n]+\s*/g, ' ')
      .replace(/\t/g, ' ')
      // eslint-disable-next-line no-control-regex -- matching control characters is the point
      .replace(/[\u0000-\u001f\u007f-\u009f]/g, '?')
  );
}

function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${minutes} min ${seconds} s`;
}

function formatScore(score: number): string {
  return Number.isInteger(score) ? String(score) : score.toFixed(1);
}

function fileLines(report: CrawlReport, paint: Paint): string[] {
  const { walked, analyzed, unchanged, skipped, removed } = report.files;
  const lines = [
    `${paint(['bold'], 'Files:')} ${walked} walked, ${analyzed} analyzed, ${unchanged} unchanged, ${skipped.length} skipped` +
      (removed > 0 ? `, ${removed} removed` : ''),
  ];
  if (skipped.length === 0) return lines;

  const byReason = new Map<string, SkippedFile[]>();
  for (const file of skipped) byReason.set(file.reason, [...(byReason.get(file.reason) ?? []), file]);
  const reasons = [...byReason.keys()].sort();
  lines.push(`  Skipped by reason: ${reasons.map((reason) => `${reason} ${byReason.get(reason)?.length ?? 0}`).join(', ')}`);

  const listed = reasons
    .flatMap((reason) => [...(byReason.get(reason) ?? [])].sort((a, b) => a.path.localeCompare(b.path)))
    .slice(0, MAX_SKIPPED_LISTED);
  for (const file of listed) {
    const detail = file.detail ? paint(['dim'], ` (${clean(file.detail)})`) : '';
    lines.push(`    ${clean(file.path)}  ${file.reason}${detail}`);
  }
  if (skipped.length > listed.length) lines.push(`    … and ${skipped.length - listed.length} more`);
  return lines;
}

function issueLines(report: CrawlReport, paint: Paint): string[] {
  const { total, bySeverity, byCategory } = report.openIssues;
  const severities = SEVERITIES.map((severity) => paint(SEVERITY_STYLES[severity], `${severity} ${bySeverity[severity]}`));
  const categories = CATEGORIES.filter((category) => byCategory[category] > 0).map(
    (category) => `${category} ${byCategory[category]}`,
  );
  return [
    `${paint(['bold'], 'Open issues:')} ${total}`,
    `  By severity: ${severities.join(', ')}`,
    `  By category: ${categories.length > 0 ? categories.join(', ') : 'none'}`,
    ...nonProductionLine(report),
    ...(report.baseline
      ? [`  New since ${report.baseline.ref} (${report.baseline.commit.slice(0, 8)}): ${report.baseline.newIssues.total} (${SEVERITIES.map((s) => `${s} ${report.baseline?.newIssues.bySeverity[s] ?? 0}`).join(', ')})`]
      : []),
  ];
}

/** How many open issues are in test, fixture, example or benchmark code (their rules' `inTests` policy kept them). */
function nonProductionLine(report: CrawlReport): string[] {
  const count = report.findings.filter((finding) => finding.codeRole).length;
  return count > 0 ? [`  In test, example or benchmark code: ${count} (marked [test], [fixture], [example], [benchmark])`] : [];
}

function compareFindings(a: ReportedIssue, b: ReportedIssue): number {
  return (
    severityRank(a.severity) - severityRank(b.severity) ||
    a.file.localeCompare(b.file) ||
    a.range.startLine - b.range.startLine ||
    a.range.startColumn - b.range.startColumn ||
    a.ruleId.localeCompare(b.ruleId)
  );
}

/** `req.query.id (3) -> q (5) -> sink`: the taint path in one line, labels cleaned like messages. */
function traceLine(trace: FindingTrace): string {
  return [trace.source, ...trace.steps].map((step) => `${clean(step.label)} (${step.file ? `${clean(step.file)}:` : ''}${step.line + 1})`).concat('sink').join(' -> ');
}

function findingLines(report: CrawlReport, paint: Paint): string[] {
  if (report.findings.length === 0) return [];
  const listed = [...report.findings].sort(compareFindings).slice(0, MAX_FINDINGS_LISTED);
  const width = Math.max(...listed.map((finding) => finding.severity.length));
  const lines = [
    paint(['bold'], `Findings (${listed.length < report.findings.length ? `first ${listed.length} of ` : ''}${report.findings.length}):`),
  ];
  for (const finding of listed) {
    const where = `${clean(finding.file)}:${finding.range.startLine + 1}:${finding.range.startColumn + 1}`;
    const severity = paint(SEVERITY_STYLES[finding.severity], finding.severity.padEnd(width));
    const tag = (finding.baselineState === 'new' ? `${paint(['bold'], 'NEW')}  ` : '') + (finding.codeRole ? `${paint(['dim'], `[${finding.codeRole}]`)}  ` : '');
    const engines = finding.engines && finding.engines.length > 1 ? `  ${paint(['dim'], `[${finding.engines.map(clean).join(', ')}]`)}` : '';
    lines.push(`  ${where}  ${severity}  ${tag}${paint(['dim'], finding.ruleId)}  ${clean(finding.message)}${engines}`);
    if (finding.trace) lines.push(`    ${paint(['dim'], `path: ${traceLine(finding.trace)}`)}`);
  }
  return lines;
}

/** One line per analyzer adapter: what ran, what it found, or why it did not run. */
function adapterLines(report: CrawlReport, paint: Paint): string[] {
  if (!report.adapters || report.adapters.length === 0) return [];
  return [
    paint(['bold'], 'Analyzer adapters:'),
    ...report.adapters.map((a) => `  ${clean(a.adapter)}  ${a.status === 'failed' ? paint(['red'], 'failed') : a.status}  ${plural(a.findings, 'finding')}  ${formatDuration(a.durationMs)}  ${paint(['dim'], clean(a.detail))}`),
  ];
}

/** The project's ECMAScript target in one line, and the rules and fixes it left out. */
function targetLines(report: CrawlReport, paint: Paint): string[] {
  const target = report.target;
  if (!target) return [];
  const where = target.edition === null ? 'unknown (nothing declared: no restriction)' : `${target.edition} (from ${target.source ?? 'unknown'})`;
  const effects = [
    target.rulesLeftOut.length > 0 ? `rules left out: ${target.rulesLeftOut.join(', ')}` : '',
    target.fixesWithheld.length > 0 ? `fixes withheld: ${target.fixesWithheld.join(', ')}` : '',
    target.fixesInOlderForm.length > 0 ? `fixes in older form: ${target.fixesInOlderForm.join(', ')}` : '',
  ].filter((text) => text !== '');
  return [`${paint(['bold'], 'Target:')} ${clean(where)}`, ...effects.map((text) => `  ${paint(['dim'], clean(text))}`)];
}

/** Custom rule files skipped as malformed: the run went on without them, but their author must know. */
function ruleProblemLines(report: CrawlReport, paint: Paint): string[] {
  if (!report.ruleProblems || report.ruleProblems.length === 0) return [];
  return [paint(['bold', 'yellow'], 'Rule files skipped:'), ...report.ruleProblems.map((p) => `  ${paint(['yellow'], clean(p.message))}`)];
}

/** Files our grammar trails (the language's own parser accepts them): no parse error reported; listed briefly. */
const MAX_GAPS_LISTED = 5;
function grammarGapLines(report: CrawlReport, paint: Paint): string[] {
  const gaps = report.grammarGaps ?? [];
  if (gaps.length === 0) return [];
  const listed = gaps.slice(0, MAX_GAPS_LISTED).map((gap) => `  ${clean(gap.path)}${paint(['dim'], ` (${clean(gap.detail)})`)}`);
  const more = gaps.length > listed.length ? [`  … and ${gaps.length - listed.length} more`] : [];
  return [`${paint(['bold'], 'Grammar gaps:')} ${gaps.length} file${gaps.length === 1 ? '' : 's'} parsed only in part by our grammar but valid for the language's own parser`, ...listed, ...more];
}

/** Problems that changed what was crawled (an unreadable `.gitignore`), and validation commands that did not run. */
function warningLines(report: CrawlReport, paint: Paint): string[] {
  const skipped = report.validationCommands?.mode === 'skipped' ? [`validation commands not run: ${report.validationCommands.reason ?? ''}`] : [];
  const warnings = [...(report.warnings ?? []).map((w) => `${w.path}: ${w.message}`), ...skipped];
  if (warnings.length === 0) return [];
  return [paint(['bold', 'yellow'], 'Warnings:'), ...warnings.map((w) => `  ${paint(['yellow'], clean(w))}`)];
}

/** Rules the project's own decisions turned off: its ESLint configuration, and its conventions (one note per rule). */
function decisionLines(report: CrawlReport, paint: Paint): string[] {
  const decisions = report.decisions;
  if (!decisions) return [];
  const lines = [paint(['bold'], "The project's decisions:")];
  const off = decisions.eslintConfig?.rulesOff ?? [];
  if (decisions.eslintConfig && off.length > 0) {
    lines.push(`  ${clean(decisions.eslintConfig.file)} turns off: ${off.map((entry) => `${clean(entry.rule)} (${clean(entry.eslintRule)})`).join(', ')}`);
  }
  for (const scoped of decisions.eslintConfig?.scoped ?? []) {
    lines.push(`  ${clean(scoped.file)} turns off under ${clean(scoped.folder)}/: ${scoped.rulesOff.map((entry) => `${clean(entry.rule)} (${clean(entry.eslintRule)})`).join(', ')}`);
  }
  for (const note of decisions.conventions) lines.push(`  convention  ${clean(note.rule)}  ${paint(['dim'], clean(note.message))}`);
  return lines.length > 1 ? lines : [];
}

/** Fixes listed by id under the counts; the rest are summed up. */
const MAX_FIXES_LISTED = 20;

const DECISION_LABELS: readonly (readonly [FixDecision, string])[] = [
  ['applied', 'applied'],
  ['queued', 'queued for review'],
  ['failed-validation', 'failed validation'],
  ['failed-apply', 'failed apply'],
  ['skipped-overlap', 'skipped (overlap)'],
];

/** What generated fixes cost this crawl, in one line. */
function llmLine(llm: NonNullable<CrawlReport['llm']>): string {
  const cost = `${llm.costUsd.toFixed(4)} USD${llm.unpriced > 0 ? ` (${llm.unpriced} call(s) without a known price)` : ''}`;
  const rate = hitRateOf(llm);
  const hits = rate === null ? '' : ` (${Math.round(rate * 100)}% hit rate)`;
  return `generated by ${llm.model}: ${llm.calls} call(s), ${llm.cached} from kept answers${hits}, ${llm.failed} failed; ${llm.inputTokens} + ${llm.outputTokens} tokens, ${cost}`;
}

function fixLines(report: CrawlReport, paint: Paint): string[] {
  const counts = DECISION_LABELS.map(([decision, label]) => {
    const count = report.fixes.filter((fix) => fix.decision === decision).length;
    const text = `${count} ${label}`;
    if (count === 0) return text;
    if (decision === 'applied') return paint(['green'], text);
    return decision === 'queued' ? text : paint(['yellow'], text);
  });
  const lines = [`${paint(['bold'], 'Fixes:')} ${counts.join(', ')}, ${report.fixesDeclined} declined (no fix)`];
  if (report.llm) lines.push(`  ${llmLine(report.llm)}`);
  // Each fix with its id, so the next command (`roach review show <id>`, `roach rollback <id>`) is at hand.
  const listed = report.fixes.filter((fix) => fix.fixId !== null).slice(0, MAX_FIXES_LISTED);
  for (const fix of listed) {
    const label = DECISION_LABELS.find(([decision]) => decision === fix.decision)?.[1] ?? fix.decision;
    lines.push(`  ${(fix.fixId ?? '').slice(0, 8)}  ${label.padEnd(17)}  ${fix.confidence.toFixed(2)}  ${clean(fix.file)}:${fix.line}  ${paint(['dim'], fix.ruleId)}`);
  }
  const withIds = report.fixes.filter((fix) => fix.fixId !== null).length;
  if (withIds > listed.length) lines.push(paint(['dim'], `  … and ${withIds - listed.length} more (roach review lists the queued ones)`));
  return lines;
}

function worstFileLines(report: CrawlReport, paint: Paint): string[] {
  const listed = report.worstFiles.slice(0, MAX_WORST_FILES);
  if (listed.length === 0) return [];
  const width = Math.max(...listed.map((file) => formatScore(file.healthScore).length));
  return [
    paint(['bold'], 'Worst files by health score:'),
    ...listed.map(
      (file) => `  ${formatScore(file.healthScore).padStart(width)}  ${clean(file.file)}  (${plural(file.issueCount, 'issue')})`,
    ),
  ];
}

/**
 * Renders a crawl for a person at a terminal: what was looked at, what is wrong (worst first), what was
 * fixed, and where to look next. It only formats the report, so the same crawl always prints the same text.
 */
export function formatTerminal(report: CrawlReport, options: TerminalOptions): string {
  const paint = painter(options.color);
  const sections: string[][] = [
    [`${paint(['bold'], 'Code Roach')} crawl ${clean(report.crawlId)} of ${clean(report.root)}`],
    fileLines(report, paint),
    targetLines(report, paint),
    issueLines(report, paint),
    findingLines(report, paint),
    adapterLines(report, paint),
    decisionLines(report, paint),
    ruleProblemLines(report, paint),
    warningLines(report, paint),
    grammarGapLines(report, paint),
    [`${paint(['bold'], 'Resolved issues:')} ${report.resolvedIssues}`],
    fixLines(report, paint),
    worstFileLines(report, paint),
    [`Started ${clean(report.startedAt)}, took ${formatDuration(report.durationMs)}`],
  ];
  return `${sections
    .filter((section) => section.length > 0)
    .map((section) => section.join('\n'))
    .join('\n\n')}\n`;
}
