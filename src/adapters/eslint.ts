import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ESLint as ESLintClass, Linter } from 'eslint';
import { RoachError } from '../domain/errors.js';
import type { TemplateFix } from '../domain/finding.js';
import type { Category, Severity } from '../domain/severity.js';
import type { AdapterHit } from './adapter-finding.js';
import { findingsOfHits, hitsByFile } from './adapter-finding.js';
import { importFromProject } from './engine-loader.js';
import { knownRuleTraits } from './equivalence.js';
import type { AdapterInput, AdapterOutcome, AnalyzerAdapter } from './ports.js';
import { LineIndex } from './source-text.js';

/** Flat config names ESLint 9+ looks for at the project root, in its own order. */
const CONFIG_FILES = ['eslint.config.js', 'eslint.config.mjs', 'eslint.config.cjs', 'eslint.config.ts', 'eslint.config.mts', 'eslint.config.cts'];
const LINTED = new Set(['javascript', 'typescript', 'tsx']);

export interface EslintAdapterOptions {
  /** Project-relative config file; default: the project's own eslint.config.* */
  readonly configFile?: string;
  /** False: the project's config is code Code Roach will not run (see AdapterSettings.trustProjectCode). */
  readonly trustProjectCode: boolean;
}

type EslintModule = { readonly ESLint: typeof ESLintClass };

const CATEGORY_OF_TYPE: Readonly<Record<string, Category>> = { problem: 'bug', suggestion: 'maintainability', layout: 'style' };

/** ESLint with the project's own flat config; the project's installed eslint when it has one, else ours. */
export function eslintAdapter(options: EslintAdapterOptions): AnalyzerAdapter {
  return {
    name: 'eslint',
    engine: 'eslint',
    async run(input: AdapterInput): Promise<AdapterOutcome> {
      const configFile = options.configFile ? path.resolve(input.root, options.configFile) : CONFIG_FILES.map((name) => path.join(input.root, name)).find((file) => existsSync(file));
      if (!configFile) return { status: 'skipped', findings: [], detail: `no ESLint config in the project (${CONFIG_FILES[0]} and friends); ESLint runs only with the project's own config` };
      if (!existsSync(configFile)) throw new RoachError('CR_ERR_ADAPTER_FAILED', `eslint: config file ${configFile} does not exist (adapters.eslint.configFile).`, { adapter: 'eslint' });
      if (!options.trustProjectCode) return { status: 'skipped', findings: [], detail: "not run: an ESLint config is JavaScript, and this crawl does not run the repository's own code (service mode)" };
      const files = input.files.filter((file) => LINTED.has(file.language));
      if (files.length === 0) return { status: 'skipped', findings: [], detail: 'no JavaScript or TypeScript file changed in this crawl' };
      const loaded = await importFromProject<EslintModule>(input.root, 'eslint', true);
      const tool = `${loaded.origin} eslint ${loaded.module.ESLint.version} with ${path.relative(input.root, configFile)}`;
      // warnIgnored: false: files the config ignores are left out without a notice (no per-file isPathIgnored round trip).
      const eslint = new loaded.module.ESLint({ cwd: input.root, overrideConfigFile: configFile, errorOnUnmatchedPattern: false, warnIgnored: false });
      let results: ESLintClass.LintResult[];
      try {
        results = await eslint.lintFiles(files.map((file) => file.absolutePath));
      } catch (error) {
        throw new RoachError('CR_ERR_ADAPTER_FAILED', `eslint (${tool}) failed: ${firstLine(error)}`, { adapter: 'eslint' }, { cause: error });
      }
      const meta = eslint.getRulesMetaForResults(results);
      const byAbsolute = new Map(files.map((file) => [file.absolutePath, file]));
      const hits: AdapterHit[] = [];
      const indexes = new Map<string, LineIndex>();
      let fatal = 0;
      for (const result of results) {
        const file = byAbsolute.get(result.filePath);
        if (!file) continue;
        const text = await input.textOf(file.path);
        if (text === null) continue;
        const index = new LineIndex(text);
        indexes.set(file.path, index);
        for (const message of result.messages) {
          // A fatal message is a parse error (the AST engine reports those itself); a rule-less one is ESLint's own notice.
          if (message.fatal || !message.ruleId) {
            if (message.fatal) fatal++;
            continue;
          }
          hits.push(hitOf(message, message.ruleId, file, index, meta[message.ruleId]));
        }
      }
      const findings = [...hitsByFile(hits).entries()].flatMap(([file, fileHits]) => {
        const index = indexes.get(file);
        return index ? findingsOfHits('eslint', fileHits, index) : [];
      });
      return { status: 'ran', findings, detail: `${tool}: ${results.length} file(s) linted${fatal > 0 ? `, ${fatal} could not be parsed by ESLint` : ''}` };
    },
  };
}

function hitOf(message: Linter.LintMessage, ruleId: string, file: { path: string; language: AdapterHit['language'] }, index: LineIndex, meta: { type?: string } | undefined): AdapterHit {
  // ESLint lines and columns are 1-based; the end is exclusive.
  const start = index.offsetOf(message.line - 1, message.column - 1);
  const end = message.endLine !== undefined && message.endColumn !== undefined ? index.offsetOf(message.endLine - 1, message.endColumn - 1) : start;
  const traits = knownRuleTraits(`eslint/${ruleId}`);
  const severity: Severity = traits?.severity ?? (message.severity === 2 ? 'medium' : 'low');
  return {
    ruleId: `eslint/${ruleId}`,
    severity,
    category: traits?.category ?? CATEGORY_OF_TYPE[meta?.type ?? ''] ?? 'maintainability',
    cwe: traits?.cwe ?? null,
    message: message.message,
    file: file.path,
    language: file.language,
    startOffset: start,
    endOffset: Math.max(start, end),
    fix: fixOf(message, file.path),
  };
}

/**
 * ESLint's own fix is safe by its contract (it keeps behaviour); a suggestion may change it, so it is unsafe.
 * Neither is a template (template null), so an approved one is never reused as a pattern's best fix.
 */
function fixOf(message: Linter.LintMessage, file: string): TemplateFix | null {
  const chosen = message.fix ? { fix: message.fix, safety: 'safe' as const } : message.suggestions?.[0] ? { fix: message.suggestions[0].fix, safety: 'unsafe' as const } : null;
  if (!chosen) return null;
  const [start, end] = chosen.fix.range;
  return { edits: [{ file, start, end, text: chosen.fix.text }], safety: chosen.safety, template: null };
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}
