import { createHash } from 'node:crypto';

/**
 * How a secret is shown anywhere (snippets, messages, reports, the store): a few leading characters,
 * enough to recognise which key it is, and its length. Short values show fewer characters.
 */
export function maskSecret(secret: string): string {
  const shown = secret.length >= 20 ? 4 : secret.length >= 12 ? 2 : 0;
  return `${secret.slice(0, shown)}…(${secret.length} chars)`;
}

/** The secret's identity for fingerprints: a hash, so the same secret is the same issue and the value is never stored. */
export function secretDigest(secret: string): string {
  return createHash('sha256').update(`secret\0${secret}`).digest('hex');
}

/** Where a secret sits in a file's text (UTF-16 offsets) and its value, held in memory only. */
export interface SecretSpan {
  readonly start: number;
  readonly end: number;
  readonly secret: string;
}

/** `text.slice(start, end)` with every secret overlapping it replaced by its mask (once, where it begins). */
export function maskedSlice(text: string, start: number, end: number, spans: readonly SecretSpan[]): string {
  const inside = spans.filter((s) => s.start < end && start < s.end).sort((a, b) => a.start - b.start);
  let out = '';
  let at = start;
  for (const span of inside) {
    if (span.start > at) out += text.slice(at, span.start);
    if (span.end > at) out += maskSecret(span.secret);
    at = Math.max(at, span.end);
  }
  if (at < end) out += text.slice(at, end);
  return out;
}

/** Replaces every occurrence of each secret in a string by its mask. */
export function maskAll(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (out.includes(secret)) out = out.replaceAll(secret, maskSecret(secret));
  return out;
}
