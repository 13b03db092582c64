import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Finding } from '../domain/finding.js';
import { eslintAdapter } from './eslint.js';
import { mergeFindings } from './merge.js';
import { oxlintAdapter } from './oxlint.js';
import type { OxlintCategory } from './oxlint.js';
import type { AdapterFile, AdapterStatus, AnalyzerAdapter } from './ports.js';
import { sarifImportAdapter } from './sarif-import.js';
import { typescriptAdapter } from './typescript.js';

/** The adapters part of `.roach.yml` (see config/schema.ts), plus the --import-sarif files. */
export interface AdapterSettings {
  readonly eslint: { readonly enabled: boolean; readonly configFile?: string };
  readonly oxlint: { readonly enabled: boolean; readonly categories: readonly OxlintCategory[]; readonly bin?: string };
  readonly typescript: { readonly enabled: boolean; readonly tsconfig?: string };
  /** Absolute paths of SARIF files to import. */
  readonly sarif: readonly string[];
  /**
   * False for repositories Code Roach did not get from its user (service mode): nothing of the project's own is
   * executed, so ESLint (its config is JavaScript) does not run, and oxlint and TypeScript are Code Roach's own
   * copies, with oxlint's project config (which may load JS plugins) left out.
   */
  readonly trustProjectCode: boolean;
}

/** The configured adapters, in the order they run and are reported. */
export function buildAdapters(settings: AdapterSettings, root: string): AnalyzerAdapter[] {
  const adapters: AnalyzerAdapter[] = [];
  const trusted = settings.trustProjectCode;
  if (settings.eslint.enabled) adapters.push(eslintAdapter({ configFile: settings.eslint.configFile, trustProjectCode: trusted }));
  if (settings.oxlint.enabled) adapters.push(oxlintAdapter({ categories: settings.oxlint.categories, bin: settings.oxlint.bin, trustProjectCode: trusted }));
  if (settings.typescript.enabled) adapters.push(typescriptAdapter({ tsconfig: settings.typescript.tsconfig, trustProjectCode: trusted }));
  for (const file of settings.sarif) {
    const relative = path.relative(root, file);
    adapters.push(sarifImportAdapter(file, relative.startsWith('..') ? file : relative.split(path.sep).join('/')));
  }
  return adapters;
}

export interface AdapterRun {
  /** Built-in and adapter findings, with duplicates of one defect from several engines merged. */
  readonly findings: Finding[];
  readonly statuses: AdapterStatus[];
  /** Engines whose adapter failed in this crawl: what they reported before is unknown now, not gone. */
  readonly failedEngines: string[];
}

/**
 * Runs every adapter over the files this crawl analyzed, one after another (ESLint and TypeScript are
 * CPU-bound in this thread; oxlint already uses every core). An adapter that fails is reported with its
 * error and the others still run: one broken ESLint config must not cost the crawl its other results.
 */
export async function runAdapters(adapters: readonly AnalyzerAdapter[], root: string, files: readonly AdapterFile[], builtIn: readonly Finding[]): Promise<AdapterRun> {
  const texts = new Map<string, Promise<string | null>>();
  const textOf = (file: string): Promise<string | null> => {
    const cached = texts.get(file);
    if (cached) return cached;
    const loaded = readFile(path.join(root, file), 'utf8').then(
      (text) => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text),
      () => null,
    );
    texts.set(file, loaded);
    return loaded;
  };
  const statuses: AdapterStatus[] = [];
  const failedEngines: string[] = [];
  const found: Finding[] = [];
  for (const adapter of adapters) {
    const started = performance.now();
    try {
      const outcome = await adapter.run({ root, files, textOf });
      found.push(...outcome.findings);
      statuses.push({ adapter: adapter.name, status: outcome.status, findings: outcome.findings.length, durationMs: Math.round(performance.now() - started), detail: outcome.detail });
    } catch (error) {
      statuses.push({ adapter: adapter.name, status: 'failed', findings: 0, durationMs: Math.round(performance.now() - started), detail: (error as Error).message });
      if (adapter.engine) failedEngines.push(adapter.engine);
    }
  }
  return { findings: found.length > 0 ? mergeFindings([...builtIn, ...found]) : [...builtIn], statuses, failedEngines };
}
