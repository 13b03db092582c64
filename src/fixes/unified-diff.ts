import { createTwoFilesPatch, formatPatch, structuredPatch } from 'diff';
import type { Edit } from '../domain/finding.js';
import { applyEdits } from '../engine/fixer.js';

const CONTEXT = 3;
/** Diffs are for reading; past this a diff is cut (the fix's edits stay exact and complete). */
export const MAX_DIFF_CHARS = 200_000;

function capped(diff: string): string {
  if (diff.length <= MAX_DIFF_CHARS) return diff;
  return `${diff.slice(0, MAX_DIFF_CHARS)}\n[diff cut at ${MAX_DIFF_CHARS} of ${diff.length} characters]\n`;
}

/** A git-style unified diff of one file (a/ and b/ prefixes, 3 lines of context), as reviewers read it. */
export function unifiedDiff(file: string, before: string, after: string): string {
  return capped(createTwoFilesPatch(`a/${file}`, `b/${file}`, before, after, undefined, undefined, { context: CONTEXT }));
}

function lineStartBefore(text: string, offset: number, extraLines: number): number {
  let start = text.lastIndexOf('\n', offset - 1) + 1;
  for (let i = 0; i < extraLines && start > 0; i++) start = text.lastIndexOf('\n', start - 2) + 1;
  return start;
}

function lineEndAfter(text: string, offset: number, extraLines: number): number {
  let end = offset;
  for (let i = 0; i <= extraLines; i++) {
    const next = text.indexOf('\n', end);
    if (next < 0) return text.length;
    end = next + 1;
  }
  return end;
}

function lineNumberAt(text: string, offset: number): number {
  let line = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/**
 * The same diff as `unifiedDiff(file, before, applyEdits(before, edits))`, computed on the window of
 * lines around the edits only: diffing a whole large file once per fix made crawls with many fixes
 * slow. Edits must be non-overlapping and refer to `before`.
 */
export function unifiedDiffOfEdits(file: string, before: string, edits: readonly Edit[]): string {
  if (edits.length === 0) return unifiedDiff(file, before, before);
  const start = lineStartBefore(before, Math.min(...edits.map((e) => e.start)), CONTEXT);
  const end = lineEndAfter(before, Math.max(...edits.map((e) => e.end)), CONTEXT);
  const windowBefore = before.slice(start, end);
  const shifted = edits.map((e) => ({ ...e, start: e.start - start, end: e.end - start }));
  const windowAfter = applyEdits(windowBefore, shifted);
  const patch = structuredPatch(`a/${file}`, `b/${file}`, windowBefore, windowAfter, undefined, undefined, { context: CONTEXT });
  const offset = lineNumberAt(before, start);
  // A window that stops short of the file's end must not claim "no newline at end of file".
  const atEnd = end === before.length;
  return capped(formatPatch({
    ...patch,
    hunks: patch.hunks.map((hunk) => ({
      ...hunk,
      oldStart: hunk.oldStart + offset,
      newStart: hunk.newStart + offset,
      lines: atEnd ? hunk.lines : hunk.lines.filter((line) => !line.startsWith('\\')),
    })),
  }));
}
