import { describe, expect, it } from 'vitest';
import type { Edit } from '../../src/domain/finding.js';
import { applyEdits } from '../../src/engine/fixer.js';
import { rebaseOntoChangedText } from '../../src/engine/rebase.js';

const edit = (start: number, end: number, text: string): Edit => ({ file: 'f.js', start, end, text });

describe('rebaseOntoChangedText', () => {
  const before = 'const a = 1;\ndebugger;\nconst b = a == 2;\n';
  const target = before.indexOf('==');
  const fix = [edit(target, target + 2, '===')];

  it.each([
    { name: 'no change', after: before },
    { name: 'a line added above', after: `// header\n${before}` },
    { name: 'a line removed above', after: before.replace('debugger;\n', '') },
    { name: 'a change below', after: `${before}export { b };\n` },
  ])('moves an edit over $name', ({ after }) => {
    const moved = rebaseOntoChangedText(before, after, fix);
    expect(moved).not.toBeNull();
    expect(applyEdits(after, moved ?? [])).toBe(after.replace('a == 2', 'a === 2'));
  });

  it.each([
    { name: 'the edited text itself changed', after: before.replace('a == 2', 'a != 2') },
    { name: 'text inside the span changed', after: before.replace('==', '= =') },
  ])('refuses when $name', ({ after }) => {
    expect(rebaseOntoChangedText(before, after, fix)).toBeNull();
  });

  it('keeps an insertion only where both sides of its point are unchanged', () => {
    const insertAt = before.indexOf('const b');
    const insert = [edit(insertAt, insertAt, '// note\n')];
    const moved = rebaseOntoChangedText(before, `x\n${before}`, insert);
    expect(applyEdits(`x\n${before}`, moved ?? [])).toBe(`x\n${before.replace('const b', '// note\nconst b')}`);
    expect(rebaseOntoChangedText(before, before.replace('debugger;\nconst', 'debugger;\nlet'), insert)).toBeNull();
  });

  it('rebases a whole-line deletion over a fix applied earlier in the same file', () => {
    const nan = 'if (x === NaN) y();\n';
    const text = `debugger;\n${nan}`;
    const deletion = [edit(0, 'debugger;\n'.length, '')];
    const afterNan = text.replace('x === NaN', 'Number.isNaN(x)');
    const moved = rebaseOntoChangedText(text, afterNan, deletion);
    expect(applyEdits(afterNan, moved ?? [])).toBe('if (Number.isNaN(x)) y();\n');
  });
});
