import type { NapiConfig } from '@ast-grep/napi';
import type { RuleFile } from './rule-schema.js';
import type { CompiledTaint } from './taint/spec.js';

/** A rule ready to run: its data, the ast-grep config, and the metavariables its fix may use. */
export interface CompiledRule {
  readonly definition: RuleFile;
  readonly sourceFile: string;
  readonly config: NapiConfig;
  readonly metavariables: readonly string[];
  /** Present for taint rules: a match of `config` is only a sink, reported when a source reaches it. */
  readonly taint: CompiledTaint | null;
}
