import path from 'node:path';
import { z } from 'zod';
import { SEVERITIES } from '../domain/severity.js';
import { editionOf } from '../domain/es-edition.js';
import { LLM_PROVIDERS } from './llm.js';

/**
 * Bounds on `.roach.yml`, checked before any work: a config is project input, and one with 400,000
 * exclude patterns took the worker's heap. Far above what a real project writes.
 */
export const CONFIG_LIMITS = Object.freeze({
  /** Bytes of `.roach.yml`, checked before it is read. */
  fileBytes: 1_048_576,
  /** Entries in any one list (include, exclude, rules.disabled, secrets.exclude, override files...). */
  listEntries: 1_000,
  /** Entries in the short lists: rules.dirs, rules.overrides, validation.commands, adapters.sarif. */
  shortListEntries: 100,
  /** Characters of one pattern, rule id or path. */
  entryChars: 1_024,
});

/** A glob, rule id or relative path: bounded, and no NUL (no path or pattern can hold one). */
const entry = z
  .string()
  .min(1)
  .max(CONFIG_LIMITS.entryChars)
  .refine((value) => !value.includes('\0'), { message: 'must not contain a NUL character' });
const list = <T extends z.ZodType>(item: T, max: number = CONFIG_LIMITS.listEntries) => z.array(item).max(max);

/** Whether a configured folder stays inside the project: relative, and no `..` climbing out of it. */
function insideProject(dir: string): boolean {
  if (path.posix.isAbsolute(dir) || path.win32.isAbsolute(dir)) return false;
  const normalized = path.posix.normalize(dir.replaceAll('\\', '/'));
  return normalized !== '..' && !normalized.startsWith('../');
}

const DEFAULT_CHECK_TIMEOUT_MS = 300_000;
const DEFAULT_TEST_BUDGET_MS = 1_800_000;

const checkCommand = z.strictObject({
  name: entry,
  run: z.string().min(1).max(CONFIG_LIMITS.entryChars * 8),
  timeoutMs: z.number().int().positive().default(DEFAULT_CHECK_TIMEOUT_MS),
});

/** A model name as providers spell them (`gpt-4.1-mini`, `claude-haiku-4-5`, `llama3.1:8b`). */
const modelName = z.string().trim().min(1).max(200).regex(/^[\w.:/@-]+$/, 'must be a model name such as gpt-4.1-mini (letters, digits and . : / @ - _)');

const OXLINT_CATEGORY = z.enum(['correctness', 'suspicious', 'pedantic', 'perf', 'style', 'restriction', 'nursery']);

/**
 * Analyzer adapters. All off by default: each one costs crawl time (ESLint lints ~115 files/s against the AST
 * engine's ~1,400) and adds findings a team has not yet chosen to see. ESLint runs only with the project's own
 * flat config; TypeScript only with a tsconfig; a missing tool or config is reported, never fatal.
 */
const adapters = z
  .strictObject({
    eslint: z.strictObject({ enabled: z.boolean().default(false), configFile: z.string().min(1).optional() }).default({ enabled: false }),
    oxlint: z
      .strictObject({ enabled: z.boolean().default(false), categories: list(OXLINT_CATEGORY).min(1).default(['correctness']), bin: z.string().min(1).optional() })
      .default({ enabled: false, categories: ['correctness'] }),
    typescript: z.strictObject({ enabled: z.boolean().default(false), tsconfig: z.string().min(1).optional() }).default({ enabled: false }),
    /** SARIF 2.1.0 files (Semgrep, CodeQL, ...) imported on every crawl, relative to the project root. */
    // A project's SARIF reports are its own files: a path out of it would import another tenant's findings.
    sarif: list(entry.refine(insideProject, { message: 'must be a file inside the project (relative, no ".." out of it)' }), CONFIG_LIMITS.shortListEntries).default([]),
  })
  .default({ eslint: { enabled: false }, oxlint: { enabled: false, categories: ['correctness'] }, typescript: { enabled: false }, sarif: [] });

/** `.roach.yml`: everything optional, every field checked. Unknown keys are errors (typos matter). */
export const ProjectConfigSchema = z.strictObject({
  include: list(entry).default([]),
  exclude: list(entry).default([]),
  maxFileSizeBytes: z.number().int().positive().default(1_048_576),
  rules: z
    .strictObject({
      disabled: list(entry).default([]),
      /** Opt-in rules switched on (rules whose file says `optIn`: off by default, see docs/rules.md). */
      enabled: list(entry).default([]),
      /** Extra rule folders, relative to the project root and inside it (a config is project input). */
      dirs: list(entry.refine(insideProject, { message: 'must be a folder inside the project (relative, no ".." out of it)' }), CONFIG_LIMITS.shortListEntries).default([]),
      /** Per-path changes, later entries winning: e.g. tests may use eval, generated code is not reviewed. */
      overrides: z
        .array(
          z.strictObject({
            files: list(entry).min(1),
            disabled: list(entry).default([]),
            severity: z
              .record(entry, z.enum(SEVERITIES))
              .refine((map) => Object.keys(map).length <= CONFIG_LIMITS.listEntries, { message: `at most ${CONFIG_LIMITS.listEntries} entries` })
              .default({}),
          }),
        )
        .max(CONFIG_LIMITS.shortListEntries)
        .default([]),
    })
    .default({ disabled: [], enabled: [], dirs: [], overrides: [] }),
  /** Secrets scanning of code and of text files (config, env, docs); see docs/secrets.md. */
  secrets: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** Gitignore-style patterns of files never scanned for secrets. */
      exclude: list(entry).default([]),
    })
    .default({ enabled: true, exclude: [] }),
  fix: z
    .strictObject({
      threshold: z.number().min(0).max(1).default(0.9),
    })
    .default({ threshold: 0.9 }),
  learning: z
    .strictObject({
      /** Opt-in: this project's fix outcomes join the organization's pool, and its decisions read that pool. */
      shareAcrossProjects: z.boolean().default(false),
    })
    .default({ shareAcrossProjects: false }),
  validation: z
    .strictObject({
      /** Commands run on an isolated copy with the fixes applied (e.g. `npx tsc --noEmit`). */
      commands: list(checkCommand, CONFIG_LIMITS.shortListEntries).default([]),
      /** The project's test command for --validate-with-tests; default: the package.json test script. */
      testCommand: z.string().min(1).optional(),
      testTimeoutMs: z.number().int().positive().default(DEFAULT_CHECK_TIMEOUT_MS),
      /** All test runs of one crawl together: fixes not tested when it is spent stay unchecked. */
      testBudgetMs: z.number().int().positive().default(DEFAULT_TEST_BUDGET_MS),
      /** Run the tests for every fix, also those that would go to review whatever the tests say. */
      testEveryFix: z.boolean().default(false),
    })
    .default({ commands: [], testTimeoutMs: DEFAULT_CHECK_TIMEOUT_MS, testBudgetMs: DEFAULT_TEST_BUDGET_MS, testEveryFix: false }),
  adapters,
  /**
   * Generated fixes (issue 15, docs/llm.md). The operator's environment (or, in service mode, the
   * organization's settings) names the provider, endpoint and key; this section tunes them for the project.
   * It never holds a key or an endpoint: a repository's file must not send code, or a key, somewhere else.
   */
  llm: z
    .strictObject({
      /** false: no generated fixes for this project, whatever the operator configured. */
      enabled: z.boolean().default(true),
      /** The provider, when the environment names none (embedded runs only; its key comes from its usual variable). */
      provider: z.enum(LLM_PROVIDERS).optional(),
      model: modelName.optional(),
      /** A cheaper model for the findings `cheapFor` picks (low severity, simple rules). */
      cheapModel: modelName.optional(),
      cheapFor: z
        .strictObject({ severities: list(z.enum(SEVERITIES)).default(['low']), rules: list(entry).default([]) })
        .default({ severities: ['low'], rules: [] }),
      /** Rule ids (or `js/*`-style prefixes) whose findings may get a generated fix; empty: all. */
      rules: list(entry).default([]),
      /** Rule ids (or prefixes) whose findings never do. */
      excludeRules: list(entry).default([]),
      /** Generated fixes asked for at most per crawl. */
      maxFixes: z.number().int().min(0).max(100_000).optional(),
      /** USD one crawl may spend; the lower of this and the operator's budget holds. */
      maxCostUsd: z.number().min(0).max(1_000_000).optional(),
      timeoutMs: z.number().int().min(1_000).max(3_600_000).optional(),
      concurrency: z.number().int().min(1).max(32).optional(),
    })
    .default({ enabled: true, cheapFor: { severities: ['low'], rules: [] }, rules: [], excludeRules: [] }),
  /**
   * Test, fixture, example, benchmark and developer-script code (see docs/test-code.md): recognised by the usual paths and
   * names, plus these patterns; `production` patterns are never such code; `policy: ignore` treats it all
   * as production code (every rule's `inTests` policy is then left unapplied).
   */
  tests: z
    .strictObject({
      policy: z.enum(['apply', 'ignore']).default('apply'),
      paths: z
        .strictObject({
          test: list(entry).default([]),
          fixture: list(entry).default([]),
          example: list(entry).default([]),
          benchmark: list(entry).default([]),
          script: list(entry).default([]),
        })
        .default({ test: [], fixture: [], example: [], benchmark: [], script: [] }),
      production: list(entry).default([]),
    })
    .default({ policy: 'apply', paths: { test: [], fixture: [], example: [], benchmark: [], script: [] }, production: [] }),
  /**
   * Generated and vendored code (build output, bundles, code copied from other projects): skipped with
   * the reason. `crawl`: files crawled anyway; `extra`: more files treated as generated. See docs/configuration.md.
   */
  generated: z
    .strictObject({
      detect: z.boolean().default(true),
      crawl: list(entry).default([]),
      extra: list(entry).default([]),
    })
    .default({ detect: true, crawl: [], extra: [] }),
  /**
   * The project's own decisions (issue 13): other tools' inline suppressions, the rules its ESLint
   * configuration turns off, and style rules its consistent practice contradicts (see docs/configuration.md).
   */
  respect: z
    .strictObject({
      inlineSuppressions: z.boolean().default(true),
      eslintConfig: z.boolean().default(true),
      conventions: z.boolean().default(true),
      /** Rules reported in full even where the ESLint configuration or the project's practice says otherwise. */
      enforce: list(entry).default([]),
    })
    .default({ inlineSuppressions: true, eslintConfig: true, conventions: true, enforce: [] }),
  /**
   * The ECMAScript edition the project's code must keep to: `auto` (default) detects it from tsconfig,
   * ESLint, browserslist and engines.node (the lowest wins); `es5`, `es2015`..`es2025` or `esnext` set it.
   * Rules and fixes needing a newer edition are left out (see docs/target.md).
   */
  target: z
    .string()
    .transform((value) => value.trim().toLowerCase())
    .refine((value) => value === 'auto' || (value.startsWith('es') && editionOf(value) !== null), { message: 'must be "auto" or an edition such as "es2019" or "esnext"' })
    .default('auto'),
});
export type ProjectConfig = z.infer<typeof ProjectConfigSchema>;
export type CheckCommand = z.infer<typeof checkCommand>;
export type ProjectLlmConfig = ProjectConfig['llm'];
