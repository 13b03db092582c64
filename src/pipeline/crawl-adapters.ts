import type { AdapterFile, AdapterStatus, AnalyzerAdapter } from '../adapters/ports.js';
import { runAdapters } from '../adapters/run-adapters.js';
import type { Finding } from '../domain/finding.js';
import { LANGUAGES } from '../domain/finding.js';
import type { Language } from '../domain/finding.js';
import { overrideFindings } from './rule-overrides.js';
import type { RuleOverride } from './rule-overrides.js';
import type { SkippedFile, WalkedFile } from './walk.js';

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
}

function isLanguage(language: string): language is Language {
  return (LANGUAGES as readonly string[]).includes(language);
}

/**
 * Runs the configured analyzer adapters on the files this crawl analyzed, and merges their findings with
 * the AST engine's. Adapters see only changed files: an unchanged file is neither re-linted nor counted as
 * changed, and the adapter issues it had stay open until the file changes again.
 */
export async function withAdapterFindings(input: CrawlAdapterInput): Promise<{ findings: Finding[]; statuses: AdapterStatus[] }> {
  if (!input.adapters || input.adapters.length === 0) return { findings: [...input.findings], statuses: [] };
  const skipped = new Set(input.skipped.map((file) => file.path));
  const files: AdapterFile[] = [];
  for (const file of input.analyzedPaths) {
    const walked = input.walked.get(file);
    if (!walked || skipped.has(file) || !isLanguage(walked.language)) continue;
    files.push({ path: walked.path, absolutePath: walked.absolutePath, language: walked.language });
  }
  const run = await runAdapters(input.adapters, input.root, files, input.findings);
  return { findings: overrideFindings(run.findings, input.overrides), statuses: run.statuses };
}
