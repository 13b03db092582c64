import type { NapiConfig, SgNode, SgRoot } from '@ast-grep/napi';
import type { SourceRange } from '../domain/finding.js';
import { renamedRule, tagged } from './combine.js';
import type { CompiledRule } from './compiled-rule.js';
import type { SyntaxProblem } from './syntax-problem.js';

/**
 * What a file's analysis counts in its tree besides the rules' matches: syntax problems and, per convention
 * rule, the nodes written the way it wants. Each is a search of the whole tree, and a native tree walk
 * costs about as much as the search itself (a `findAll` for a kind no file has took 0.2 ms per file, four
 * of them ~1.4 ms): so they share one walk, and tags say which search matched each node (as in combine.ts).
 */

/** Outermost ERROR nodes: nested ones are the same problem. */
const ERROR_RULE = { kind: 'ERROR', not: { inside: { kind: 'ERROR', stopBy: 'end' } } };
/** Nodes with empty text: tree-sitter's MISSING tokens are unnamed and zero-width. */
const EMPTY_RULE = { regex: '^$' };
const ERROR_TAG = 'SE';
const EMPTY_TAG = 'SM';
const CONFORMING_TAG = 'SC';

interface Census {
  readonly config: NapiConfig;
  readonly conventions: readonly CompiledRule[];
}

const NO_RULES: readonly CompiledRule[] = [];

/** Per rule list (a rule set keeps one per language), built once. */
const censuses = new WeakMap<readonly CompiledRule[], Census>();

function censusOf(rules: readonly CompiledRule[]): Census {
  let census = censuses.get(rules);
  if (census) return census;
  const conventions = rules.filter((rule) => rule.definition.convention !== undefined);
  // Each conforming rule under its own prefix, with its rule's utils, so no two share a name.
  const conforming = conventions.map((rule, index) => renamedRule(rule.definition.convention?.conforming, rule.definition.utils ?? {}, `${CONFORMING_TAG}${index}_`));
  const searches = [ERROR_RULE, EMPTY_RULE, ...conforming.map((member) => member.rule)];
  const tags = [tagged(ERROR_RULE, ERROR_TAG), tagged(EMPTY_RULE, EMPTY_TAG), ...conforming.map((member, index) => tagged(member.rule, `${CONFORMING_TAG}${index}`))];
  const utils = Object.assign({}, ...conforming.map((member) => member.utils)) as NapiConfig['utils'];
  const config = { rule: { all: [{ any: searches }, ...tags] } as NapiConfig['rule'], utils };
  census = { config, conventions };
  censuses.set(rules, census);
  return census;
}

export function toRange(node: SgNode): SourceRange {
  const { start, end } = node.range();
  return {
    startLine: start.line,
    startColumn: start.column,
    endLine: end.line,
    endColumn: end.column,
    startOffset: start.index,
    endOffset: end.index,
  };
}

export interface TreeCensus {
  /** In document order; see syntaxProblems. */
  readonly problems: SyntaxProblem[];
  /** Per convention rule of `rules`: its `conforming` rule's matches in the tree. */
  readonly conforming: ReadonlyMap<CompiledRule, number>;
}

/**
 * Syntax problems in the tree (ERROR nodes, and MISSING nodes that tree-sitter inserts: zero-width
 * unnamed tokens, such as a closing parenthesis it had to assume) and the conforming nodes of the
 * convention rules among `rules`, in one native search: walking every node from JavaScript was slow and
 * held a wrapper object per node.
 */
export function treeCensus(root: SgRoot, rules: readonly CompiledRule[] = NO_RULES): TreeCensus {
  const { config, conventions } = censusOf(rules);
  const errors: SyntaxProblem[] = [];
  const missing: SyntaxProblem[] = [];
  const conforming = new Map(conventions.map((rule) => [rule, 0]));
  for (const node of root.root().findAll(config)) {
    if (node.getMatch(ERROR_TAG)) errors.push({ range: toRange(node), kind: 'error', expected: null });
    if (node.getMatch(EMPTY_TAG) && !node.isNamed()) missing.push({ range: toRange(node), kind: 'missing', expected: String(node.kind()) });
    conventions.forEach((rule, index) => {
      if (node.getMatch(`${CONFORMING_TAG}${index}`)) conforming.set(rule, (conforming.get(rule) ?? 0) + 1);
    });
  }
  return { problems: [...errors, ...missing].sort((a, b) => a.range.startOffset - b.range.startOffset), conforming };
}
