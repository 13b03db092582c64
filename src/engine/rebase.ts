import { diffChars, diffWordsWithSpace } from 'diff';
import type { Edit } from '../domain/finding.js';

export interface Segment {
  readonly oldStart: number;
  readonly oldEnd: number;
  readonly newStart: number;
}

/**
 * The stretches of `before` that survive unchanged in `after`, with where they landed. By characters
 * (finest), or by words and spaces, which keeps a re-inserted snippet whole instead of aligning it
 * letter by letter with whatever follows.
 */
export function unchangedSegments(before: string, after: string, by: 'chars' | 'words' = 'chars'): Segment[] {
  const segments: Segment[] = [];
  let oldPos = 0;
  let newPos = 0;
  for (const part of by === 'chars' ? diffChars(before, after) : diffWordsWithSpace(before, after)) {
    const length = part.value.length;
    if (part.added) newPos += length;
    else if (part.removed) oldPos += length;
    else {
      segments.push({ oldStart: oldPos, oldEnd: oldPos + length, newStart: newPos });
      oldPos += length;
      newPos += length;
    }
  }
  return segments;
}

/**
 * Moves edits made against `before` onto `after`, a later version of the same file, the way a patch
 * is rebased: an edit whose span (and, for an insertion, its point) lies inside text that did not
 * change is shifted; an edit touching anything that changed is a conflict and the whole rebase
 * returns null. Nothing is guessed.
 */
export function rebaseOntoChangedText(before: string, after: string, edits: readonly Edit[]): Edit[] | null {
  if (before === after) return [...edits];
  const segments = unchangedSegments(before, after);
  const moved: Edit[] = [];
  for (const edit of edits) {
    // An insertion at a point needs unchanged text on both sides of the point; a replacement needs
    // its whole span unchanged.
    const from = edit.start === edit.end ? edit.start - 1 : edit.start;
    const to = edit.start === edit.end ? edit.end + 1 : edit.end;
    const home = segments.find((s) => s.oldStart <= Math.max(0, from) && Math.min(before.length, to) <= s.oldEnd);
    if (!home) return null;
    const shift = home.newStart - home.oldStart;
    moved.push({ ...edit, start: edit.start + shift, end: edit.end + shift });
  }
  return moved;
}
