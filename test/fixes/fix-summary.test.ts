import { describe, expect, it } from 'vitest';
import { replacementsOf } from '../../src/fixes/fix-summary.js';

describe('replacementsOf', () => {
  it('turns edits into 1-based line and column replacements against their files, end exclusive', () => {
    const texts = new Map([
      ['a.js', 'const x = 1;\nrun(eval(body));\n'],
      ['.env.example', 'A=\n'],
    ]);
    const edits = [
      { file: 'a.js', start: 17, end: 27, text: 'JSON.parse(body)' },
      { file: '.env.example', start: 3, end: 3, text: 'B=\n' },
      { file: 'elsewhere.js', start: 0, end: 0, text: 'x' },
    ];
    expect(replacementsOf(edits, texts)).toEqual([
      { file: 'a.js', startLine: 2, startColumn: 5, endLine: 2, endColumn: 15, text: 'JSON.parse(body)' },
      { file: '.env.example', startLine: 2, startColumn: 1, endLine: 2, endColumn: 1, text: 'B=\n' },
    ]);
  });
});
