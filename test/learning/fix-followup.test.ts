import { describe, expect, it } from 'vitest';
import type { Edit } from '../../src/domain/finding.js';
import { followUpFix } from '../../src/learning/fix-followup.js';

const original = 'const a = 1;\nif (x == null) go();\nvar b = 2;\n';
// The fix: `==` -> `===` and `var` -> `let`.
const edits: Edit[] = [
  { file: 'f.js', start: original.indexOf('=='), end: original.indexOf('==') + 2, text: '===' },
  { file: 'f.js', start: original.indexOf('var'), end: original.indexOf('var') + 3, text: 'let' },
];
const fixed = 'const a = 1;\nif (x === null) go();\nlet b = 2;\n';

describe('followUpFix', () => {
  it.each([
    { name: 'the file as the fix left it', current: fixed, kind: 'kept' },
    { name: 'edits elsewhere in the file', current: `// header\n${fixed}function more() {}\n`, kind: 'kept' },
    { name: 'the whole file back to the original', current: original, kind: 'reverted' },
    { name: 'one fixed spot changed back, the rest edited', current: `// header\nconst a = 1;\nif (x == null) go();\nlet b = 2;\n`, kind: 'reverted' },
    { name: 'the fixed text edited into something else', current: 'const a = 1;\nif (x === undefined) go();\nconst b = 2;\n', kind: 're_edited' },
    { name: 'the fixed line deleted', current: 'const a = 1;\nlet b = 2;\n', kind: 're_edited' },
  ])('$name -> $kind', ({ current, kind }) => {
    expect(followUpFix(original, edits, current).kind).toBe(kind);
  });

  it('notices a deletion fix whose text came back', () => {
    const source = 'a();\ndebugger;\nb();\n';
    const deletion: Edit[] = [{ file: 'f.js', start: 5, end: 15, text: '' }];
    expect(followUpFix(source, deletion, 'a();\nb();\n').kind).toBe('kept');
    expect(followUpFix(source, deletion, 'a();\ndebugger;\nb();\nc();\n').kind).toBe('reverted');
  });
});
