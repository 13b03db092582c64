import type { Edit, Finding } from '../domain/finding.js';

/**
 * Which findings of a file after some edits are findings it had before (moved by the edits, or changed by
 * them), and which are new. Comparing texts would call a finding new whenever an edit lands inside it: a
 * `var` turned into `let` inside a multi-line finding of another rule changes that finding's snippet and
 * fingerprint, but it is the same finding. An after-finding is the before-finding of the same rule with the
 * same fingerprint; failing that, the one that starts at the same place once the edits are undone; failing
 * that, one whose range overlaps the same edit. Only what matches none of them is new.
 */
export interface FindingMatch {
  /** Before-findings still reported after the edits (by index into `before`). */
  readonly kept: ReadonlySet<number>;
  /** After-findings that are no finding of before. */
  readonly introduced: readonly Finding[];
  /** Each after-finding that is a before-finding, with that finding's index in `before`. */
  readonly pairs: ReadonlyMap<Finding, number>;
}

interface Mapped {
  readonly finding: Finding;
  readonly start: number;
  readonly end: number;
}

/** Maps an offset of the edited text back to the original text; inside a replacement, the edit's start. */
function toOriginal(offset: number, edits: readonly Edit[]): number {
  let delta = 0;
  for (const edit of edits) {
    const start = edit.start + delta;
    if (offset < start) break;
    if (offset <= start + edit.text.length) return edit.start;
    delta += edit.text.length - (edit.end - edit.start);
  }
  return offset - delta;
}

function overlaps(aStart: number, aEnd: number, bStart: number, bEnd: number): boolean {
  return aStart <= bEnd && bStart <= aEnd;
}

export function matchFindings(before: readonly Finding[], after: readonly Finding[], edits: readonly Edit[]): FindingMatch {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  const mapped: Mapped[] = after.map((finding) => ({
    finding,
    start: toOriginal(finding.range.startOffset, sorted),
    end: toOriginal(finding.range.endOffset, sorted),
  }));
  const kept = new Set<number>();
  const pairs = new Map<Finding, number>();
  const unmatched = new Set(mapped);
  const same: ReadonlyArray<(b: Finding, a: Mapped) => boolean> = [
    (b, a) => b.fingerprint === a.finding.fingerprint,
    (b, a) => b.range.startOffset === a.start,
    (b, a) => sorted.some((edit) => overlaps(b.range.startOffset, b.range.endOffset, edit.start, edit.end) && overlaps(a.start, a.end, edit.start, edit.end)),
  ];
  // One test after another over all findings, so a looser test never takes a finding a stricter one matches.
  for (const test of same) {
    for (const a of [...unmatched]) {
      const index = before.findIndex((b, i) => !kept.has(i) && b.ruleId === a.finding.ruleId && test(b, a));
      if (index < 0) continue;
      kept.add(index);
      pairs.set(a.finding, index);
      unmatched.delete(a);
    }
  }
  return { kept, introduced: [...unmatched].map((a) => a.finding), pairs };
}
