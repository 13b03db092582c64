import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { z } from 'zod';
import { RoachError } from '../domain/errors.js';
import type { Category } from '../domain/severity.js';
import type { AdapterHit } from './adapter-finding.js';
import { findingsOfHits, hitsByFile } from './adapter-finding.js';
import { projectBinary } from './engine-loader.js';
import { knownRuleTraits } from './equivalence.js';
import type { AdapterFile, AdapterInput, AdapterOutcome, AnalyzerAdapter } from './ports.js';
import { LineIndex, utf16OffsetOfByte } from './source-text.js';

const run = promisify(execFile);

export const OXLINT_CATEGORIES = ['correctness', 'suspicious', 'pedantic', 'perf', 'style', 'restriction', 'nursery'] as const;
export type OxlintCategory = (typeof OXLINT_CATEGORIES)[number];

const CATEGORY_OF: Readonly<Record<OxlintCategory, Category>> = {
  correctness: 'bug',
  suspicious: 'bug',
  pedantic: 'maintainability',
  perf: 'performance',
  style: 'style',
  restriction: 'maintainability',
  nursery: 'bug',
};

/** Files per oxlint run: keeps command lines far below the OS argument limit. */
const BATCH = 400;
const MAX_OUTPUT_BYTES = 512 * 1024 * 1024;

export interface OxlintAdapterOptions {
  readonly categories: readonly OxlintCategory[];
  /** A specific oxlint binary; default the project's node_modules/.bin/oxlint, else Code Roach's own. */
  readonly bin?: string;
  /** False: Code Roach's own oxlint, without the project's config (it may load JS plugins); `bin` is ignored. */
  readonly trustProjectCode: boolean;
}

const OxlintOutput = z.object({
  diagnostics: z.array(
    z.object({
      message: z.string(),
      code: z.string().optional(),
      severity: z.string(),
      filename: z.string(),
      labels: z.array(z.object({ span: z.object({ offset: z.number().int().nonnegative(), length: z.number().int().nonnegative() }) })).default([]),
    }),
  ),
});

/**
 * oxlint through its JSON output (it has no JS API). One run per category, so each finding's category is
 * known; minified, declaration and vendored files are left out (linting them is slow and says nothing useful).
 */
export function oxlintAdapter(options: OxlintAdapterOptions): AnalyzerAdapter {
  return {
    name: 'oxlint',
    engine: 'oxlint',
    async run(input: AdapterInput): Promise<AdapterOutcome> {
      const files = input.files.filter(lintable);
      if (files.length === 0) return { status: 'skipped', findings: [], detail: 'no lintable JavaScript or TypeScript file changed in this crawl' };
      const trusted = options.trustProjectCode;
      const bin = trusted && options.bin ? path.resolve(input.root, options.bin) : ((trusted ? projectBinary(input.root, 'oxlint') : null) ?? bundledBinary());
      const origin = trusted && options.bin ? 'configured' : bin.startsWith(input.root) ? 'project' : 'bundled';
      const version = await oxlintVersion(bin);
      const tool = `${origin} oxlint ${version}, categories ${options.categories.join(', ')}`;
      const byPath = new Map(files.map((file) => [file.path, file]));
      const hits: AdapterHit[] = [];
      const indexes = new Map<string, LineIndex>();
      for (const category of options.categories) {
        for (let i = 0; i < files.length; i += BATCH) {
          const output = await lintBatch(bin, input.root, category, files.slice(i, i + BATCH), trusted);
          for (const diagnostic of output.diagnostics) {
            const file = byPath.get(diagnostic.filename.split(path.sep).join('/'));
            const span = diagnostic.labels[0]?.span;
            if (!file || !span || !diagnostic.code) continue;
            const text = await input.textOf(file.path);
            if (text === null) continue;
            const index = indexes.get(file.path) ?? new LineIndex(text);
            indexes.set(file.path, index);
            const ruleId = `oxlint/${diagnostic.code}`;
            const traits = knownRuleTraits(ruleId);
            hits.push({
              ruleId,
              severity: traits?.severity ?? (diagnostic.severity === 'error' ? 'medium' : 'low'),
              category: traits?.category ?? CATEGORY_OF[category],
              cwe: traits?.cwe ?? null,
              message: diagnostic.message,
              file: file.path,
              language: file.language,
              startOffset: utf16OffsetOfByte(text, span.offset),
              endOffset: utf16OffsetOfByte(text, span.offset + span.length),
              fix: null,
            });
          }
        }
      }
      const findings = [...hitsByFile(hits)].flatMap(([file, fileHits]) => {
        const index = indexes.get(file);
        return index ? findingsOfHits('oxlint', fileHits, index) : [];
      });
      return { status: 'ran', findings, detail: `${tool}: ${files.length} file(s) linted` };
    },
  };
}

function lintable(file: AdapterFile): boolean {
  if (file.language !== 'javascript' && file.language !== 'typescript' && file.language !== 'tsx') return false;
  const name = path.posix.basename(file.path);
  if (name.endsWith('.d.ts') || name.includes('.min.')) return false;
  return !file.path.split('/').some((part) => part === 'node_modules' || part === 'vendor' || part === 'third_party');
}

function bundledBinary(): string {
  const packageJson = createRequire(import.meta.url).resolve('oxlint/package.json');
  return path.join(path.dirname(packageJson), 'bin', 'oxlint');
}

async function oxlintVersion(bin: string): Promise<string> {
  try {
    const { stdout } = await run(bin, ['--version']);
    return stdout.trim().replace(/^Version:\s*/, '');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'not installed (no such file)' : code === 'EACCES' ? 'not executable' : (error as Error).message.split('\n')[0];
    throw new RoachError('CR_ERR_ADAPTER_FAILED', `oxlint: ${bin} is ${why}; install oxlint or set adapters.oxlint.bin.`, { adapter: 'oxlint' }, { cause: error });
  }
}

/** An empty config of Code Roach's own, so an untrusted project's .oxlintrc (and its JS plugins) is not loaded. */
const EMPTY_CONFIG = fileURLToPath(new URL('../../src/adapters/oxlint-empty.json', import.meta.url));

async function lintBatch(bin: string, root: string, category: OxlintCategory, files: readonly AdapterFile[], trusted: boolean): Promise<z.infer<typeof OxlintOutput>> {
  const args = ['--format', 'json', ...(trusted ? [] : ['-c', EMPTY_CONFIG]), '-A', 'all', '-W', category, ...files.map((file) => file.path)];
  let stdout: string;
  try {
    stdout = (await run(bin, args, { cwd: root, maxBuffer: MAX_OUTPUT_BYTES })).stdout;
  } catch (error) {
    // oxlint exits 1 when it reports something; its JSON is on stdout all the same.
    const failed = error as { stdout?: string; stderr?: string; code?: number | string };
    if (typeof failed.stdout !== 'string' || failed.stdout.trim() === '') {
      throw new RoachError('CR_ERR_ADAPTER_FAILED', `oxlint exited with ${String(failed.code)}: ${(failed.stderr ?? '').trim().split('\n')[0] ?? ''}`, { adapter: 'oxlint' }, { cause: error });
    }
    stdout = failed.stdout;
  }
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch {
    throw new RoachError('CR_ERR_ADAPTER_FAILED', `oxlint printed no JSON report (first line: ${stdout.split('\n')[0]?.slice(0, 120) ?? ''})`, { adapter: 'oxlint' });
  }
  const parsed = OxlintOutput.safeParse(json);
  if (!parsed.success) throw new RoachError('CR_ERR_ADAPTER_FAILED', `oxlint JSON report has an unexpected shape: ${parsed.error.issues[0]?.message ?? ''}`, { adapter: 'oxlint' });
  return parsed.data;
}
