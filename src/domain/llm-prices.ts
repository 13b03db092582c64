/**
 * What a generated fix costs (issue 15 point 6): USD per million prompt and completion tokens, by model,
 * as the providers list them for their standard tier (checked 2026-12). A model not in the table (a local
 * one, a new one) is recorded with its tokens and no price; `roach stats` says so rather than guess.
 */
export interface ModelPrice {
  readonly inputPerMillion: number;
  readonly outputPerMillion: number;
}

const PRICES: Readonly<Record<string, ModelPrice>> = Object.freeze({
  'gpt-4.1': { inputPerMillion: 2, outputPerMillion: 8 },
  'gpt-4.1-mini': { inputPerMillion: 0.4, outputPerMillion: 1.6 },
  'gpt-4o': { inputPerMillion: 2.5, outputPerMillion: 10 },
  'gpt-4o-mini': { inputPerMillion: 0.15, outputPerMillion: 0.6 },
  'claude-sonnet-4-5': { inputPerMillion: 3, outputPerMillion: 15 },
  'claude-haiku-4-5': { inputPerMillion: 1, outputPerMillion: 5 },
  'gemini-2.5-pro': { inputPerMillion: 1.25, outputPerMillion: 10 },
  'gemini-2.5-flash': { inputPerMillion: 0.3, outputPerMillion: 2.5 },
});

/** The price of `model`: exactly, or of the listed model it is a dated version of (`gpt-4o-2024-08-06`). */
export function priceOf(model: string): ModelPrice | null {
  const exact = PRICES[model];
  if (exact) return exact;
  const base = Object.keys(PRICES)
    .filter((name) => model.startsWith(`${name}-`))
    .sort((a, b) => b.length - a.length)[0];
  return base ? (PRICES[base] ?? null) : null;
}

/** USD for one call's tokens at `override` or the table's price; null when the price or the token counts are unknown. */
export function costOf(model: string, inputTokens: number | null, outputTokens: number | null, override: ModelPrice | null = null): number | null {
  const price = override ?? priceOf(model);
  if (!price || inputTokens === null || outputTokens === null) return null;
  return (inputTokens * price.inputPerMillion + outputTokens * price.outputPerMillion) / 1_000_000;
}
