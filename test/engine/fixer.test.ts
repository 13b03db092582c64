import { describe, expect, it } from 'vitest';
import type { Edit } from '../../src/domain/finding.js';
import { applyEdits, fixUntilStable, planFixes, rebaseEdits } from '../../src/engine/fixer.js';
import type { EditGroup } from '../../src/engine/fixer.js';

function edit(start: number, end: number, text: string, file = 'a.js'): Edit {
  return { file, start, end, text };
}

function group(id: string, ...edits: Edit[]): EditGroup {
  return { id, edits };
}

describe('planFixes', () => {
  it('accepts groups that do not overlap, in order', () => {
    const groups = [group('g1', edit(0, 2, 'x')), group('g2', edit(2, 4, 'y')), group('g3', edit(0, 2, 'z', 'b.js'))];
    const plan = planFixes(groups);
    expect(plan.accepted.map((g) => g.id)).toEqual(['g1', 'g2', 'g3']);
    expect(plan.skipped).toEqual([]);
  });

  it('skips a whole group when one of its edits overlaps an accepted group, naming the other fix', () => {
    const plan = planFixes([
      group('first', edit(5, 10, 'x')),
      group('second', edit(0, 2, 'a'), edit(8, 12, 'b')),
      group('third', edit(0, 2, 'c')),
    ]);
    expect(plan.accepted.map((g) => g.id)).toEqual(['first', 'third']);
    expect(plan.skipped).toHaveLength(1);
    expect(plan.skipped[0]?.id).toBe('second');
    expect(plan.skipped[0]?.reason).toContain('first');
    expect(plan.skipped[0]?.reason).toContain('a.js');
  });

  it('does not let the edits of a skipped group block later groups', () => {
    // `second` is skipped, so its edit at 20..25 must not count as taken.
    const plan = planFixes([group('first', edit(0, 5, 'x')), group('second', edit(3, 4, 'y'), edit(20, 25, 'z')), group('third', edit(21, 22, 'w'))]);
    expect(plan.accepted.map((g) => g.id)).toEqual(['first', 'third']);
  });

  it.each([
    { name: 'two insertions at one point', a: edit(4, 4, 'x'), b: edit(4, 4, 'y'), clash: true },
    { name: 'two insertions at different points', a: edit(4, 4, 'x'), b: edit(5, 5, 'y'), clash: false },
    { name: 'an insertion at the start of a replacement', a: edit(4, 4, 'x'), b: edit(4, 8, 'y'), clash: false },
    { name: 'an insertion at the end of a replacement', a: edit(4, 8, 'x'), b: edit(8, 8, 'y'), clash: false },
    { name: 'an insertion inside a replacement', a: edit(4, 8, 'x'), b: edit(6, 6, 'y'), clash: true },
    { name: 'adjacent replacements', a: edit(0, 4, 'x'), b: edit(4, 8, 'y'), clash: false },
    { name: 'replacements sharing one character', a: edit(0, 5, 'x'), b: edit(4, 8, 'y'), clash: true },
    { name: 'a replacement containing another', a: edit(0, 10, 'x'), b: edit(3, 4, 'y'), clash: true },
    { name: 'the same range in different files', a: edit(0, 10, 'x', 'a.js'), b: edit(0, 10, 'y', 'b.js'), clash: false },
  ])('$name: conflict=$clash', ({ a, b, clash }) => {
    const plan = planFixes([group('A', a), group('B', b)]);
    expect(plan.accepted.map((g) => g.id)).toEqual(clash ? ['A'] : ['A', 'B']);
    expect(plan.skipped.map((s) => s.id)).toEqual(clash ? ['B'] : []);
  });

  it.each([
    { name: 'overlapping replacements', edits: [edit(0, 5, 'x'), edit(3, 8, 'y')] },
    { name: 'two insertions at one point', edits: [edit(2, 2, 'x'), edit(2, 2, 'y')] },
  ])('skips a group whose own edits overlap ($name)', ({ edits }) => {
    const plan = planFixes([group('self', ...edits), group('other', edit(0, 8, 'z'))]);
    expect(plan.skipped).toEqual([{ id: 'self', reason: expect.stringContaining('overlap') }]);
    // Nothing of the skipped group was taken, so a later group over the same text is accepted.
    expect(plan.accepted.map((g) => g.id)).toEqual(['other']);
  });

  it.each([
    { name: 'negative start', bad: edit(-1, 2, 'x') },
    { name: 'end before start', bad: edit(5, 3, 'x') },
  ])('skips a group with an invalid range ($name) and names the range', ({ bad }) => {
    const plan = planFixes([group('bad', edit(20, 21, 'ok'), bad), group('good', edit(0, 1, 'y'))]);
    expect(plan.accepted.map((g) => g.id)).toEqual(['good']);
    expect(plan.skipped).toHaveLength(1);
    expect(plan.skipped[0]?.id).toBe('bad');
    expect(plan.skipped[0]?.reason).toContain(`${bad.start}..${bad.end}`);
  });

  it('accepts an empty plan', () => {
    expect(planFixes([])).toEqual({ accepted: [], skipped: [] });
  });
});

describe('applyEdits', () => {
  const text = 'const a = 1;\nconst b = 2;\n';
  const edits = [edit(0, 5, 'let'), edit(13, 18, 'var'), edit(26, 26, '// end\n'), edit(10, 11, '42'), edit(6, 6, '/*x*/ ')];
  const expected = 'let /*x*/ a = 42;\nvar b = 2;\n// end\n';

  it('applies every edit against the original offsets', () => {
    expect(applyEdits(text, edits)).toBe(expected);
  });

  it.each([
    { name: 'reversed', order: [...edits].reverse() },
    { name: 'rotated', order: [...edits.slice(2), ...edits.slice(0, 2)] },
    { name: 'sorted by start', order: [...edits].sort((x, y) => x.start - y.start) },
  ])('gives the same text whatever the order of the edits ($name)', ({ order }) => {
    expect(applyEdits(text, order)).toBe(expected);
  });

  it('puts an insertion before a replacement that starts at the same offset', () => {
    expect(applyEdits('abcdef', [edit(2, 4, 'XY'), edit(2, 2, '>')])).toBe('ab>XYef');
  });

  it('returns the text unchanged when there are no edits', () => {
    expect(applyEdits(text, [])).toBe(text);
  });

  it('handles deletions and edits at both ends of the text', () => {
    expect(applyEdits('abcdef', [edit(0, 1, ''), edit(6, 6, '!'), edit(3, 4, '')])).toBe('bcef!');
  });

  it.each([
    { name: 'end past the text', bad: [edit(2, 7, 'x')] },
    { name: 'insertion past the text', bad: [edit(7, 7, 'x')] },
    { name: 'overlapping edits', bad: [edit(0, 3, 'x'), edit(2, 4, 'y')] },
  ])('throws on $name', ({ bad }) => {
    expect(() => applyEdits('abcdef', bad)).toThrow(/overlaps or is out of range/);
  });
});

describe('rebaseEdits', () => {
  const text = 'one two three four five six seven';
  // Offsets: one 0-3, two 4-7, three 8-13, four 14-18, five 19-23, six 24-27, seven 28-33.
  const cases: { name: string; applied: Edit[]; later: Edit[] }[] = [
    { name: 'later edit after a growing replacement', applied: [edit(0, 3, 'ONE-ONE-ONE')], later: [edit(14, 18, 'FOUR')] },
    { name: 'later edit after a shrinking replacement', applied: [edit(8, 13, '3')], later: [edit(19, 23, 'V')] },
    { name: 'later edit before applied edits', applied: [edit(19, 23, 'FIVE!!!!'), edit(28, 33, '')], later: [edit(0, 3, '1')] },
    {
      name: 'later edits between applied edits',
      applied: [edit(0, 3, ''), edit(14, 18, 'FOURFOURFOUR'), edit(28, 33, '7')],
      later: [edit(8, 13, 'tres'), edit(24, 27, 'VI')],
    },
    { name: 'insertions next to applied replacements', applied: [edit(4, 7, 'TWO2'), edit(24, 24, '<')], later: [edit(7, 7, '>'), edit(4, 4, '['), edit(24, 27, 'six6')] },
    { name: 'replacement right after an applied deletion', applied: [edit(3, 8, ' ')], later: [edit(8, 13, 'THREE')] },
    { name: 'applied edits in another file are ignored', applied: [edit(0, 0, 'XXXXXXXX', 'other.js'), edit(0, 3, '1')], later: [edit(14, 18, '4')] },
  ];

  it.each(cases)('$name: sequential application equals applying everything at once', ({ applied, later }) => {
    const sameFileApplied = applied.filter((e) => e.file === 'a.js');
    const once = applyEdits(text, [...sameFileApplied, ...later]);
    const stepwise = applyEdits(applyEdits(text, sameFileApplied), rebaseEdits(later, applied));
    expect(stepwise).toBe(once);
  });

  it('keeps file and text and only moves offsets', () => {
    const [moved] = rebaseEdits([edit(14, 18, 'FOUR')], [edit(0, 3, '12345')]);
    expect(moved).toEqual({ file: 'a.js', start: 16, end: 20, text: 'FOUR' });
  });

  it('agrees with applying everything at once for many random non-overlapping edits', () => {
    let seed = 12345;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const source = 'abcdefghijklmnopqrstuvwxyz0123456789';
    for (let round = 0; round < 300; round++) {
      const candidates: EditGroup[] = [];
      for (let i = 0; i < 8; i++) {
        const start = random(source.length + 1);
        const end = Math.min(source.length, start + random(4));
        candidates.push(group(`g${i}`, edit(start, end, 'X'.repeat(random(5)))));
      }
      const edits = planFixes(candidates).accepted.flatMap((g) => g.edits);
      const applied = edits.filter(() => random(2) === 0);
      const later = edits.filter((e) => !applied.includes(e));
      const stepwise = applyEdits(applyEdits(source, applied), rebaseEdits(later, applied));
      expect(stepwise, JSON.stringify({ applied, later })).toBe(applyEdits(source, edits));
    }
  });
});

describe('fixUntilStable', () => {
  /** One group per occurrence of "aa" (overlapping occurrences included), each shrinking it to "a". */
  function collapseDoubles(text: string): EditGroup[] {
    const groups: EditGroup[] = [];
    for (let i = text.indexOf('aa'); i >= 0; i = text.indexOf('aa', i + 1)) groups.push(group(`at${i}`, edit(i, i + 2, 'a')));
    return groups;
  }

  it('repeats passes until nothing is left and reports the passes used', () => {
    // "aaaa": pass 1 applies 0..2 and 2..4 (1..3 overlaps) -> "aa"; pass 2 -> "a"; pass 3 finds nothing.
    expect(fixUntilStable('xaaaax', collapseDoubles)).toEqual({ output: 'xax', passes: 2, stoppedEarly: false });
  });

  it('does no pass when there is nothing to fix', () => {
    expect(fixUntilStable('abc', collapseDoubles)).toEqual({ output: 'abc', passes: 0, stoppedEarly: false });
  });

  it('is not stopped early when the fixed point is reached exactly at the pass limit', () => {
    expect(fixUntilStable('aaaa', collapseDoubles, 2)).toEqual({ output: 'a', passes: 2, stoppedEarly: false });
  });

  it('stops at the pass limit and reports stoppedEarly when the finder never converges', () => {
    let calls = 0;
    const forever = (): EditGroup[] => {
      calls++;
      return [group('again', edit(0, 0, '!'))];
    };
    const result = fixUntilStable('x', forever, 3);
    expect(result).toEqual({ output: '!!!x', passes: 3, stoppedEarly: true });
    expect(calls).toBeGreaterThanOrEqual(3);
  });

  it('is not stopped early when what is left can never be applied', () => {
    // A group whose own edits overlap is always skipped: another pass would change nothing.
    const unfixable = group('broken', edit(0, 1, 'x'), edit(0, 1, 'y'));
    const finder = (text: string): EditGroup[] => [...collapseDoubles(text), unfixable];
    expect(fixUntilStable('aaaa', finder, 2)).toEqual({ output: 'a', passes: 2, stoppedEarly: false });
    expect(fixUntilStable('aa', finder, 5)).toEqual({ output: 'a', passes: 1, stoppedEarly: false });
  });
});
