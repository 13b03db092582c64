import type { NapiConfig, SgNode } from '@ast-grep/napi';
import { enclosingFunction } from './syntax.js';

/** Checks that prove a value is one of a known set or a known shape: ALLOWED.includes(x), re.test(x). */
const MEMBERSHIP_METHODS = new Set(['includes', 'has', 'indexOf', 'test', 'hasOwnProperty']);
/** Checks called on the value itself: x.startsWith(root), x.match(/^[a-z]+$/). */
const SHAPE_METHODS = new Set(['startsWith', 'match']);
const EQUALITY = new Set(['===', '==', '!==', '!=']);
/** Parts of a parsed URL whose comparison pins where it points. */
const URL_PARTS = new Set(['origin', 'host', 'hostname']);
const EXIT_KINDS = new Set(['return_statement', 'throw_statement', 'continue_statement', 'break_statement']);
const EXITS: NapiConfig = { rule: { any: [...EXIT_KINDS].map((kind) => ({ kind })) } };

/** Verbs that name a check answering yes or no when written in an `if`: `isNaN`, `validateStreamFilePath`. */
const PREDICATE_VERBS = ['is', 'validate', 'verify', 'check'];

/** `isNaN`, `isUUID`, `isValidUrl`, `validateStreamFilePath(dir, p)`: a predicate by its name (a verb + a capital letter). */
function isPredicateName(name: string): boolean {
  return PREDICATE_VERBS.some((verb) => {
    const next = name.charAt(verb.length);
    return name.startsWith(verb) && next !== '' && next === next.toUpperCase() && next !== next.toLowerCase();
  });
}

/**
 * What a check of `arg` pins: the value itself, and each value spliced into it. A string built as
 * `${pkg}/${file}` that is found in an allow-list leaves `file` no room for `../` either.
 */
function checkedParts(arg: SgNode): SgNode[] {
  if (arg.kind() === 'template_string') return [arg, ...arg.children().filter((child) => child.kind() === 'template_substitution').flatMap((sub) => sub.namedChildren())];
  if (arg.kind() === 'binary_expression' && arg.field('operator')?.text() === '+') {
    const left = arg.field('left');
    const right = arg.field('right');
    return [arg, ...(left ? checkedParts(left) : []), ...(right ? checkedParts(right) : [])];
  }
  return [arg];
}

/** Whether `condition` checks the expression written as `text` against an allow-list or a pattern. */
export function conditionChecks(condition: SgNode, text: string): boolean {
  return checkedTexts(condition).has(text);
}

/**
 * The expressions (as written) that `condition` checks against an allow-list or a pattern: asked once per
 * condition, since every tainted name read after it asks again.
 */
export function checkedTexts(condition: SgNode): Set<string> {
  const checked = new Set<string>();
  const addArgs = (args: readonly SgNode[]): void => {
    for (const arg of args) for (const part of checkedParts(arg)) checked.add(part.text());
  };
  for (const call of [condition, ...condition.findAll({ rule: { kind: 'call_expression' } })]) {
    if (call.kind() !== 'call_expression') continue;
    const callee = call.field('function');
    const args = call.field('arguments')?.namedChildren() ?? [];
    // isNaN(x), isValidUrl(x), isSafePath(x), isPathInside(root, x)
    if (callee?.kind() === 'identifier' && isPredicateName(callee.text())) addArgs(args);
    if (callee?.kind() !== 'member_expression') continue;
    const method = callee.field('property')?.text() ?? '';
    // ALLOWED.includes(x); validator.isUUID(x), Number.isInteger(x), file.isPathInside(uploadRoot, x)
    if (MEMBERSHIP_METHODS.has(method) || isPredicateName(method)) addArgs(args);
    const object = callee.field('object');
    if (SHAPE_METHODS.has(method) && object) checked.add(object.text());
  }
  for (const comparison of [condition, ...condition.findAll({ rule: { kind: 'binary_expression' } })]) {
    if (comparison.kind() !== 'binary_expression' || !EQUALITY.has(comparison.field('operator')?.text() ?? '')) continue;
    const sides = [comparison.field('left'), comparison.field('right')];
    if (sides.some((side) => side?.kind() === 'string')) for (const side of sides) if (side && side.kind() !== 'string') checked.add(side.text());
    // new URL(x).origin === location.origin, url.hostname !== 'api.example.com'
    for (const side of sides) {
      if (side?.kind() !== 'member_expression') continue;
      const object = side.field('object');
      if (object && URL_PARTS.has(side.field('property')?.text() ?? '')) checked.add(object.text());
    }
  }
  return checked;
}

function exits(branch: SgNode): boolean {
  if (EXIT_KINDS.has(String(branch.kind()))) return true;
  return branch.kind() === 'statement_block' && branch.namedChildren().some((statement) => statement.matches(EXITS));
}

/** An `if` statement as guards need it, worked out once: offsets, what its condition checks, whether its branch leaves. */
export interface GuardIf {
  readonly start: number;
  readonly end: number;
  readonly checks: ReadonlySet<string>;
  readonly consequenceStart: number;
  readonly consequenceEnd: number;
  readonly exits: boolean;
}

/** The `if` statements of a scope, in document order, as guards need them. */
export function guardIfsIn(scope: SgNode): GuardIf[] {
  return scope.findAll({ rule: { kind: 'if_statement' } }).flatMap((statement) => {
    const condition = statement.field('condition');
    const consequence = statement.field('consequence');
    if (!condition || !consequence) return [];
    const checks = checkedTexts(condition);
    const { start, end } = statement.range();
    const branch = consequence.range();
    return checks.size === 0 ? [] : [{ start: start.index, end: end.index, checks, consequenceStart: branch.start.index, consequenceEnd: branch.end.index, exits: exits(consequence) }];
  });
}

/**
 * Whether the value written as `text` is checked before `use`: `use` sits in the branch of an `if`
 * that checks it, or an earlier `if` that checks it leaves the function (the allow-list idiom
 * `if (!ALLOWED.includes(x)) return res.sendStatus(400);`).
 */
export function isGuarded(text: string, use: SgNode, ifsOf: (scope: SgNode) => readonly GuardIf[]): boolean {
  const scopes: SgNode[] = [];
  for (let fn = enclosingFunction(use); fn; fn = enclosingFunction(fn)) scopes.push(fn);
  scopes.push(use.getRoot().root());
  const { start: useStart, end: useEnd } = use.range();
  for (const scope of scopes) {
    for (const statement of ifsOf(scope)) {
      if (statement.start > useStart.index) break;
      if (!statement.checks.has(text)) continue;
      if (statement.consequenceStart <= useStart.index && useEnd.index <= statement.consequenceEnd) return true;
      const inside = statement.start <= useStart.index && useEnd.index <= statement.end;
      if (!inside && statement.exits) return true;
    }
  }
  return false;
}
