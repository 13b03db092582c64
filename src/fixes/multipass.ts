import { analyzeSource } from '../engine/analyze.js';
import { matchFindings } from '../validation/finding-match.js';
import type { FixActionDeps } from './fix-actions.js';
import type { FixSummary } from './fix-summary.js';
import { fixPass } from './process-fixes.js';
import type { AnalyzedSource, OverlapSkip, ProcessFixesInput } from './process-fixes.js';

/** Passes of one crawl's fix phase at most, as ESLint's multipass fixing. */
export const MAX_FIX_PASSES = 10;

/**
 * The fix phase of one crawl, in passes (issue 14 point 3): fixes that overlap another fix of their file
 * (two fixes adding the same import, nested findings) wait for the next pass, which re-analyzes the files
 * the previous one wrote and proposes fixes for those issues again, until nothing is left to retry or
 * MAX_FIX_PASSES. Without --apply nothing is written, so there is one pass. An issue keeps its identity
 * across passes: its finding after the writes is matched to the one before (validation/finding-match.ts),
 * by fingerprint, by place, or by the edit that changed it.
 */
export async function processFixes(deps: FixActionDeps, input: ProcessFixesInput): Promise<{ summaries: FixSummary[]; declined: number; checkRuns: number }> {
  const summaries: FixSummary[] = [];
  let declined = 0;
  let checkRuns = 0;
  /** Overlap skips reported at the end: their issues get another chance on the next crawl. */
  const pending: OverlapSkip[] = [];
  let retried: OverlapSkip[] = [];
  let current = input;
  let pass = 0;
  for (;;) {
    pass++;
    const outcome = await fixPass(deps, current);
    summaries.push(...outcome.summaries);
    declined += outcome.declined;
    checkRuns += outcome.checkRuns;
    // a retried issue whose finding an earlier fix changed has another fingerprint now: next crawl
    pending.push(...retried.filter((skip) => !outcome.proposed.has(skip.issueId)));
    pending.push(...outcome.skipped.filter((skip) => !outcome.written.has(skip.file)));
    retried = outcome.skipped.filter((skip) => outcome.written.has(skip.file));
    if (!input.options.apply || retried.length === 0 || pass >= MAX_FIX_PASSES) break;
    const sources = new Map<string, AnalyzedSource>();
    const issueIds = new Map(current.issueIds);
    for (const file of new Set(retried.map((skip) => skip.file))) {
      const before = current.sources.get(file);
      const now = outcome.written.get(file);
      if (!before || !now) continue;
      const findings = analyzeSource({ text: now.text, file, language: before.language, rules: input.options.rules }).findings;
      sources.set(file, { ...before, text: now.text, bytes: now.bytes, findings });
      // A finding an applied fix moved or changed is the same issue under another fingerprint.
      for (const [after, index] of matchFindings(before.findings, findings, now.edits).pairs) {
        const id = current.issueIds.get(before.findings[index]?.fingerprint ?? '');
        if (id && !issueIds.has(after.fingerprint)) issueIds.set(after.fingerprint, id);
      }
    }
    current = { ...input, sources, issueIds, onlyIssues: new Set(retried.map((skip) => skip.issueId)) };
  }
  pending.push(...retried);
  summaries.push(...pending.map((skip) => ({ ...skip.summary, reason: `${skip.summary.reason ?? 'overlaps another fix'}; retried on the next crawl` })));
  return { summaries, declined, checkRuns };
}
