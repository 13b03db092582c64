import path from 'node:path';
import type { Edit } from '../domain/finding.js';
import { contentHash } from '../domain/fingerprint.js';
import { applyEdits } from '../engine/fixer.js';
import { unchangedSegments } from '../engine/rebase.js';
import type { FixActionDeps } from '../fixes/fix-actions.js';
import type { FixOutcome } from '../fixes/ports.js';
import type { LearningStore } from './ports.js';
import { decodeSource } from '../io/source-file.js';
import { readProjectFile } from '../io/project-file.js';

/** What became of an applied fix's text in a later version of its file. */
export type FollowUp = { readonly kind: 'kept' } | { readonly kind: 'reverted' | 're_edited'; readonly detail: string };

/** Where each edit's replacement text sits in the fixed text (edits sorted, as the fixer applies them). */
function fixedRegions(edits: readonly Edit[]): { start: number; end: number; original: [number, number] }[] {
  let shift = 0;
  return [...edits]
    .sort((a, b) => a.start - b.start)
    .map((edit) => {
      const start = edit.start + shift;
      shift += edit.text.length - (edit.end - edit.start);
      return { start, end: start + edit.text.length, original: [edit.start, edit.end] };
    });
}

/** Maps a span of `before` to `after` when it survived unchanged (word-level diff); else null. */
function survivingMap(before: string, after: string): (from: number, to: number) => [number, number] | null {
  const segments = unchangedSegments(before, after, 'words');
  return (from, to) => {
    const home = segments.find((s) => s.oldStart <= from && to <= s.oldEnd);
    return home ? [from + home.newStart - home.oldStart, to + home.newStart - home.oldStart] : null;
  };
}

/**
 * Compares an applied fix with the file as it is now. The fix is kept while each replacement text
 * survives unchanged (edits elsewhere in the file do not matter). It was reverted when the text in
 * its place is the original snippet again (the whole file back to the original counts too), and
 * re-edited when that text was changed into anything else.
 */
export function followUpFix(original: string, edits: readonly Edit[], current: string): FollowUp {
  if (current === original) return { kind: 'reverted', detail: 'the file is back to its bytes before the fix' };
  const fixed = applyEdits(original, edits);
  if (current === fixed) return { kind: 'kept' };
  const map = survivingMap(fixed, current);
  for (const region of fixedRegions(edits)) {
    const snippet = original.slice(region.original[0], region.original[1]);
    // Whole lines around the fix first: the fixed lines still there means kept; the original lines
    // back means reverted. A deletion also takes the line before, so a line put back between shows.
    let lineStart = fixed.lastIndexOf('\n', region.start - 1) + 1;
    if (region.start === region.end && lineStart > 0) lineStart = fixed.lastIndexOf('\n', lineStart - 2) + 1;
    const newline = fixed.indexOf('\n', region.end);
    const lineEnd = newline === -1 ? fixed.length : newline + 1;
    const keptLines = fixed.slice(lineStart, lineEnd);
    const revertedLines = fixed.slice(lineStart, region.start) + snippet + fixed.slice(region.end, lineEnd);
    if (current.includes(keptLines)) continue;
    if (current.includes(revertedLines)) return { kind: 'reverted', detail: `the fixed text at offset ${region.start} was changed back to the original` };
    // An empty replacement (a deletion) survives while the text on both sides of it does.
    const from = region.start === region.end ? Math.max(0, region.start - 1) : region.start;
    const to = region.start === region.end ? Math.min(fixed.length, region.end + 1) : region.end;
    if (map(from, to)) continue;
    // The fix's neighbours survived: what sits between them now is what replaced the fix's text.
    const before = map(Math.max(0, region.start - 1), region.start);
    const after = map(region.end, Math.min(fixed.length, region.end + 1));
    if (before && after && current.slice(before[1], after[0]) === snippet) {
      return { kind: 'reverted', detail: `the fixed text at offset ${region.start} was changed back to the original` };
    }
    return { kind: 're_edited', detail: `the fixed text at offset ${region.start} was edited after the fix` };
  }
  return { kind: 'kept' };
}

/**
 * On a crawl, checks the applied fixes of the files that changed since the last one and records
 * 'reverted' or 're_edited' for those whose text is gone. Each fix is judged once: after such an
 * outcome it is no longer followed. Returns how many fixes were found undone.
 */
export async function followUpAppliedFixes(deps: FixActionDeps<LearningStore>, changedFiles: readonly string[]): Promise<number> {
  const applied = await deps.store.appliedFixFiles(deps.project, changedFiles);
  const undone: FixOutcome[] = [];
  for (const file of applied) {
    const bytes = await readProjectFile(deps.root, path.resolve(deps.root, file.path)).catch(() => null);
    if (!bytes || contentHash(bytes) === file.fixedSha256) continue;
    const original = decodeSource(file.originalBytes);
    const current = decodeSource(bytes);
    if (!original.ok || !current.ok) continue;
    const result = followUpFix(original.text, file.edits, current.text);
    if (result.kind === 'kept') continue;
    undone.push({ fixId: file.fixId, kind: result.kind, detail: `${file.path}: ${result.detail}` });
  }
  if (undone.length > 0) await deps.store.recordFixOutcomes(deps.project, undone);
  return undone.length;
}
