import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { RoachError } from '../domain/errors.js';
import { contentHash } from '../domain/fingerprint.js';
import { applyEdits } from '../engine/fixer.js';
import { languageOf } from '../engine/languages.js';
import { rebaseOntoChangedText } from '../engine/rebase.js';
import { countSyntaxProblems } from '../engine/analyze.js';
import { unifiedDiff } from './unified-diff.js';
import type { FixSummary } from './fix-summary.js';
import type { Edit } from '../domain/finding.js';
import type { FixFileRecord, FixStore, NewFix, RebasedFile, StoredFix } from './ports.js';
import type { ProjectRef } from '../domain/project-ref.js';
import { decodeSource, encodeSource, NEW_FILE_INFO } from '../io/source-file.js';
import { appendEdit } from './companion-files.js';
import { writeChange } from './write-fix.js';
import type { FileChange } from './write-fix.js';

import { APPROVED_IN_REVIEW } from './ports.js';
export { APPROVED_IN_REVIEW } from './ports.js';

/** A fix action's store, project and root; `S` lets a caller keep its wider store type (a crawl's, learning's). */
export interface FixActionDeps<S extends FixStore = FixStore> {
  readonly store: S;
  readonly project: ProjectRef;
  readonly root: string;
}

/**
 * Records a fix as 'applying' with its original bytes, then writes it. The record exists before the
 * first byte is written, so a crash in between is recovered by `recoverInterruptedFixes`.
 */
export async function applyNewFix(deps: FixActionDeps, fix: NewFix, changes: readonly FileChange[]): Promise<{ id: string; error: RoachError | null }> {
  const id = await deps.store.insertFix(deps.project, { ...fix, status: 'applying' });
  try {
    await writeChange(deps.root, changes);
  } catch (error) {
    const roachError = error instanceof RoachError ? error : new RoachError('CR_ERR_APPLY_FAILED', (error as Error).message);
    await deps.store.setFixStatus(deps.project, id, 'failed_apply', roachError.message, null);
    await deps.store.recordFixOutcomes(deps.project, [{ fixId: id, kind: 'failed_apply', detail: roachError.message }]);
    return { id, error: roachError };
  }
  await deps.store.setFixStatus(deps.project, id, 'applied', fix.statusReason, null);
  await deps.store.markIssueFixed(deps.project, fix.issueId, true, 'none');
  await deps.store.recordFixOutcomes(deps.project, [{ fixId: id, kind: 'verified', detail: null }]);
  return { id, error: null };
}

async function requireFix(deps: FixActionDeps, fixId: string): Promise<StoredFix> {
  const fix = await deps.store.getFix(deps.project, fixId);
  if (!fix) throw new RoachError('CR_ERR_FIX_NOT_FOUND', `No fix ${fixId} in this project (ids are shown by \`roach review\`).`, { fixId });
  return fix;
}

/**
 * What writing the fix does to one file now. When the file moved on since the fix was made (other
 * fixes of the same file applied first, or edits elsewhere in it), the fix is rebased onto the current
 * text, re-parsed, and its record updated, so that a rollback later restores exactly what was there
 * before it. A fix whose edits touch changed text is refused.
 */
interface Planned {
  readonly change: FileChange;
  readonly rebased: RebasedFile | null;
  readonly diff: string;
}

async function currentChange(deps: FixActionDeps, fix: StoredFix, file: FixFileRecord): Promise<Planned> {
  const original = decodeSource(file.originalBytes);
  if (!original.ok) throw new RoachError('CR_ERR_FIX_STATE', `Stored original of ${file.path} cannot be decoded (${original.reason}).`);
  const ownEdits = fix.edits.filter((edit) => edit.file === file.path);
  const current = await readFile(path.resolve(deps.root, file.path)).catch(() => null);
  if (file.created) return createdFileChange(fix, file, original.text, ownEdits, current);
  if (!current) throw new RoachError('CR_ERR_FILE_CHANGED', `${file.path} cannot be read any more; nothing was written.`, { file: file.path });
  const currentSha = contentHash(current);
  if (currentSha === file.originalSha256) {
    const bytes = encodeSource(applyEdits(original.text, ownEdits), original.info);
    if (contentHash(bytes) !== file.fixedSha256) {
      throw new RoachError('CR_ERR_FIX_STATE', `Fix ${fix.id} does not reproduce its recorded result for ${file.path}; refusing to apply it.`);
    }
    return {
      change: { path: file.path, expectedSha256: currentSha, newBytes: bytes, restoreBytes: file.originalBytes },
      rebased: null,
      diff: unifiedDiff(file.path, original.text, applyEdits(original.text, ownEdits)),
    };
  }
  const now = decodeSource(current);
  const edits = now.ok ? rebaseOntoChangedText(original.text, now.text, ownEdits) : null;
  if (!now.ok || !edits) {
    throw new RoachError('CR_ERR_FILE_CHANGED', `${file.path} changed since the fix was made, in the lines the fix touches; nothing was written. A new crawl proposes a fresh fix.`, { file: file.path });
  }
  const fixedText = applyEdits(now.text, edits);
  const language = languageOf(file.path);
  if (language && countSyntaxProblems(fixedText, language) > countSyntaxProblems(now.text, language)) {
    throw new RoachError('CR_ERR_FILE_CHANGED', `${file.path} changed since the fix was made and the fix no longer parses there; nothing was written.`, { file: file.path });
  }
  const bytes = encodeSource(fixedText, now.info);
  return {
    change: { path: file.path, expectedSha256: currentSha, newBytes: bytes, restoreBytes: current },
    rebased: { path: file.path, edits, originalBytes: current, originalSha256: currentSha, fixedSha256: contentHash(bytes) },
    diff: unifiedDiff(file.path, now.text, fixedText),
  };
}

/**
 * What writing the fix does to a file it creates: the file, when it is still missing; when something
 * created it since (another fix adding its own line), the fix's lines appended to it, unless it has
 * them already.
 */
function createdFileChange(fix: StoredFix, file: FixFileRecord, original: string, ownEdits: readonly Edit[], current: Uint8Array | null): Planned {
  const text = applyEdits(original, ownEdits);
  if (!current) {
    const bytes = encodeSource(text, NEW_FILE_INFO);
    if (contentHash(bytes) !== file.fixedSha256) {
      throw new RoachError('CR_ERR_FIX_STATE', `Fix ${fix.id} does not reproduce its recorded result for ${file.path}; refusing to apply it.`);
    }
    return { change: { path: file.path, expectedSha256: file.originalSha256, newBytes: bytes, restoreBytes: new Uint8Array(), create: true }, rebased: null, diff: unifiedDiff(file.path, original, text) };
  }
  const now = decodeSource(current);
  const lines = text.split('\n').filter((line) => line !== '');
  if (!now.ok || lines.every((line) => now.text.split(/\r?\n/).includes(line))) {
    throw new RoachError('CR_ERR_FILE_CHANGED', `${file.path} was created since the fix was made${now.ok ? ' and has its lines already' : ''}; nothing was written. A new crawl proposes a fresh fix.`, { file: file.path });
  }
  const edits: Edit[] = [appendEdit(file.path, now.text, now.info, text)];
  const fixedText = applyEdits(now.text, edits);
  const bytes = encodeSource(fixedText, now.info);
  const currentSha = contentHash(current);
  return {
    change: { path: file.path, expectedSha256: currentSha, newBytes: bytes, restoreBytes: current },
    rebased: { path: file.path, edits, originalBytes: current, originalSha256: currentSha, fixedSha256: contentHash(bytes), created: false },
    diff: unifiedDiff(file.path, now.text, fixedText),
  };
}

/**
 * Writes a stored pending fix after checking its files still hold the bytes it was made against.
 * A write failure is recorded as the fix's outcome; a success is left to the caller to record.
 */
async function applyStoredFix(deps: FixActionDeps, fix: StoredFix, actor: string, reason: string): Promise<void> {
  const files = await deps.store.fixFiles(deps.project, fix.id);
  const planned = await Promise.all(files.map((file) => currentChange(deps, fix, file)));
  const changes = planned.map((p) => p.change);
  const rebased = planned.flatMap((p) => (p.rebased ? [p.rebased] : []));
  if (rebased.length > 0) await deps.store.rebaseFix(deps.project, fix.id, rebased, planned.map((p) => p.diff).join(''));
  await deps.store.setFixStatus(deps.project, fix.id, 'applying', null, actor);
  try {
    await writeChange(deps.root, changes);
  } catch (error) {
    // A file changed since: the fix stays pending for a later crawl to supersede; a write failure is final.
    const changed = error instanceof RoachError && error.code === 'CR_ERR_FILE_CHANGED';
    await deps.store.setFixStatus(deps.project, fix.id, changed ? 'pending' : 'failed_apply', (error as Error).message, actor);
    if (!changed) await deps.store.recordFixOutcomes(deps.project, [{ fixId: fix.id, kind: 'failed_apply', detail: (error as Error).message }]);
    throw error;
  }
  await deps.store.setFixStatus(deps.project, fix.id, 'applied', reason, actor);
}

/** Approves a pending fix: applies it with the same checks as an automatic one, or refuses clearly. */
export async function approveFix(deps: FixActionDeps, fixId: string, actor: string): Promise<StoredFix> {
  const fix = await requireFix(deps, fixId);
  if (fix.status !== 'pending') throw new RoachError('CR_ERR_FIX_STATE', `Fix ${fix.id} is ${fix.status}, not pending; only pending fixes can be approved.`);
  await applyStoredFix(deps, fix, actor, APPROVED_IN_REVIEW);
  await deps.store.markIssueFixed(deps.project, fix.issueId, true, 'approved');
  // A human vouching for a fix of a deprecated pattern restores it, before this success is counted.
  await deps.store.restorePattern(deps.project, fix.patternFingerprint, actor, `approved fix ${fix.id.slice(0, 8)} in review`);
  await deps.store.recordFixOutcomes(deps.project, [{ fixId: fix.id, kind: 'verified', detail: `approved by ${actor}` }]);
  // A fix a human approved becomes the pattern's reusable fix; a pattern-reuse fix already is one (a
  // learned one carries its match pattern, which this plain template would drop).
  if (fix.template !== null && fix.strategy !== 'pattern-reuse') await deps.store.setPatternBestFix(deps.project, fix.patternFingerprint, { template: fix.template, safety: fix.safety });
  return (await deps.store.getFix(deps.project, fix.id)) ?? fix;
}

export async function rejectFix(deps: FixActionDeps, fixId: string, actor: string, reason: string | null): Promise<StoredFix> {
  const fix = await requireFix(deps, fixId);
  if (fix.status !== 'pending') throw new RoachError('CR_ERR_FIX_STATE', `Fix ${fix.id} is ${fix.status}, not pending; only pending fixes can be rejected.`);
  await deps.store.setFixStatus(deps.project, fix.id, 'rejected', reason ?? 'rejected in review', actor);
  await deps.store.markIssueFixed(deps.project, fix.issueId, false, 'rejected');
  await deps.store.recordFixOutcomes(deps.project, [{ fixId: fix.id, kind: 'rejected', detail: `by ${actor}${reason ? `: ${reason}` : ''}` }]);
  return (await deps.store.getFix(deps.project, fix.id)) ?? fix;
}

/** Restores the exact original bytes of an applied fix; refuses when a file changed since. */
export async function rollbackFix(deps: FixActionDeps, fixId: string, actor: string): Promise<StoredFix> {
  const fix = await requireFix(deps, fixId);
  if (fix.status !== 'applied') throw new RoachError('CR_ERR_FIX_STATE', `Fix ${fix.id} is ${fix.status}; only applied fixes can be rolled back.`);
  const files = await deps.store.fixFiles(deps.project, fix.id);
  const changes: FileChange[] = [];
  for (const file of files) {
    const current = await readFile(path.resolve(deps.root, file.path)).catch(() => null);
    if (!current || contentHash(current) !== file.fixedSha256) {
      throw new RoachError(
        'CR_ERR_FILE_CHANGED',
        `${file.path} changed since fix ${fix.id} was applied (later fixes or edits); nothing was restored. Roll back later fixes first, or restore by hand.`,
        { file: file.path },
      );
    }
    // a file the fix created did not exist before it: rolling back deletes it
    changes.push({ path: file.path, expectedSha256: file.fixedSha256, newBytes: file.originalBytes, restoreBytes: current, ...(file.created ? { remove: true } : {}) });
  }
  await writeChange(deps.root, changes);
  await deps.store.setFixStatus(deps.project, fix.id, 'rolled_back', 'rolled back on request', actor);
  await deps.store.markIssueFixed(deps.project, fix.issueId, false, 'none');
  await deps.store.recordFixOutcomes(deps.project, [{ fixId: fix.id, kind: 'rolled_back', detail: `by ${actor}` }]);
  return (await deps.store.getFix(deps.project, fix.id)) ?? fix;
}

/**
 * Settles fixes left 'applying' by a process that died mid-write: the atomic rename either happened
 * (the file holds the fixed bytes: applied) or not (it holds the original: failed, nothing written).
 */
export async function recoverInterruptedFixes(deps: FixActionDeps): Promise<number> {
  const stuck = await deps.store.listFixes(deps.project, ['applying']);
  for (const fix of stuck) {
    const files = await deps.store.fixFiles(deps.project, fix.id);
    const states = await Promise.all(
      files.map(async (file) => {
        const current = await readFile(path.resolve(deps.root, file.path)).catch(() => null);
        const sha = current ? contentHash(current) : null;
        // a file the fix was to create is in its original state when it is missing
        if (file.created && !current) return 'original';
        return sha === file.fixedSha256 ? 'fixed' : sha === file.originalSha256 ? 'original' : 'other';
      }),
    );
    if (states.every((state) => state === 'fixed')) {
      await deps.store.setFixStatus(deps.project, fix.id, 'applied', 'completed after an interrupted run', null);
      await deps.store.markIssueFixed(deps.project, fix.issueId, true, 'none');
      await deps.store.recordFixOutcomes(deps.project, [{ fixId: fix.id, kind: 'verified', detail: 'completed after an interrupted run' }]);
    } else {
      const reason = `interrupted before the write completed (files: ${states.join(', ')})`;
      await deps.store.setFixStatus(deps.project, fix.id, 'failed_apply', reason, null);
      await deps.store.recordFixOutcomes(deps.project, [{ fixId: fix.id, kind: 'failed_apply', detail: reason }]);
    }
  }
  return stuck.length;
}

/**
 * `crawl --apply` also applies fixes queued earlier (say by a crawl without --apply) whose confidence
 * reaches the threshold; those whose files changed since stay queued until a crawl supersedes them.
 */
export async function applyQueuedFixes(deps: FixActionDeps, threshold: number): Promise<FixSummary[]> {
  const summaries: FixSummary[] = [];
  const pending = await deps.store.listFixes(deps.project, ['pending']);
  // A pattern deprecated since the fix was queued is no longer auto-applied.
  const patterns = await deps.store.patternStats(deps.project, [...new Set(pending.map((fix) => fix.patternFingerprint))]);
  for (const fix of pending) {
    if (fix.confidence < threshold || patterns.get(fix.patternFingerprint)?.deprecated) continue;
    const summary = { fixId: fix.id, ruleId: fix.ruleId, file: fix.filePath, line: fix.line, strategy: fix.strategy, safety: fix.safety, confidence: fix.confidence };
    try {
      await applyStoredFix(deps, fix, 'crawl --apply', `queued fix with confidence ${fix.confidence} >= threshold ${threshold}`);
      await deps.store.markIssueFixed(deps.project, fix.issueId, true, 'none');
      await deps.store.recordFixOutcomes(deps.project, [{ fixId: fix.id, kind: 'verified', detail: 'applied from the review queue' }]);
      summaries.push({ ...summary, decision: 'applied', reason: 'applied from the review queue' });
    } catch (error) {
      if (!(error instanceof RoachError)) throw error;
      summaries.push({ ...summary, decision: error.code === 'CR_ERR_FILE_CHANGED' ? 'queued' : 'failed-apply', reason: error.message });
    }
  }
  return summaries;
}
