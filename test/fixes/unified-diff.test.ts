import { describe, expect, it } from 'vitest';
import type { Edit } from '../../src/domain/finding.js';
import { applyEdits } from '../../src/engine/fixer.js';
import { unifiedDiff, unifiedDiffOfEdits } from '../../src/fixes/unified-diff.js';

/** A small deterministic PRNG so failures reproduce. */
function rng(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

describe('unifiedDiffOfEdits', () => {
  it('equals the whole-file diff for random files and edits', () => {
    const random = rng(7);
    for (let round = 0; round < 300; round++) {
      const lines = Array.from({ length: 1 + Math.floor(random() * 40) }, (_, i) => `line ${i} ${'x'.repeat(Math.floor(random() * 5))}`);
      const text = lines.join('\n') + (random() < 0.5 ? '\n' : '');
      const edits: Edit[] = [];
      let cursor = 0;
      while (cursor < text.length && edits.length < 4) {
        const start = cursor + Math.floor(random() * (text.length - cursor));
        const end = Math.min(text.length, start + Math.floor(random() * 12));
        const replacement = ['', 'NEW', 'a\nb', '\n'][Math.floor(random() * 4)] ?? '';
        edits.push({ file: 'f.js', start, end, text: replacement });
        cursor = end + 1;
      }
      const after = applyEdits(text, edits);
      if (after === text) continue;
      expect(unifiedDiffOfEdits('f.js', text, edits), `round ${round}`).toBe(unifiedDiff('f.js', text, after));
    }
  });
});
