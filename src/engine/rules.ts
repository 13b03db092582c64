import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parse as parseSource } from '@ast-grep/napi';
import type { NapiConfig } from '@ast-grep/napi';
import { RoachError } from '../domain/errors.js';
import { describeZodError } from '../domain/describe-zod-error.js';
import type { Language } from '../domain/finding.js';
/** Kept here too so callers keep importing rules from one place (the type lives apart to break a cycle with combine.ts). */
export type { CompiledRule } from './compiled-rule.js';
import { planMatching } from './combine.js';
import type { MatchPlan } from './combine.js';
import { astGrepLang } from './languages.js';
import { RULE_ID_PREFIX, RuleFileSchema } from './rule-schema.js';
import { compileTaint } from './taint/spec.js';
import { rulesForTarget } from './target.js';
import type { ProjectFixStyle } from './fix-style.js';
import type { EsEdition } from '../domain/es-edition.js';
import type { CompiledRule } from './compiled-rule.js';
import { loadRuleFolders } from './rule-files.js';
import type { RuleProblem } from './rule-files.js';
import type { RuleFile } from './rule-schema.js';
/** Kept here too so callers keep importing them from one place; they live apart to load without a YAML parser or ast-grep. */
export { BUILTIN_RULES_DIR } from './rule-files.js';
export type { RuleProblem } from './rule-files.js';

export interface RuleSet {
  readonly rules: readonly CompiledRule[];
  /** Rule files (or custom rule folders) skipped because they are malformed, named with the reason. */
  readonly problems: readonly RuleProblem[];
  forLanguage(language: Language): readonly CompiledRule[];
  /** How the language's rules are matched (one combined pass where possible); built once per set. */
  matchPlan(language: Language): MatchPlan;
  byId(id: string): CompiledRule | undefined;
  /** Whether other tools' inline suppressions (eslint-disable, noqa, ...) count; absent: they do. */
  readonly otherToolSuppressions?: boolean;
  /** The project's declared style per file extension, for fixes in files that show none (see fix-style.ts). */
  readonly fixStyle?: ProjectFixStyle;
}

const METAVARIABLE = /\$\$?\$?([A-Z_][A-Z0-9_]*)/g;

/** Names of metavariables mentioned anywhere in the given parts of a rule (patterns, utils, fix). */
function collectMetavariables(value: unknown, into: Set<string>): Set<string> {
  if (typeof value === 'string') {
    for (const match of value.matchAll(METAVARIABLE)) if (match[1]) into.add(match[1]);
  } else if (Array.isArray(value)) {
    for (const item of value) collectMetavariables(item, into);
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      collectMetavariables(key, into);
      collectMetavariables(item, into);
    }
  }
  return into;
}

/** Parses and validates one rule file; every problem names the file and the field. */
export async function loadRuleFile(file: string, rootDir: string): Promise<CompiledRule> {
  const fail = (why: string): never => {
    throw new RoachError('CR_ERR_RULE_INVALID', `Invalid rule file ${file}: ${why}`, { file });
  };
  let raw: unknown;
  try {
    raw = parseYaml(await readFile(file, 'utf8'));
  } catch (error) {
    return fail(`not valid YAML (${(error as Error).message.split('\n')[0]})`);
  }
  const parsed = RuleFileSchema.safeParse(raw);
  if (!parsed.success) return fail(describeZodError(parsed.error));
  const definition = parsed.data;

  const relative = path.relative(rootDir, file).split(path.sep);
  const folder = relative.length > 1 ? relative[0] : undefined;
  const prefix = folder ? RULE_ID_PREFIX[folder] : undefined;
  const expectedName = path.basename(file, '.yml');
  if (prefix && definition.id !== `${prefix}/${expectedName}`) {
    fail(`id: expected "${prefix}/${expectedName}" to match the file name, found "${definition.id}"`);
  }

  const compiled = compileRuleDefinition(definition, file);
  for (const language of definition.languages) {
    try {
      parseSource(astGrepLang(language), '').root().findAll(compiled.config);
    } catch (error) {
      fail(`rule: ast-grep rejects it for ${language} (${(error as Error).message})`);
    }
  }
  const { metavariables, taint } = compiled;
  if (taint) {
    const unknown = taint.sinks.filter((name) => !metavariables.includes(name));
    if (unknown.length > 0) fail(`taint.sinks: ${unknown.join(', ')} is not a metavariable of rule`);
    for (const [what, list] of [['sources', taint.sourceRules], ['sanitizers', taint.sanitizers]] as const) {
      for (const language of definition.languages) {
        try {
          for (const extra of list) parseSource(astGrepLang(language), '').root().findAll(extra.config);
        } catch (error) {
          fail(`taint.${what}: ast-grep rejects a rule for ${language} (${(error as Error).message})`);
        }
      }
    }
  }
  return compiled;
}

/** The rule a validated definition runs as; loading a file whose definition the rule pack cache holds starts here. */
export function compileRuleDefinition(definition: RuleFile, sourceFile: string): CompiledRule {
  const config: NapiConfig = {
    rule: definition.rule,
    ...(definition.constraints ? { constraints: definition.constraints as NapiConfig['constraints'] } : {}),
    ...(definition.utils ? { utils: definition.utils as NapiConfig['utils'] } : {}),
  };
  // Metavariables that appear only inside `constraints` are not the match's: a combined pass (see
  // combine.ts) checks constraints apart, so they are neither reported nor usable by a fix.
  const metavariables = [...collectMetavariables([definition.rule, definition.utils, definition.fix], new Set())];
  const taint = definition.taint ? compileTaint(definition.taint) : null;
  return { definition, sourceFile, config, metavariables, taint };
}

/** Builds a rule set; later ids replace earlier ones, so custom rule folders can override built-ins. */
export function ruleSetOf(rules: readonly CompiledRule[], problems: readonly RuleProblem[] = []): RuleSet {
  const byId = new Map<string, CompiledRule>();
  for (const rule of rules) byId.set(rule.definition.id, rule);
  const all = [...byId.values()];
  const perLanguage = new Map<Language, CompiledRule[]>();
  for (const rule of all) {
    for (const language of rule.definition.languages) {
      const list = perLanguage.get(language) ?? [];
      list.push(rule);
      perLanguage.set(language, list);
    }
  }
  const plans = new Map<Language, MatchPlan>();
  const forLanguage = (language: Language): readonly CompiledRule[] => perLanguage.get(language) ?? [];
  return {
    rules: all,
    problems,
    forLanguage,
    matchPlan: (language) => {
      let plan = plans.get(language);
      if (!plan) plans.set(language, (plan = planMatching(language, forLanguage(language))));
      return plan;
    },
    byId: (id) => byId.get(id),
  };
}

export interface RuleSelection {
  /** Extra rule directories (user rules) loaded after the built-in pack. */
  readonly extraDirs?: readonly string[];
  /** Rule ids switched off. */
  readonly disabled?: readonly string[];
  /**
   * Opt-in rules (`optIn` in their file) that are switched on. When absent every rule loads, opt-in ones too:
   * that is the pack as listed, documented and tested. A crawl always passes it (`.roach.yml` rules.enabled).
   */
  readonly enabled?: readonly string[];
  /** `.roach.yml` respect.inlineSuppressions: false ignores other tools' suppression comments. */
  readonly otherToolSuppressions?: boolean;
  /**
   * The project's ECMAScript target: rules and fix templates needing a newer edition are left out or
   * take their older form (see engine/target.ts). Absent: no restriction.
   */
  readonly target?: EsEdition;
  /** The project's declared style (EditorConfig, Prettier) per file extension, for fix templates. */
  readonly fixStyle?: ProjectFixStyle;
}

/**
 * Loads the built-in pack plus any extra folders, minus disabled rules. A malformed rule file or an
 * unreadable custom folder is skipped and listed in `problems` (file and reason); only a broken
 * built-in pack, which means a broken installation, is an error.
 */
export async function loadRules(selection: RuleSelection = {}): Promise<RuleSet> {
  const { loaded: compiled, problems } = await loadRuleFolders(selection.extraDirs ?? [], async (file, dir, cached) =>
    cached ? compileRuleDefinition(cached, file) : loadRuleFile(file, dir),
  );
  const disabled = new Set(selection.disabled ?? []);
  const enabled = selection.enabled ? new Set(selection.enabled) : null;
  const wanted = (rule: CompiledRule): boolean => !disabled.has(rule.definition.id) && (!rule.definition.optIn || !enabled || enabled.has(rule.definition.id));
  const set = ruleSetOf(
    rulesForTarget(compiled.filter(wanted), selection.target),
    problems,
  );
  return {
    ...set,
    ...(selection.otherToolSuppressions === false ? { otherToolSuppressions: false } : {}),
    ...(selection.fixStyle ? { fixStyle: selection.fixStyle } : {}),
  };
}
