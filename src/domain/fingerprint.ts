import { createHash } from 'node:crypto';

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * The pattern fingerprint names a problem's shape independent of where it sits: rule + normalised
 * shape. Two `eval(userInput)` calls in different projects share it, which is what learning keys on.
 */
export function patternFingerprint(ruleId: string, shape: string): string {
  return sha256Hex(`pattern\0${ruleId}\0${shape}`).slice(0, 32);
}

/**
 * The issue fingerprint names one occurrence: rule + file + the match's own tokens + which
 * occurrence of identical text it is. Lines are deliberately left out so that edits above an issue
 * do not make it "new" on the next crawl.
 */
export function issueFingerprint(ruleId: string, file: string, tokens: string, occurrence: number): string {
  return sha256Hex(`issue\0${ruleId}\0${file}\0${tokens}\0${occurrence}`).slice(0, 32);
}

export function contentHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
