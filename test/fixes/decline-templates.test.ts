import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/domain/finding.js';
import { decliningTemplates } from '../../src/fixes/decline-templates.js';
import type { FixProposal, FixStrategy, StrategyContext } from '../../src/fixes/strategies.js';
import { proposeFix } from '../../src/fixes/strategies.js';

const proposal = (template: string | null): FixProposal => ({ strategy: 'pattern-reuse', safety: 'safe', edits: [{ file: 'a.js', start: 0, end: 1, text: 'x' }], template });
const offering = (template: string | null): FixStrategy => ({ name: 'pattern-reuse', propose: () => proposal(template) });
const context = { finding: {} as Finding, source: 'a', pattern: undefined } satisfies StrategyContext;

describe('decliningTemplates', () => {
  it('declines a proposal made from a refused template, so the next strategy is asked', async () => {
    const strategies = decliningTemplates([offering('Object.hasOwn($OBJ, $KEY)'), offering('Object.prototype.hasOwnProperty.call($OBJ, $KEY)')], ['Object.hasOwn($OBJ, $KEY)']);
    expect(await proposeFix(strategies, context)).toEqual(proposal('Object.prototype.hasOwnProperty.call($OBJ, $KEY)'));
  });

  it('keeps proposals from other templates, or with no template, and the strategies unchanged when nothing is refused', async () => {
    expect(await proposeFix(decliningTemplates([offering(null)], ['Object.hasOwn($OBJ, $KEY)']), context)).toEqual(proposal(null));
    const strategies = [offering('a')];
    expect(decliningTemplates(strategies, [])).toBe(strategies);
  });
});
