import type { Finding, Language } from '../domain/finding.js';

/** A file this crawl analyzed: adapters look at these only, so unchanged files stay untouched. */
export interface AdapterFile {
  /** Project-relative POSIX path. */
  readonly path: string;
  readonly absolutePath: string;
  readonly language: Language;
}

export interface AdapterInput {
  readonly root: string;
  readonly files: readonly AdapterFile[];
  /** The decoded text of a crawled file (BOM stripped, as the engine sees it), or null if unreadable. */
  readonly textOf: (file: string) => Promise<string | null>;
}

/** What one adapter did in one crawl; the crawl report lists one per configured adapter. */
export interface AdapterStatus {
  readonly adapter: string;
  readonly status: 'ran' | 'skipped' | 'failed';
  /** Findings it produced (before de-duplication across engines). */
  readonly findings: number;
  readonly durationMs: number;
  /** Which tool ran (version, project or bundled), why it was skipped, or the error. */
  readonly detail: string;
}

export interface AdapterOutcome {
  readonly status: 'ran' | 'skipped';
  readonly findings: readonly Finding[];
  readonly detail: string;
}

/**
 * One external analyzer. `run` throws a RoachError (CR_ERR_ADAPTER_FAILED) for an expected failure such
 * as a broken config or a missing tool; the runner turns any throw into a `failed` status and the crawl goes on.
 */
export interface AnalyzerAdapter {
  readonly name: string;
  /** The engine its findings name (`eslint`, `oxlint`, `ts`); null when only its output tells (a SARIF file). */
  readonly engine: string | null;
  run(input: AdapterInput): Promise<AdapterOutcome>;
}
