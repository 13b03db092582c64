import type { PatternExample } from '../engine/learn/cluster.js';
import { analyzeSource } from '../engine/analyze.js';
import { applyEdits } from '../engine/fixer.js';
import { languageOf } from '../engine/languages.js';
import { ruleSetOf } from '../engine/rules.js';
import type { RuleSet } from '../engine/rules.js';
import { EDITED_IN_REVIEW } from './edited-approval.js';
import { APPROVED_IN_REVIEW } from '../fixes/fix-actions.js';
import { learnAndStore } from './learn-templates.js';
import type { LearningRun } from './learn-templates.js';
import type { LearningStore } from './ports.js';
import type { ProjectRef } from '../domain/project-ref.js';
import type { StoredFix } from '../fixes/ports.js';
import { decodeSource } from '../io/source-file.js';

export interface ReviewLearningDeps {
  readonly store: LearningStore;
  readonly project: ProjectRef;
  /** The project's rules, to find each approved fix's finding again in the bytes it was made against. */
  readonly rules: RuleSet;
}

/** The most recent approvals a pattern learns from; older ones add little and cost a re-analysis each. */
const MAX_APPROVALS = 40;

/**
 * An approved fix as a before -> after example: the stored original bytes of its file, the same bytes
 * with its edits, and its finding located again by fingerprint (the store keeps no AST). Null when the
 * finding cannot be found again (rule removed or changed since).
 */
async function exampleOf(deps: ReviewLearningDeps, fix: StoredFix): Promise<PatternExample | null> {
  const rule = deps.rules.rules.find((candidate) => candidate.definition.id === fix.ruleId);
  const language = languageOf(fix.filePath);
  if (!rule || !language || fix.filePaths.length !== 1) return null;
  const record = (await deps.store.fixFiles(deps.project, fix.id)).find((file) => file.path === fix.filePath);
  const decoded = record ? decodeSource(record.originalBytes) : null;
  if (!decoded?.ok) return null;
  const before = decoded.text;
  const { findings } = analyzeSource({ text: before, file: fix.filePath, language, rules: ruleSetOf([rule]) });
  const finding = findings.find((candidate) => candidate.fingerprint === fix.issueFingerprint);
  if (!finding) return null;
  return {
    language,
    before,
    start: finding.range.startOffset,
    end: finding.range.endOffset,
    after: applyEdits(before, fix.edits.filter((edit) => edit.file === fix.filePath)),
    ruleId: fix.ruleId,
    patternFingerprint: fix.patternFingerprint,
    shape: finding.shape,
  };
}

/**
 * A human's fix: approved as proposed (pattern-reuse proposals excluded: they are the template's own
 * output, not new evidence), or rewritten by the reviewer before approval.
 */
export function isHumanFix(fix: StoredFix): boolean {
  return (fix.statusReason === APPROVED_IN_REVIEW && fix.strategy !== 'pattern-reuse') || fix.statusReason === EDITED_IN_REVIEW;
}

/**
 * After a human approved `approved`, re-learns its pattern's templates from every human fix of that
 * pattern (see isHumanFix). With one nothing is learned yet; from the second on a template may be.
 */
export async function learnFromApproval(deps: ReviewLearningDeps, approved: StoredFix): Promise<LearningRun> {
  const applied = await deps.store.listFixes(deps.project, ['applied']);
  const approvals = applied
    .filter((fix) => fix.patternFingerprint === approved.patternFingerprint && isHumanFix(fix))
    .slice(-MAX_APPROVALS);
  const examples: PatternExample[] = [];
  for (const fix of approvals) {
    const example = await exampleOf(deps, fix);
    if (example) examples.push(example);
  }
  return learnAndStore(deps.store, deps.project, examples, 'review', [approved.patternFingerprint]);
}
