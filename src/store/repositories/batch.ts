/** Rows per statement for batched writes: one round trip per chunk, never one per row. */
export const BATCH_SIZE = 1000;

export function chunks<T>(items: readonly T[], size = BATCH_SIZE): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Largest JSON parameter per statement: PostgreSQL refuses jsonb values past 256 MiB. */
export const MAX_BATCH_JSON_CHARS = 32 * 1024 * 1024;

/** Chunks by count and by the size of each item's JSON, so that no statement's parameter grows too big. */
export function chunksBySize<T>(items: readonly T[], sizeOf: (item: T) => number, maxChars = MAX_BATCH_JSON_CHARS, size = BATCH_SIZE): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let chars = 0;
  for (const item of items) {
    const itemChars = sizeOf(item);
    if (current.length > 0 && (current.length >= size || chars + itemChars > maxChars)) {
      out.push(current);
      current = [];
      chars = 0;
    }
    current.push(item);
    chars += itemChars;
  }
  if (current.length > 0) out.push(current);
  return out;
}
