/** Rows per statement for batched writes: one round trip per chunk, never one per row. */
export const BATCH_SIZE = 1000;

export function chunks<T>(items: readonly T[], size = BATCH_SIZE): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
