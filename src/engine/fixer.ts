import type { Edit } from '../domain/finding.js';

/** A group of edits that stands or falls together (one fix, possibly spanning several places). */
export interface EditGroup {
  readonly id: string;
  readonly edits: readonly Edit[];
}

export interface SkippedGroup {
  readonly id: string;
  readonly reason: string;
}

export interface FixPlan {
  readonly accepted: EditGroup[];
  readonly skipped: SkippedGroup[];
}

function overlaps(a: Edit, b: Edit): boolean {
  if (a.file !== b.file) return false;
  // Two insertions at the same point have no defined order, so they conflict too.
  if (a.start === a.end && b.start === b.end) return a.start === b.start;
  return a.start < b.end && b.start < a.end;
}

/**
 * Chooses which groups can be applied together: groups are taken in order and one that overlaps an
 * accepted group (or whose own edits overlap each other) is skipped whole, with the reason. Nothing
 * is partially applied.
 */
export function planFixes(groups: readonly EditGroup[]): FixPlan {
  const accepted: EditGroup[] = [];
  const skipped: SkippedGroup[] = [];
  // Accepted edits per file: a crawl plans thousands of fixes across files, and comparing each
  // with every accepted edit of every file was quadratic in the whole crawl.
  const taken = new Map<string, { edit: Edit; owner: string }[]>();
  for (const group of groups) {
    const bad = group.edits.find((edit) => edit.start < 0 || edit.end < edit.start);
    if (bad) {
      skipped.push({ id: group.id, reason: `invalid edit range ${bad.start}..${bad.end} in ${bad.file}` });
      continue;
    }
    const selfOverlap = group.edits.some((a, i) => group.edits.some((b, j) => i < j && overlaps(a, b)));
    if (selfOverlap) {
      skipped.push({ id: group.id, reason: 'its own edits overlap each other' });
      continue;
    }
    let clash: { edit: Edit; owner: string } | undefined;
    for (const mine of group.edits) {
      clash = taken.get(mine.file)?.find(({ edit }) => overlaps(mine, edit));
      if (clash) break;
    }
    if (clash) {
      skipped.push({ id: group.id, reason: `overlaps fix ${clash.owner} in ${clash.edit.file}` });
      continue;
    }
    accepted.push(group);
    for (const edit of group.edits) {
      const list = taken.get(edit.file) ?? [];
      list.push({ edit, owner: group.id });
      taken.set(edit.file, list);
    }
  }
  return { accepted, skipped };
}

/**
 * Applies non-overlapping edits of one file to its text. Throws on overlap or an out-of-range edit:
 * callers plan first with `planFixes`, so reaching that is a bug, not bad input.
 */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let output = '';
  let cursor = 0;
  for (const edit of sorted) {
    if (edit.start < cursor || edit.end > text.length) {
      throw new Error(`applyEdits: edit ${edit.start}..${edit.end} overlaps or is out of range (text length ${text.length})`);
    }
    output += text.slice(cursor, edit.start) + edit.text;
    cursor = edit.end;
  }
  return output + text.slice(cursor);
}

/**
 * Re-bases edits planned against the original text onto a text in which `applied` edits were already
 * made (all non-overlapping), so fixes of one file can be written one after another.
 */
export function rebaseEdits(edits: readonly Edit[], applied: readonly Edit[]): Edit[] {
  return edits.map((edit) => {
    let shift = 0;
    for (const done of applied) {
      if (done.file === edit.file && done.end <= edit.start) shift += done.text.length - (done.end - done.start);
    }
    return { ...edit, start: edit.start + shift, end: edit.end + shift };
  });
}

export interface PassResult {
  readonly output: string;
  readonly passes: number;
  /** True when the fixed point was not reached within the pass limit. */
  readonly stoppedEarly: boolean;
}

/**
 * Repeats find-edits -> plan -> apply until nothing is left to fix or `maxPasses` is reached (fixes
 * skipped for overlap in one pass get their chance in the next), like ESLint's multipass fixing.
 */
export function fixUntilStable(
  text: string,
  findGroups: (text: string) => readonly EditGroup[],
  maxPasses = 10,
): PassResult {
  let output = text;
  for (let pass = 1; pass <= maxPasses; pass++) {
    const plan = planFixes(findGroups(output));
    if (plan.accepted.length === 0) return { output, passes: pass - 1, stoppedEarly: false };
    output = applyEdits(output, plan.accepted.flatMap((group) => group.edits));
  }
  // Stopped early only if another pass would still change something (groups that can never be
  // applied, e.g. self-overlapping ones, do not count: the loop above treats them the same way).
  return { output, passes: maxPasses, stoppedEarly: planFixes(findGroups(output)).accepted.length > 0 };
}
