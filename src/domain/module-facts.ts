import type { Finding, FindingTrace, TraceStep } from './finding.js';

/**
 * What one JavaScript/TypeScript module tells the others about data flow (issue 16), computed with its
 * syntax tree at hand and kept in its file state, so a crawl joins modules without parsing unchanged files.
 *
 * A module's functions are named for its importers by an export key: the name a caller uses
 * (`import { find }`, `dao.find(...)`, `require('./dao').find`), or `default` for the module value
 * itself when it is a function (`module.exports = function`, `export default function`).
 */
export interface ModuleEntry {
  readonly key: string;
  /** 0-based parameter index. */
  readonly param: number;
}

/** A parameter of an exported function that reaches a taint rule's sink in this module. */
export interface ModuleSink extends ModuleEntry {
  readonly ruleId: string;
  /** The finding as it would be reported, without the source part of its message and trace. */
  readonly finding: Finding;
  /** The rule's message without any trace. */
  readonly message: string;
  /** From the parameter (first step) to the sink, in this module. */
  readonly steps: readonly TraceStep[];
}

/** What one argument of a call to an imported function holds, for the taint rules named (the same for each). */
export interface ModuleArgument {
  readonly ruleIds: readonly string[];
  readonly index: number;
  /** Untrusted data from a source in this module. */
  readonly trace?: FindingTrace;
  /** Or a parameter of one of this module's own exported functions (a flow through several modules). */
  readonly entry?: ModuleEntry & { readonly steps: readonly TraceStep[] };
}

/** A call of a function that this module imports from another module of the project. */
export interface ModuleCall {
  /** As written: `./dao`, `../lib/run.js`, `@/lib/db` (a path alias, or a package the join finds no file for). Node's own modules are not recorded. */
  readonly specifier: string;
  readonly key: string;
  readonly label: string;
  readonly line: number;
  readonly column: number;
  readonly args: readonly ModuleArgument[];
}

export interface ModuleFacts {
  readonly sinks: readonly ModuleSink[];
  readonly calls: readonly ModuleCall[];
}

/** A specifier relative to the importing file: `./x`, `../x`, and the folders `.` and `..` themselves (their index file). */
export function isRelativeSpecifier(specifier: string): boolean {
  return specifier === '.' || specifier === '..' || specifier.startsWith('./') || specifier.startsWith('../');
}
