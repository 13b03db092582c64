import path from 'node:path';
import { createHash } from 'node:crypto';
import type { Finding, FindingTrace, TraceStep } from '../domain/finding.js';
import type { ModuleFacts, ModuleSink } from '../domain/module-facts.js';
import { isRelativeSpecifier } from '../domain/module-facts.js';
import { describeTrace } from './taint/index.js';

/**
 * Flows across JavaScript/TypeScript modules (issue 16): a route handler passes request data to a function
 * of another module (`dao.getByUserId(req.query.id)`) whose parameter reaches a sink there (the SQL it
 * builds). Each file's facts (domain/module-facts.ts) come from its own analysis, this crawl's or stored;
 * joining them is cheap, so it is done on every crawl, and a file whose joined flows changed is analyzed
 * again so its stored issues follow.
 */

/** How many modules a flow may pass through between the source's module and the sink's. */
const MAX_HOPS = 4;
const EXTENSIONS = ['.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs', '.mts', '.cts'];
const COMPILED_EXTENSIONS: Readonly<Record<string, readonly string[]>> = { '.js': ['.ts', '.tsx'], '.jsx': ['.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'] };

/**
 * TypeScript path aliases (`compilerOptions.baseUrl` and `paths`) of one tsconfig, with every folder
 * already project-relative (resolved against the config that declares it, through `extends`).
 */
export interface PathAliasConfig {
  /** Project-relative folder non-relative specifiers are looked up in; null: no baseUrl. */
  readonly baseUrl: string | null;
  /** In declaration order; a pattern holds at most one `*`, as do its targets. */
  readonly paths: readonly { readonly pattern: string; readonly targets: readonly string[] }[];
}

/** The path aliases of a project: the settings of each tsconfig by its project-relative folder (`''`: the root). */
export type PathAliases = Readonly<Record<string, PathAliasConfig>>;

const NO_ALIASES: PathAliases = Object.freeze({});

/** The settings of the tsconfig nearest above a file (the one TypeScript compiles it with), if any. */
function nearestConfig(from: string, aliases: PathAliases): PathAliasConfig | null {
  for (let dir = path.posix.dirname(from); ; dir = path.posix.dirname(dir)) {
    const folder = dir === '.' ? '' : dir;
    const config = Object.hasOwn(aliases, folder) ? aliases[folder] : undefined;
    if (config) return config;
    if (folder === '') return null;
  }
}

/** What a `paths` pattern captures of a specifier: `@/*` of `@/lib/db` is `lib/db`; null: no match. */
function captured(pattern: string, specifier: string): string | null {
  const star = pattern.indexOf('*');
  if (star < 0) return pattern === specifier ? '' : null;
  const prefix = pattern.slice(0, star);
  const suffix = pattern.slice(star + 1);
  if (specifier.length < prefix.length + suffix.length || !specifier.startsWith(prefix) || !specifier.endsWith(suffix)) return null;
  return specifier.slice(prefix.length, specifier.length - suffix.length);
}

/** Project-relative paths a non-relative specifier may name, as TypeScript tries them: the longest matching `paths` prefix, then baseUrl. */
function aliasedPaths(specifier: string, config: PathAliasConfig): string[] {
  let best: { prefix: number; targets: readonly string[]; capture: string } | null = null;
  for (const { pattern, targets } of config.paths) {
    const capture = captured(pattern, specifier);
    const prefix = pattern.includes('*') ? pattern.indexOf('*') : Number.POSITIVE_INFINITY;
    if (capture !== null && (best === null || prefix > best.prefix)) best = { prefix, targets, capture };
  }
  const viaPaths = best ? best.targets.map((target) => target.replace('*', best.capture)) : [];
  const viaBase = config.baseUrl === null ? [] : [path.posix.join(config.baseUrl, specifier)];
  return [...viaPaths, ...viaBase].map((candidate) => path.posix.normalize(candidate)).filter((candidate) => !candidate.startsWith('../'));
}

/** The project file a base path names: as written, with an extension, an index file, or the TypeScript source of a `.js` name. */
function fileOf(base: string, files: ReadonlySet<string>): string | null {
  const extension = path.posix.extname(base);
  const compiled = (COMPILED_EXTENSIONS[extension] ?? []).map((ext) => base.slice(0, -extension.length) + ext);
  const candidates = [base, ...compiled, ...EXTENSIONS.map((ext) => base + ext), ...EXTENSIONS.map((ext) => `${base}/index${ext}`)];
  return candidates.find((candidate) => files.has(candidate)) ?? null;
}

/**
 * The project file a specifier names: a relative one from the importing file's folder, any other
 * through the path aliases of the tsconfig nearest above the importing file (packages resolve to nothing).
 */
export function resolveSpecifier(from: string, specifier: string, files: ReadonlySet<string>, aliases: PathAliases = NO_ALIASES): string | null {
  if (isRelativeSpecifier(specifier)) return fileOf(path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier)), files);
  const config = nearestConfig(from, aliases);
  if (!config) return null;
  for (const base of aliasedPaths(specifier, config)) {
    const found = fileOf(base, files);
    if (found) return found;
  }
  return null;
}

export interface ModuleJoin {
  /** Findings per sink file, one per sink (the first caller in path order gives its trace). */
  readonly findings: ReadonlyMap<string, readonly Finding[]>;
  /** Per sink file: a key of its joined flows, kept in its file state. */
  readonly keys: ReadonlyMap<string, string>;
}

/** A sink reachable from a parameter of an exported function, in the sink's module or through others. */
interface Reach {
  readonly sink: ModuleSink;
  /** The file whose export is the entry; the steps from that parameter on, each with its file. */
  readonly steps: readonly TraceStep[];
}

function inFile(steps: readonly TraceStep[], file: string): TraceStep[] {
  return steps.map((step) => ({ ...step, file: step.file ?? file }));
}

function reachKey(file: string, key: string, param: number, ruleId: string): string {
  return `${file}\u0000${key}\u0000${param}\u0000${ruleId}`;
}

/** Sinks reachable from each exported parameter: the module's own, then through calls to other modules (up to MAX_HOPS). */
function reachable(facts: ReadonlyMap<string, ModuleFacts>, files: ReadonlySet<string>, aliases: PathAliases): Map<string, Reach[]> {
  const reach = new Map<string, Reach[]>();
  const seen = new Set<string>();
  const add = (at: string, item: Reach): boolean => {
    const id = `${at}\u0000${item.sink.finding.fingerprint}`;
    if (seen.has(id)) return false;
    seen.add(id);
    reach.set(at, [...(reach.get(at) ?? []), item]);
    return true;
  };
  for (const [file, own] of facts) for (const sink of own.sinks) add(reachKey(file, sink.key, sink.param, sink.ruleId), { sink, steps: inFile(sink.steps, file) });
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    let grew = false;
    for (const [file, own] of facts) {
      for (const call of own.calls) {
        const target = resolveSpecifier(file, call.specifier, files, aliases);
        if (!target) continue;
        for (const arg of call.args) {
          if (!arg.entry) continue;
          const at = { label: `${call.label}()`, line: call.line, column: call.column, file };
          for (const ruleId of arg.ruleIds) {
            for (const next of reach.get(reachKey(target, call.key, arg.index, ruleId)) ?? []) {
              const item = { sink: next.sink, steps: [...inFile(arg.entry.steps, file), at, ...next.steps] };
              grew = add(reachKey(file, arg.entry.key, arg.entry.param, ruleId), item) || grew;
            }
          }
        }
      }
    }
    if (!grew) break;
  }
  return reach;
}

/** Steps in the finding's own file carry no file name, as in-file traces do. */
function relativeTo(steps: readonly TraceStep[], file: string): TraceStep[] {
  return steps.map(({ file: own, ...step }) => (own === undefined || own === file ? step : { ...step, file: own }));
}

/** Joins every module's calls carrying untrusted data with the sinks their callees reach; `aliases`: the project's tsconfig path aliases. */
export function joinModules(facts: ReadonlyMap<string, ModuleFacts>, files: ReadonlySet<string>, aliases: PathAliases = NO_ALIASES): ModuleJoin {
  const reach = reachable(facts, files, aliases);
  const findings = new Map<string, Finding[]>();
  const reported = new Set<string>();
  for (const file of [...facts.keys()].sort()) {
    for (const call of facts.get(file)?.calls ?? []) {
      const target = resolveSpecifier(file, call.specifier, files, aliases);
      if (!target) continue;
      for (const arg of call.args) {
        if (!arg.trace) continue;
        for (const { sink, steps } of arg.ruleIds.flatMap((ruleId) => reach.get(reachKey(target, call.key, arg.index, ruleId)) ?? [])) {
          const sinkFile = sink.finding.file;
          if (reported.has(sink.finding.fingerprint)) continue;
          reported.add(sink.finding.fingerprint);
          const caller: TraceStep = { label: `${call.label}()`, line: call.line, column: call.column, file };
          const [source = arg.trace.source] = relativeTo([{ ...arg.trace.source, file }], sinkFile);
          const trace: FindingTrace = {
            source,
            steps: relativeTo([...inFile(arg.trace.steps, file), caller, ...steps], sinkFile),
            ...(arg.trace.local ? { local: true } : {}),
          };
          const finding = { ...sink.finding, message: `${sink.message} ${describeTrace(trace)}`, trace };
          findings.set(sinkFile, [...(findings.get(sinkFile) ?? []), finding]);
        }
      }
    }
  }
  const keys = new Map<string, string>();
  for (const [file, list] of findings) {
    const hash = createHash('sha256');
    for (const finding of [...list].sort((a, b) => a.fingerprint.localeCompare(b.fingerprint))) hash.update(`${finding.fingerprint}\u0000${finding.message}\n`);
    keys.set(file, hash.digest('hex').slice(0, 32));
  }
  return { findings, keys };
}
