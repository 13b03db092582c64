import type { AdapterFile, AdapterStatus, AnalyzerAdapter } from '../adapters/ports.js';
import { runAdapters } from '../adapters/run-adapters.js';
import type { Finding } from '../domain/finding.js';
import type { ReportedIssue } from './crawl-report.js';
import { LANGUAGES } from '../domain/finding.js';
import type { Language } from '../domain/finding.js';
import { overrideFindings } from './rule-overrides.js';
import type { RuleOverride } from './rule-overrides.js';
import type { SkippedFile, WalkedFile } from './walk.js';
import { maskSecretsInText } from '../engine/secrets/mask-text.js';

export interface CrawlAdapterInput {
  readonly adapters: readonly AnalyzerAdapter[] | undefined;
  readonly root: string;
  readonly walked: ReadonlyMap<string, { readonly path: string; readonly absolutePath: string; readonly language: WalkedFile['language'] }>;
  /** Files this crawl analyzed (changed or new); unchanged files keep the issues they had. */
  readonly analyzedPaths: readonly string[];
  readonly skipped: readonly SkippedFile[];
  /** The AST engine's findings of this crawl (overrides already applied). */
  readonly findings: readonly Finding[];
  readonly overrides: readonly RuleOverride[];
  /** Applied to the merged findings before the overrides (the test-code policy); idempotent on the engine's own. */
  readonly adjust?: (findings: readonly Finding[]) => Finding[];
  /** The project's open issues before this crawl (read only when an adapter failed). */
  readonly previousIssues: () => Promise<readonly Omit<ReportedIssue, 'fixable'>[]>;
}

export interface CrawlAdapterResult {
  /** Built-in and adapter findings, duplicates merged: these go through fixes and learning. */
  readonly findings: Finding[];
  /**
   * Open issues of analyzed files that only a failed adapter reported: refreshed in the store so they are not
   * resolved by a tool that did not run, but given no fix (their ranges are not re-read).
   */
  readonly keptOpen: Finding[];
  readonly statuses: AdapterStatus[];
}

function isLanguage(language: string): language is Language {
  return (LANGUAGES as readonly string[]).includes(language);
}

/**
 * Runs the configured analyzer adapters on the files this crawl analyzed, and merges their findings with
 * the AST engine's. Adapters see only changed files: an unchanged file is neither re-linted nor counted as
 * changed, and the adapter issues it had stay open until the file changes again.
 */
export async function withAdapterFindings(input: CrawlAdapterInput): Promise<CrawlAdapterResult> {
  if (!input.adapters || input.adapters.length === 0) return { findings: [...input.findings], keptOpen: [], statuses: [] };
  const skipped = new Set(input.skipped.map((file) => file.path));
  const files: AdapterFile[] = [];
  for (const file of input.analyzedPaths) {
    const walked = input.walked.get(file);
    if (!walked || skipped.has(file) || !isLanguage(walked.language)) continue;
    files.push({ path: walked.path, absolutePath: walked.absolutePath, language: walked.language });
  }
  const run = await runAdapters(input.adapters, input.root, files, input.findings);
  const findings = overrideFindings(input.adjust ? input.adjust(run.findings) : run.findings, input.overrides);
  const keptOpen = run.failedEngines.length > 0 ? await issuesOfFailedEngines(input, new Set(run.failedEngines), findings) : [];
  // A tool's error message may quote the project's files or config (a key in a failing config line): masked before it is shown or stored.
  return { findings, keptOpen, statuses: run.statuses.map((status) => ({ ...status, detail: maskSecretsInText(status.detail) })) };
}

async function issuesOfFailedEngines(input: CrawlAdapterInput, failed: ReadonlySet<string>, seen: readonly Finding[]): Promise<Finding[]> {
  const analyzed = new Set(input.analyzedPaths);
  const fingerprints = new Set(seen.map((finding) => finding.fingerprint));
  const kept: Finding[] = [];
  for (const issue of await input.previousIssues()) {
    const engine = issue.engines?.[0];
    const language = input.walked.get(issue.file)?.language;
    if (!engine || !failed.has(engine) || !analyzed.has(issue.file) || fingerprints.has(issue.fingerprint) || !language || !isLanguage(language)) continue;
    kept.push({ ...issue, language, range: { ...issue.range, startOffset: 0, endOffset: 0 }, shape: '', bindings: {}, templateFix: null });
  }
  return kept;
}
