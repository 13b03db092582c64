import { z } from 'zod';
import { SEVERITIES } from '../domain/severity.js';

const DEFAULT_CHECK_TIMEOUT_MS = 300_000;

const checkCommand = z.strictObject({
  name: z.string().min(1),
  run: z.string().min(1),
  timeoutMs: z.number().int().positive().default(DEFAULT_CHECK_TIMEOUT_MS),
});

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
      .strictObject({ enabled: z.boolean().default(false), categories: z.array(OXLINT_CATEGORY).min(1).default(['correctness']), bin: z.string().min(1).optional() })
      .default({ enabled: false, categories: ['correctness'] }),
    typescript: z.strictObject({ enabled: z.boolean().default(false), tsconfig: z.string().min(1).optional() }).default({ enabled: false }),
    /** SARIF 2.1.0 files (Semgrep, CodeQL, ...) imported on every crawl, relative to the project root. */
    sarif: z.array(z.string().min(1)).default([]),
  })
  .default({ eslint: { enabled: false }, oxlint: { enabled: false, categories: ['correctness'] }, typescript: { enabled: false }, sarif: [] });

/** `.roach.yml`: everything optional, every field checked. Unknown keys are errors (typos matter). */
export const ProjectConfigSchema = z.strictObject({
  include: z.array(z.string().min(1)).default([]),
  exclude: z.array(z.string().min(1)).default([]),
  maxFileSizeBytes: z.number().int().positive().default(1_048_576),
  rules: z
    .strictObject({
      disabled: z.array(z.string().min(1)).default([]),
      dirs: z.array(z.string().min(1)).default([]),
      /** Per-path changes, later entries winning: e.g. tests may use eval, generated code is not reviewed. */
      overrides: z
        .array(
          z.strictObject({
            files: z.array(z.string().min(1)).min(1),
            disabled: z.array(z.string().min(1)).default([]),
            severity: z.record(z.string().min(1), z.enum(SEVERITIES)).default({}),
          }),
        )
        .default([]),
    })
    .default({ disabled: [], dirs: [], overrides: [] }),
  /** Secrets scanning of code and of text files (config, env, docs); see docs/secrets.md. */
  secrets: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** Gitignore-style patterns of files never scanned for secrets. */
      exclude: z.array(z.string().min(1)).default([]),
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
      commands: z.array(checkCommand).default([]),
      /** The project's test command for --validate-with-tests; default: the package.json test script. */
      testCommand: z.string().min(1).optional(),
      testTimeoutMs: z.number().int().positive().default(DEFAULT_CHECK_TIMEOUT_MS),
    })
    .default({ commands: [], testTimeoutMs: DEFAULT_CHECK_TIMEOUT_MS }),
  adapters,
});
export type ProjectConfig = z.infer<typeof ProjectConfigSchema>;
export type CheckCommand = z.infer<typeof checkCommand>;
