import { maskedSlice } from './mask.js';
import { activeRules, MatchSet, scanPlainText } from './match.js';

/**
 * `text` (a command's output, a log line: anything not from a parsed file) with every secret the
 * plain-text scanner recognises replaced by its mask. Runs whether or not the crawl scans files for
 * secrets: output is stored and shown, and a switched-off scan must not turn into a leak.
 */
export function maskSecretsInText(text: string, disabled: readonly string[] = []): string {
  if (text === '') return text;
  const found = new MatchSet();
  scanPlainText(text, 0, activeRules(new Set(disabled)), found);
  if (found.matches.length === 0) return text;
  return maskedSlice(text, 0, text.length, found.matches);
}
