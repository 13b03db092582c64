import { diffChars, diffLines } from 'diff';
import type { ChangeObject } from 'diff';

export interface TextRegion {
  readonly start: number;
  readonly end: number;
}

interface Part {
  readonly before: TextRegion;
  readonly after: TextRegion;
  readonly kind: 'same' | 'removed' | 'added';
}

function partsOf(changes: readonly ChangeObject<string>[], beforeBase: number, afterBase: number): Part[] {
  const parts: Part[] = [];
  let b = beforeBase;
  let a = afterBase;
  for (const change of changes) {
    const length = change.value.length;
    const kind = change.added ? 'added' : change.removed ? 'removed' : 'same';
    const nb = kind === 'added' ? b : b + length;
    const na = kind === 'removed' ? a : a + length;
    parts.push({ before: { start: b, end: nb }, after: { start: a, end: na }, kind });
    b = nb;
    a = na;
  }
  return parts;
}

/**
 * Maps an offset of the before text into the after text. Text inserted exactly at the offset goes
 * into the region being delimited: after a start (`greedy` false), before an end (`greedy` true).
 * An offset strictly inside removed text has no image.
 */
function mapOffset(parts: readonly Part[], offset: number, greedy: boolean): number | null {
  let mapped = parts[0]?.after.start ?? 0;
  for (const part of parts) {
    const insertionHere = part.kind === 'added' && part.before.start === offset;
    if (part.before.end <= offset && (greedy || !insertionHere)) {
      mapped = part.after.end;
      continue;
    }
    if (part.before.start < offset) return part.kind === 'same' ? part.after.start + (offset - part.before.start) : null;
    return mapped;
  }
  return mapped;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function lineEnd(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  return newline < 0 ? text.length : newline + 1;
}

/** The run of changed line parts around `offset` (removed and added lines next to each other). */
function changedBlock(parts: readonly Part[], from: number, to: number): { before: TextRegion; after: TextRegion } | null {
  const first = parts.findIndex((part) => part.kind !== 'same' && part.before.end >= from && part.before.start <= to);
  if (first < 0) return null;
  let last = first;
  while (parts[last + 1] && parts[last + 1]?.kind !== 'same') last += 1;
  const head = parts[first];
  const tail = parts[last];
  if (!head || !tail || head.before.start > from || tail.before.end < to) return null;
  return { before: { start: head.before.start, end: tail.before.end }, after: { start: head.after.start, end: tail.after.end } };
}

/**
 * Where the text of [start, end) of `before` ended up in `after`. Lines are aligned first (a line
 * diff is robust to unrelated edits elsewhere); when the finding's lines sit in a block of changed
 * lines, the rest of that block is the anchor when it is unchanged, else the block alone is aligned
 * character by character. Null when the finding's boundaries were
 * themselves deleted: then the pair is not a rewrite of that node.
 */
export function afterRegionOf(before: string, start: number, end: number, after: string): TextRegion | null {
  const lines = partsOf(diffLines(before, after), 0, 0);
  const from = lineStart(before, start);
  const to = lineEnd(before, end);
  const block = changedBlock(lines, from, to);
  if (!block) {
    // The finding's lines are unchanged: its text maps one to one.
    const mapped = mapOffset(lines, start, false);
    return mapped === null ? null : { start: mapped, end: mapped + (end - start) };
  }
  // Usually the rest of the block's lines is unchanged around the finding: anchor on it.
  const head = before.slice(block.before.start, start);
  const tail = before.slice(end, block.before.end);
  const changed = after.slice(block.after.start, block.after.end);
  if (changed.length >= head.length + tail.length && changed.startsWith(head) && changed.endsWith(tail)) {
    return { start: block.after.start + head.length, end: block.after.end - tail.length };
  }
  const chars = partsOf(
    diffChars(before.slice(block.before.start, block.before.end), after.slice(block.after.start, block.after.end)),
    block.before.start,
    block.after.start,
  );
  const mappedStart = mapOffset(chars, start, false);
  const mappedEnd = mapOffset(chars, end, true);
  if (mappedStart === null || mappedEnd === null || mappedEnd < mappedStart) return null;
  return { start: mappedStart, end: mappedEnd };
}
