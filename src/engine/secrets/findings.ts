import type { FileLanguage, Finding, SourceRange } from '../../domain/finding.js';
import { issueFingerprint, patternFingerprint } from '../../domain/fingerprint.js';
import { maskAll, maskedSlice, maskSecret, secretDigest } from './mask.js';
import type { SecretSpan } from './mask.js';
import type { SecretMatch } from './match.js';
import { isTestPath } from './placeholders.js';

export const SECRETS_CWE = 798;
const SNIPPET_LIMIT = 200;

/** Line starts of a text, for turning offsets into 0-based lines and columns. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function lineOf(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function rangeOf(starts: readonly number[], start: number, end: number): SourceRange {
  const startLine = lineOf(starts, start);
  const endLine = lineOf(starts, end);
  return { startLine, startColumn: start - (starts[startLine] ?? 0), endLine, endColumn: end - (starts[endLine] ?? 0), startOffset: start, endOffset: end };
}

function trimmed(text: string): string {
  const clean = text.trim();
  return clean.length > SNIPPET_LIMIT ? `${clean.slice(0, SNIPPET_LIMIT)}…` : clean;
}

/**
 * Findings for the secrets of one file. The snippet is the secret's line with every secret on it masked;
 * the fingerprint hashes the secret (same secret, same issue) rather than its text or line. In test
 * code and fixtures the severity drops to low: such keys are usually fakes, but still reported.
 */
export function secretFindings(text: string, file: string, language: FileLanguage, matches: readonly SecretMatch[]): Finding[] {
  const starts = lineStarts(text);
  const inTests = isTestPath(file);
  const occurrences = new Map<string, number>();
  return [...matches]
    .sort((a, b) => a.start - b.start)
    .map((match): Finding => {
      const range = rangeOf(starts, match.start, match.end);
      const lineStart = starts[range.startLine] ?? 0;
      const nextLine = starts[range.startLine + 1];
      const lineEnd = nextLine === undefined ? text.length : nextLine - 1;
      const digest = secretDigest(match.secret);
      const key = `${match.rule.id}\0${digest}`;
      const occurrence = occurrences.get(key) ?? 0;
      occurrences.set(key, occurrence + 1);
      return {
        ruleId: match.rule.id,
        severity: inTests ? 'low' : match.rule.severity,
        category: 'security',
        cwe: SECRETS_CWE,
        message: `${match.rule.message} (${maskSecret(match.secret)})`,
        file,
        language,
        range,
        snippet: trimmed(maskedSlice(text, lineStart, Math.max(lineEnd, lineStart), matches)),
        fingerprint: issueFingerprint(match.rule.id, file, digest, occurrence),
        patternFingerprint: patternFingerprint(match.rule.id, 'secret'),
        shape: 'secret',
        bindings: {},
        templateFix: null,
      };
    });
}

/** CWE-798, hard-coded credentials: what a secrets finding reports. */
const HARD_CODED_CREDENTIALS = 798;

/**
 * Other rules' findings in a file that holds secrets: their snippets, messages and bindings are masked
 * the same way, and their template fixes are dropped, because a fix would store the file's bytes and a
 * diff around the secret (see docs/secrets.md). A hard-coded-credential rule's finding (CWE-798) over a
 * secret the scan found is dropped: the scan's own finding reports that secret, so one secret is one
 * finding, not two.
 */
export function maskOtherFindings(findings: readonly Finding[], text: string, matches: readonly SecretSpan[]): Finding[] {
  if (matches.length === 0) return [...findings];
  const secrets = matches.map((m) => m.secret);
  const out: Finding[] = [];
  for (const finding of findings) {
    const { startOffset, endOffset } = finding.range;
    const overlaps = matches.some((m) => m.start < endOffset && startOffset < m.end);
    if (overlaps && finding.cwe === HARD_CODED_CREDENTIALS) continue;
    const snippet = overlaps ? trimmed(maskedSlice(text, startOffset, endOffset, matches)) : maskAll(finding.snippet, secrets);
    const bindings = Object.fromEntries(Object.entries(finding.bindings).map(([name, value]) => [name, maskAll(value, secrets)]));
    out.push({ ...finding, snippet, message: maskAll(finding.message, secrets), bindings, templateFix: null });
  }
  return out;
}
