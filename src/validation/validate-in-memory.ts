import { performance } from 'node:perf_hooks';
import type { Edit, Finding, Language } from '../domain/finding.js';
import { analyzeSource, countSyntaxProblems } from '../engine/analyze.js';
import { applyEdits } from '../engine/fixer.js';
import type { RuleSet } from '../engine/rules.js';
import { matchFindings } from './finding-match.js';
import type { ValidationStep } from './ports.js';

/**
 * How a validation step that failed because of Code Roach itself (edits it could not apply to the text it
 * planned them on) starts its detail: such a failure says nothing about the fix's pattern, so it is not
 * recorded as the pattern's failure (fixes/process-fixes.ts).
 */
export const TOOL_FAULT = 'Code Roach could not apply its own edits';

export interface InMemoryCandidate {
  readonly id: string;
  readonly edits: readonly Edit[];
  readonly target: Finding;
}

export interface InMemoryOutcome {
  readonly steps: ValidationStep[];
  readonly passed: boolean;
}

interface Verdict {
  readonly reparsed: boolean;
  readonly reanalyzed: boolean;
  readonly detail: string;
  readonly durationMs: number;
}

/**
 * Validates the fixes of one file together, the way the project checks are run: apply all of them,
 * re-parse once (no syntax problem may be added) and re-analyze once (every target finding gone,
 * nothing new). Only when that fails is the group bisected to find the fixes at fault, so a file
 * with hundreds of fixes costs one analysis, not hundreds. Candidates must not overlap.
 */
export function validateFileFixes(input: {
  readonly source: string;
  readonly language: Language;
  readonly file: string;
  readonly candidates: readonly InMemoryCandidate[];
  readonly rules: RuleSet;
}): Map<string, InMemoryOutcome> {
  const outcomes = new Map<string, InMemoryOutcome>();
  const beforeProblems = countSyntaxProblems(input.source, input.language);
  // The file analyzed here the way it is analyzed after the edits: the crawl's own findings went through
  // policies (a rule off in test code, another tool's suppression) that a re-analysis does not apply, so
  // comparing against them would call every finding those policies hid "new".
  let baseline: readonly Finding[] | undefined;
  const before = (): readonly Finding[] => (baseline ??= analyzeSource({ text: input.source, file: input.file, language: input.language, rules: input.rules }).findings);

  const check = (group: readonly InMemoryCandidate[]): Verdict => {
    const started = performance.now();
    let fixed: string;
    try {
      fixed = applyEdits(input.source, group.flatMap((c) => c.edits));
    } catch (error) {
      return { reparsed: false, reanalyzed: false, detail: `${TOOL_FAULT}: ${(error as Error).message}`, durationMs: 0 };
    }
    const afterProblems = countSyntaxProblems(fixed, input.language);
    if (afterProblems > beforeProblems) {
      return { reparsed: false, reanalyzed: false, detail: `syntax problems went from ${beforeProblems} to ${afterProblems}`, durationMs: Math.round(performance.now() - started) };
    }
    const edits: Edit[] = group.flatMap((c) => c.edits);
    const after = analyzeSource({ text: fixed, file: input.file, language: input.language, rules: input.rules }).findings;
    const { kept, introduced } = matchFindings(before(), after, edits);
    const still = new Set([...kept].map((i) => before()[i]?.fingerprint));
    const remaining = group.map((c) => c.target).filter((target) => still.has(target.fingerprint));
    const durationMs = Math.round(performance.now() - started);
    if (remaining.length > 0) return { reparsed: true, reanalyzed: false, detail: `the ${remaining[0]?.ruleId} finding is still reported after the fix`, durationMs };
    if (introduced.length > 0) return { reparsed: true, reanalyzed: false, detail: `the fix introduces new finding(s): ${[...new Set(introduced.map((f) => f.ruleId))].join(', ')}`, durationMs };
    return { reparsed: true, reanalyzed: true, detail: group.length > 1 ? `target gone, nothing new (checked with ${group.length} fixes of this file together)` : 'target gone, nothing new', durationMs };
  };

  const record = (group: readonly InMemoryCandidate[], verdict: Verdict): void => {
    const steps: ValidationStep[] = [
      { step: 'reparse', name: 're-parse', passed: verdict.reparsed, detail: verdict.reparsed ? 'no new syntax problem' : verdict.detail, durationMs: verdict.durationMs },
    ];
    if (verdict.reparsed) steps.push({ step: 'reanalyze', name: 're-analyze', passed: verdict.reanalyzed, detail: verdict.detail, durationMs: verdict.durationMs });
    for (const candidate of group) outcomes.set(candidate.id, { steps, passed: verdict.reparsed && verdict.reanalyzed });
  };

  const bisect = (group: readonly InMemoryCandidate[]): void => {
    const verdict = check(group);
    if ((verdict.reparsed && verdict.reanalyzed) || group.length === 1) {
      record(group, verdict);
      return;
    }
    const middle = Math.ceil(group.length / 2);
    const left = group.slice(0, middle);
    const right = group.slice(middle);
    bisect(left);
    bisect(right);
    // Each half passes alone but not together: the fixes interact. Keep the left, fail the right.
    if (group.every((c) => outcomes.get(c.id)?.passed)) record(right, { ...verdict, detail: `in combination with other fixes of this file: ${verdict.detail}` });
  };
  if (input.candidates.length > 0) bisect(input.candidates);
  return outcomes;
}
