import { parse } from '@ast-grep/napi';
import type { NapiConfig, SgNode, SgRoot } from '@ast-grep/napi';
import type { Language } from '../domain/finding.js';
import { astGrepLang } from './languages.js';
import type { CompiledRule } from './compiled-rule.js';

/**
 * One matching pass for many rules.
 *
 * ast-grep compiles a rule (its regexes above all) on every `findAll` call and walks the whole tree
 * each time, so N rules cost N compilations and N walks per file. Rules are therefore merged into one
 * config per language: one walk per file, and one compilation per batch of files when the batch is
 * searched with ast-grep's own file search (engine/batch.ts):
 *
 *   all: [ any: [r0 … rn],  any: [ all: [r0, $$T0], regex: "" ],  …  ]
 *
 * The first `any` keeps only nodes some rule matches (and lets ast-grep skip nodes of other kinds);
 * each optional member then binds the tag `$$Ti` (`$$`: unnamed nodes too, such as `var`) exactly
 * when rule i matches the node, so a node that several rules match is reported once per rule. Metavariables and util names are prefixed per rule
 * (`$A` of rule 7 becomes `$R7_A`) so rules never constrain each other's bindings.
 *
 * `constraints` are left out of the merged config: ast-grep checks them once the whole rule matched,
 * against that match's bindings, so a failed constraint of one member would drop the node for every
 * rule. They are checked here instead, on the member's own bindings, which is the same test. A rule
 * that constrains a list metavariable (`$$$A`), or carries rule data this module does not know, runs
 * on its own (a new rule feature is then correct first, fast second).
 */

/** A match of one rule: `prefix` is what its metavariable names carry in `node`'s bindings. */
export interface RuleMatch {
  readonly rule: CompiledRule;
  readonly node: SgNode;
  readonly prefix: string;
}

export interface MatchPlan {
  readonly combined: { readonly config: NapiConfig; readonly members: readonly CompiledRule[] } | null;
  readonly separate: readonly CompiledRule[];
  /** Rule order in the language's list: matches are reported in this order, as if run one by one. */
  readonly order: ReadonlyMap<CompiledRule, number>;
}

/** Rule-file fields that only describe the rule; anything else (constraints, future features) opts out. */
/**
 * Rule fields a combined pass understands. Metadata that does not change what the rule matches (where it
 * applies, which edition it needs, its convention counter, whether it is opt-in) is listed too: a rule
 * file with a field missing here runs alone, which costs a tree walk per rule per file.
 */
const KNOWN_FIELDS = new Set(['id', 'languages', 'severity', 'category', 'cwe', 'message', 'doc', 'rule', 'utils', 'fix', 'constraints', 'taint', 'inTests', 'minTarget', 'convention', 'optIn', 'lowerSeverity']);
const CAPTURING_METAVARIABLE = /\$(\$\$?)?([A-Z][A-Z0-9_]*)/g;
const TAG = 'T';
const GROUP_TAG = 'G';
const GROUP_SIZE = 12;

function groupsOf(count: number): { group: number; first: number; end: number }[] {
  const out = [];
  for (let first = 0; first < count; first += GROUP_SIZE) out.push({ group: out.length, first, end: Math.min(count, first + GROUP_SIZE) });
  return out;
}

export function combinable(rule: CompiledRule): boolean {
  if (!Object.keys(rule.definition).every((field) => KNOWN_FIELDS.has(field))) return false;
  const constrained = Object.keys(rule.definition.constraints ?? {});
  if (constrained.length === 0) return true;
  const patterns = JSON.stringify([rule.definition.rule, rule.definition.utils ?? {}]);
  return constrained.every((name) => /^[A-Z][A-Z0-9_]*$/.test(name) && !patterns.includes(`$$$${name}`));
}

/** The member's constraints hold for the bindings of its match (an unbound metavariable passes). */
function meetsConstraints(node: SgNode, rule: CompiledRule, prefix: string): boolean {
  const { constraints, utils } = rule.definition;
  if (!constraints) return true;
  return Object.entries(constraints).every(([name, check]) => {
    const bound = node.getMatch(prefix + name);
    return !bound || bound.matches({ rule: check, ...(utils ? { utils } : {}) } as NapiConfig);
  });
}

export function memberPrefix(index: number): string {
  return `R${index}_`;
}

function renamePattern(text: string, prefix: string): string {
  return text.replace(CAPTURING_METAVARIABLE, (_whole, dollars: string | undefined, name: string) => `$${dollars ?? ''}${prefix}${name}`);
}

/** Copies a rule object with metavariables in patterns and util references renamed for one member. */
function renameRule(value: unknown, prefix: string, utils: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) return value.map((item) => renameRule(item, prefix, utils));
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === 'pattern' && typeof item === 'string') out[key] = renamePattern(item, prefix);
    else if (key === 'pattern' && item && typeof item === 'object') out[key] = renamePatternObject(item as Record<string, unknown>, prefix);
    else if (key === 'matches' && typeof item === 'string') out[key] = utils.has(item) ? `${prefix}${item}` : item;
    else if (key === 'regex' || key === 'kind') out[key] = item;
    else out[key] = renameRule(item, prefix, utils);
  }
  return out;
}

function renamePatternObject(pattern: Record<string, unknown>, prefix: string): Record<string, unknown> {
  return typeof pattern.context === 'string' ? { ...pattern, context: renamePattern(pattern.context, prefix) } : pattern;
}

/** A rule body and the utils it may use, metavariables and util names prefixed, for a config it shares with others. */
export function renamedRule(body: unknown, localUtils: Readonly<Record<string, unknown>>, prefix: string): { rule: unknown; utils: Record<string, unknown> } {
  const names = new Set(Object.keys(localUtils));
  const utils: Record<string, unknown> = {};
  for (const [name, util] of Object.entries(localUtils)) utils[`${prefix}${name}`] = renameRule(util, prefix, names);
  return { rule: renameRule(body, prefix, names), utils };
}

function memberOf(rule: CompiledRule, index: number): { rule: unknown; utils: Record<string, unknown> } {
  return renamedRule(rule.definition.rule, rule.definition.utils ?? {}, memberPrefix(index));
}

/** `$$name` is bound exactly when `rule` matches the node; the node matches either way. */
export function tagged(rule: unknown, name: string): unknown {
  return { any: [{ all: [rule, { pattern: `$$${name}` }] }, { regex: '' }] };
}

export function combineRules(rules: readonly CompiledRule[]): NapiConfig {
  const members = rules.map(memberOf);
  // Group tags first: reading a binding is a call into ast-grep, so a matched node is asked about
  // ~N/GROUP_SIZE groups and the members of the groups that matched, not about every rule.
  const groups = groupsOf(members.length).map(({ group, first, end }) => tagged({ any: members.slice(first, end).map((m) => m.rule) }, `${GROUP_TAG}${group}`));
  const optional = members.map((member, index) => tagged(member.rule, `${TAG}${index}`));
  return {
    rule: { all: [{ any: members.map((member) => member.rule) }, ...groups, ...optional] } as NapiConfig['rule'],
    utils: Object.assign({}, ...members.map((member) => member.utils)) as NapiConfig['utils'],
  };
}

/** Splits a language's rules into one combined pass plus the rules that must run alone. */
export function planMatching(language: Language, rules: readonly CompiledRule[]): MatchPlan {
  const order = new Map(rules.map((rule, index) => [rule, index]));
  const members = rules.filter(combinable);
  const separate = rules.filter((rule) => !combinable(rule));
  if (members.length < 2) return { combined: null, separate: rules, order };
  const config = combineRules(members);
  try {
    parse(astGrepLang(language), '').root().findAll(config);
  } catch {
    // Each rule compiled alone when it was loaded; if the merge trips ast-grep, run them one by one.
    return { combined: null, separate: rules, order };
  }
  return { combined: { config, members }, separate, order };
}

/**
 * Every match of every planned rule in one tree, in document order (ties: rule order). `combinedNodes`:
 * what the combined config already found in this tree (a batch search over files), else it is run here.
 */
export function matchRules(root: SgRoot, plan: MatchPlan, combinedNodes?: readonly SgNode[]): RuleMatch[] {
  const found: { match: RuleMatch; sequence: number }[] = [];
  const top = root.root();
  if (plan.combined) {
    const { config, members } = plan.combined;
    const groups = groupsOf(members.length);
    for (const node of combinedNodes ?? top.findAll(config)) {
      for (const { group, first, end } of groups) {
        if (!node.getMatch(`${GROUP_TAG}${group}`)) continue;
        for (let index = first; index < end; index++) {
          const rule = members[index];
          const prefix = memberPrefix(index);
          if (rule && node.getMatch(`${TAG}${index}`) && meetsConstraints(node, rule, prefix)) found.push({ match: { rule, node, prefix }, sequence: found.length });
        }
      }
    }
  }
  for (const rule of plan.separate) {
    for (const node of top.findAll(rule.config)) found.push({ match: { rule, node, prefix: '' }, sequence: found.length });
  }
  const start = new Map(found.map(({ match }) => [match, match.node.range().start.index]));
  return found
    .sort(
      (a, b) =>
        (start.get(a.match) ?? 0) - (start.get(b.match) ?? 0) ||
        (plan.order.get(a.match.rule) ?? 0) - (plan.order.get(b.match.rule) ?? 0) ||
        a.sequence - b.sequence,
    )
    .map(({ match }) => match);
}
