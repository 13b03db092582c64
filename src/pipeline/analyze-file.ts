import { readFile } from 'node:fs/promises';
import type { FileLanguage, Finding } from '../domain/finding.js';
import { contentHash } from '../domain/fingerprint.js';
import { analyzeSource } from '../engine/analyze.js';
import type { RuleSet } from '../engine/rules.js';
import { maskOtherFindings } from '../engine/secrets/findings.js';
import type { SecretScanner } from '../engine/secrets/scanner.js';
import { decodeSource } from './source-file.js';
import type { SkipReason } from './walk.js';

export interface AnalyzeTaskFile {
  readonly path: string;
  readonly absolutePath: string;
  /** `text`: not code; only the secrets scan runs. */
  readonly language: FileLanguage;
  /** Hash stored by the last crawl; equal content is not analyzed again. */
  readonly previousSha256: string | null;
}

export type FileOutcome =
  | { readonly path: string; readonly status: 'analyzed'; readonly sha256: string; readonly findings: Finding[]; readonly syntaxProblems: number }
  | { readonly path: string; readonly status: 'unchanged'; readonly sha256: string }
  | { readonly path: string; readonly status: 'skipped'; readonly reason: SkipReason; readonly detail: string };

const MINIFIED_MIN_BYTES = 2048;
const MINIFIED_AVERAGE_LINE = 250;
const MINIFIED_LONGEST_LINE = 20_000;

/**
 * Minified or bundled output is generated, not written: findings in it cannot be fixed at the source
 * and its giant lines make every diff huge. Judged on line lengths only.
 */
export function minifiedReason(text: string): string | null {
  if (text.length < MINIFIED_MIN_BYTES) return null;
  let lines = 1;
  let longest = 0;
  let start = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    longest = Math.max(longest, i - start);
    start = i + 1;
    lines++;
  }
  longest = Math.max(longest, text.length - start);
  const average = text.length / lines;
  if (longest > MINIFIED_LONGEST_LINE) return `looks minified or bundled (a line of ${longest} characters)`;
  if (average > MINIFIED_AVERAGE_LINE) return `looks minified or bundled (${Math.round(average)} characters per line on average)`;
  return null;
}

/**
 * Reads, hashes, decodes and analyzes one file. Every failure becomes a skip with its reason. With a
 * secrets scanner, secrets are found too, and every other finding of the file is masked the same way.
 */
export async function analyzeFile(file: AnalyzeTaskFile, rules: RuleSet, secrets: SecretScanner | null = null): Promise<FileOutcome> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file.absolutePath);
  } catch (error) {
    return { path: file.path, status: 'skipped', reason: 'unreadable', detail: (error as Error).message };
  }
  const sha256 = contentHash(bytes);
  if (sha256 === file.previousSha256) return { path: file.path, status: 'unchanged', sha256 };
  const decoded = decodeSource(bytes);
  if (!decoded.ok) return { path: file.path, status: 'skipped', reason: decoded.reason, detail: decoded.detail };
  const generated = minifiedReason(decoded.text);
  if (generated) return { path: file.path, status: 'skipped', reason: 'minified', detail: generated };
  const found = secrets?.scan(decoded.text, file.path, file.language) ?? { findings: [], matches: [] };
  if (file.language === 'text') return { path: file.path, status: 'analyzed', sha256, findings: found.findings, syntaxProblems: 0 };
  const result = analyzeSource({ text: decoded.text, file: file.path, language: file.language, rules });
  const findings = [...maskOtherFindings(result.findings, decoded.text, found.matches), ...found.findings];
  return { path: file.path, status: 'analyzed', sha256, findings, syntaxProblems: result.syntaxProblems.length };
}
