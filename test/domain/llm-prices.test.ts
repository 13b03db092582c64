import { describe, expect, it } from 'vitest';
import { costOf, priceOf } from '../../src/domain/llm-prices.js';

describe('llm prices', () => {
  it('prices a listed model, and a dated version of one, per million tokens', () => {
    expect(priceOf('gpt-4o-mini')).toEqual({ inputPerMillion: 0.15, outputPerMillion: 0.6 });
    expect(priceOf('gpt-4o-mini-2024-07-18')).toEqual({ inputPerMillion: 0.15, outputPerMillion: 0.6 });
    expect(priceOf('gpt-4o-2024-08-06')).toEqual({ inputPerMillion: 2.5, outputPerMillion: 10 });
    expect(costOf('gpt-4o-mini', 1_000_000, 100_000)).toBeCloseTo(0.21, 10);
  });

  it('has no price for a model it does not list or without token counts, unless the operator sets one', () => {
    expect(costOf('qwen2.5-coder:14b', 1000, 100)).toBeNull();
    expect(costOf('gpt-4o-mini', null, 100)).toBeNull();
    expect(costOf('qwen2.5-coder:14b', 1_000_000, 1_000_000, { inputPerMillion: 0.1, outputPerMillion: 0.2 })).toBeCloseTo(0.3, 10);
    expect(costOf('gpt-4o-mini', 1_000_000, 0, { inputPerMillion: 1, outputPerMillion: 1 })).toBe(1);
  });
});
