import path from 'node:path';
import { RoachError } from '../domain/errors.js';
import type { Severity } from '../domain/severity.js';
import { isSeverity } from '../domain/severity.js';
import { commandEnvironment } from '../config/command-env.js';
import { loadProjectConfig } from '../config/load.js';
import { parseNumber } from '../config/flag-values.js';
import { dataDirFor, requireDirectory } from './project-dirs.js';

export { parseNumber };
export { dataDirFor, requireDirectory };
import type { ProjectConfig } from '../config/schema.js';
import type { AdapterSettings } from '../adapters/run-adapters.js';
import type { CommandPolicy } from '../io/sandbox.js';
import type { CheckSpec } from '../validation/validate-checks.js';
import { projectTestCommand } from '../validation/validate-checks.js';

export type ReportFormat = 'terminal' | 'json' | 'sarif';

export interface CrawlFlags {
  readonly apply?: boolean;
  readonly format?: string;
  readonly failOn?: string;
  readonly dataDir?: string;
  readonly config?: string;
  readonly threshold?: string;
  readonly validateWithTests?: boolean;
  readonly threads?: string;
  readonly progress?: boolean;
  /** commander's `--no-fix` sets this to false. */
  readonly fix?: boolean;
  readonly baseline?: string;
  readonly changedSince?: string;
  /** --import-sarif <file>, repeatable. */
  readonly importSarif?: readonly string[];
  /** --adapters eslint,oxlint,typescript: enabled for this run on top of `.roach.yml`. */
  readonly adapters?: string;
  /** False for repositories from elsewhere (service mode): adapters run none of the project's own code. */
  readonly trustProjectCode?: boolean;
  /** --inherit-env: repository commands get this process's whole environment instead of a scrubbed one. */
  readonly inheritEnv?: boolean;
  /** Service mode decides this per project (skipped or sandboxed); absent: the embedded CLI runs them on the host. */
  readonly commands?: CommandPolicy;
}

/** Everything a crawl run needs, resolved once: flags over `.roach.yml` over defaults. Frozen. */
export interface CrawlSettings {
  readonly root: string;
  readonly dataDir: string;
  readonly config: Readonly<ProjectConfig>;
  readonly configFile: string | null;
  readonly apply: boolean;
  readonly format: ReportFormat;
  readonly failOn: Severity | null;
  readonly threshold: number;
  readonly checks: readonly CheckSpec[];
  /** Whether and how the checks run (they are the repository's own commands). */
  readonly commands: CommandPolicy;
  readonly threads: number | undefined;
  readonly progress: boolean;
  /** False with --no-fix: detect and report only. */
  readonly generateFixes: boolean;
  /** --baseline <ref>: issues that existed at the merge-base with this ref do not fail --fail-on. */
  readonly baseline: string | null;
  /** --changed-since <ref>: crawl only files changed since the merge-base with this ref. */
  readonly changedSince: string | null;
  /** Analyzer adapters: `.roach.yml` adapters, --adapters and --import-sarif together. */
  readonly adapters: AdapterSettings;
}

export async function resolveCrawlSettings(dir: string, flags: CrawlFlags): Promise<CrawlSettings> {
  const root = await requireDirectory(dir);
  const { config, file } = await loadProjectConfig(root, flags.config);
  const format = flags.format ?? 'terminal';
  if (format !== 'terminal' && format !== 'json' && format !== 'sarif') {
    throw new RoachError('CR_ERR_USAGE', `--format must be terminal, json or sarif, got "${format}".`);
  }
  if (flags.fix === false && flags.apply) throw new RoachError('CR_ERR_USAGE', '--apply and --no-fix contradict each other.');
  if (flags.failOn !== undefined && !isSeverity(flags.failOn)) {
    throw new RoachError('CR_ERR_USAGE', `--fail-on must be critical, high, medium or low, got "${flags.failOn}".`);
  }
  const checks: CheckSpec[] = config.validation.commands.map((c) => ({ name: c.name, run: c.run, timeoutMs: c.timeoutMs }));
  if (flags.validateWithTests) {
    const test = await projectTestCommand(root, config.validation.testCommand);
    if (!test) {
      throw new RoachError('CR_ERR_USAGE', `--validate-with-tests: no test command (set validation.testCommand in .roach.yml or a "test" script in package.json).`);
    }
    checks.push({ name: 'tests', run: test, timeoutMs: config.validation.testTimeoutMs, tests: true });
  }
  return Object.freeze({
    root,
    dataDir: dataDirFor(root, flags.dataDir),
    config,
    configFile: file,
    apply: flags.apply === true,
    format,
    failOn: flags.failOn ?? null,
    threshold: flags.threshold !== undefined ? parseNumber(flags.threshold, '--threshold', 0, 1, false) : config.fix.threshold,
    checks: Object.freeze(checks),
    commands: flags.commands ?? hostCommands(flags.inheritEnv === true),
    threads: flags.threads !== undefined ? parseNumber(flags.threads, '--threads', 1, 256, true) : undefined,
    progress: flags.progress !== false,
    generateFixes: flags.fix !== false,
    baseline: flags.baseline ?? null,
    changedSince: flags.changedSince ?? null,
    adapters: adapterSettings(root, config, flags),
  });
}

/** The embedded CLI on the user's own repository: commands run as before, with a scrubbed environment unless opted in. */
function hostCommands(inheritEnv: boolean): CommandPolicy {
  return { mode: 'host', env: commandEnvironment(inheritEnv) };
}

const ADAPTER_NAMES = ['eslint', 'oxlint', 'typescript'] as const;

/** SARIF files from `.roach.yml` are relative to the project root; --import-sarif ones to the working directory. */
function adapterSettings(root: string, config: ProjectConfig, flags: CrawlFlags): AdapterSettings {
  const named = (flags.adapters ?? '').split(',').map((name) => name.trim()).filter((name) => name !== '');
  const unknown = named.filter((name) => !(ADAPTER_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0) throw new RoachError('CR_ERR_USAGE', `--adapters: unknown adapter "${unknown[0]}"; choose from ${ADAPTER_NAMES.join(', ')}.`);
  const on = (name: (typeof ADAPTER_NAMES)[number]): boolean => named.includes(name);
  const { eslint, oxlint, typescript, sarif } = config.adapters;
  return Object.freeze({
    eslint: { ...eslint, enabled: eslint.enabled || on('eslint') },
    oxlint: { ...oxlint, enabled: oxlint.enabled || on('oxlint') },
    typescript: { ...typescript, enabled: typescript.enabled || on('typescript') },
    sarif: [...sarif.map((file) => path.resolve(root, file)), ...(flags.importSarif ?? []).map((file) => path.resolve(file))],
    trustProjectCode: flags.trustProjectCode !== false,
  });
}
