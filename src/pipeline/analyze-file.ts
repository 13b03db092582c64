import { readFile } from 'node:fs/promises';
import type { Finding, Language } from '../domain/finding.js';
import { contentHash } from '../domain/fingerprint.js';
import { analyzeSource } from '../engine/analyze.js';
import type { RuleSet } from '../engine/rules.js';
import { decodeSource } from './source-file.js';
import type { SkipReason } from './walk.js';

export interface AnalyzeTaskFile {
  readonly path: string;
  readonly absolutePath: string;
  readonly language: Language;
  /** Hash stored by the last crawl; equal content is not analyzed again. */
  readonly previousSha256: string | null;
}

export type FileOutcome =
  | { readonly path: string; readonly status: 'analyzed'; readonly sha256: string; readonly findings: Finding[]; readonly syntaxProblems: number }
  | { readonly path: string; readonly status: 'unchanged'; readonly sha256: string }
  | { readonly path: string; readonly status: 'skipped'; readonly reason: SkipReason; readonly detail: string };

/** Reads, hashes, decodes and analyzes one file. Every failure becomes a skip with its reason. */
export async function analyzeFile(file: AnalyzeTaskFile, rules: RuleSet): Promise<FileOutcome> {
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
  const result = analyzeSource({ text: decoded.text, file: file.path, language: file.language, rules });
  return { path: file.path, status: 'analyzed', sha256, findings: result.findings, syntaxProblems: result.syntaxProblems.length };
}
