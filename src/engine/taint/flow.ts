import type { SgNode } from '@ast-grep/napi';
import type { FindingTrace, TraceStep } from '../../domain/finding.js';
import { definitionsIn, reachingDefinitions } from './definitions.js';
import type { Definition } from './definitions.js';
import { conditionChecks, guardIfsIn, isGuarded } from './guards.js';
import type { GuardIf } from './guards.js';
import { callsTo, functionName, iteratedReceiver, localFunction, newCallIndex, passedTo, returnedValues } from './calls.js';
import type { CallIndex } from './calls.js';
import {
  globalSourceLabel,
  isDataDecorator,
  isNestedRequest,
  isPageProps,
  isRequestDecorator,
  isRequestParameter,
  parameterDecorator,
  requestFieldIsSource,
  requestMethodIsSource,
  ROUTE_REGISTRATIONS,
  usesRequest,
} from './sources.js';
import type { SourceHints } from './sources.js';
import { concatenated, isOwnAddressUrl, originEnded, ownAddressPrefix, unquoted } from './origin.js';
import { matchesAny } from './spec.js';
import type { CompiledTaint } from './spec.js';
import { entryKeyOf, exportShape } from './modules.js';
import type { ExportShape } from './modules.js';
import { bindingPath, contains, enclosingFunction, isFunction, parameterParts, parametersOf, positionOf, TRANSPARENT_KINDS } from './syntax.js';

/** What an expression holds: nothing from a source, data from a source (with its path), or the request itself. */
export type Taint =
  | { readonly kind: 'clean' }
  | { readonly kind: 'tainted'; readonly trace: FindingTrace }
  | { readonly kind: 'request'; readonly label: string };

const CLEAN: Taint = { kind: 'clean' };
const MAX_DEPTH = 40;
/**
 * Work one sink may do: expressions visited, and whole-scope searches (definitions, calls, checks), each
 * of which costs a walk of the scope. A pathological file (a minified bundle) gives up, with no finding,
 * rather than stall the crawl.
 */
const MAX_VISITS = 800;
const MAX_SEARCHES = 24;
const MAX_FILE_SEARCHES = 240;
const ENTRY_VISITS = 200;
const ENTRY_SEARCHES = 8;
const MAX_FILE_VISITS = 20_000;

/** Calls that turn any input into a number or boolean: the result cannot carry an injection. */
const COERCING_CALLS = new Set(['parseInt', 'parseFloat', 'Number', 'Boolean', 'isNaN', 'isFinite']);
/** Calls whose result is their argument's text, decoded or reshaped (join/resolve: path's, imported bare). */
const PASSING_CALLS = new Set(['String', 'decodeURIComponent', 'decodeURI', 'unescape', 'atob', 'structuredClone', 'Array', 'join', 'resolve', 'normalize', 'format', 'sprintf', 'vsprintf']);
/** Methods, on any receiver, whose result carries their arguments: path.join(dir, x), 'a'.concat(x), util.format('%s', x). */
const PASSING_METHODS = new Set(['join', 'resolve', 'normalize', 'concat', 'replace', 'replaceAll', 'format', 'from', 'parse', 'stringify', 'assign', 'keys', 'values', 'entries', 'fromEntries', 'of']);
/** Methods of a tainted value whose result is a number or boolean. */
const CHECKING_METHODS = new Set(['includes', 'indexOf', 'lastIndexOf', 'startsWith', 'endsWith', 'test', 'localeCompare', 'has', 'some', 'every', 'findIndex', 'charCodeAt', 'codePointAt', 'search', 'isArray']);
const PASSING_CONSTRUCTORS = new Set(['URL', 'URLSearchParams', 'String', 'Buffer']);
const CONSTANT_IDENTIFIERS = new Set(['undefined', 'NaN', 'Infinity']);

/** Caches shared by every taint rule within one file. */
export interface FileCache {
  readonly definitions: Map<string, Definition[]>;
  /** The `if` statements of a scope as guards need them (see guards.ts), by scope node id. */
  readonly ifs: Map<number, GuardIf[]>;
  readonly calls: CallIndex;
  readonly routeHandlers: Map<number, boolean>;
  hints: SourceHints | null;
  /** What the module exports (see modules.ts), read when a flow first reaches a parameter in entry mode. */
  exports: ExportShape | null;
  /** Whole-scope searches and expression visits spent on this file so far, by all its sinks. */
  searches: number;
  visits: number;
}

export function newFileCache(): FileCache {
  return { definitions: new Map(), ifs: new Map(), calls: newCallIndex(), routeHandlers: new Map(), hints: null, exports: null, searches: 0, visits: 0 };
}

/** How many call sites of a local function are followed into one of its parameters. */
const MAX_CALL_SITES = 12;

/**
 * Entry mode (flows across modules): a parameter of an exported function that nothing in this file
 * feeds is treated as a source of its own, labelled with ENTRY_LABEL, its export key and index, so the
 * crawl can join it with what other modules pass in. `excluded`: entries already found for this sink.
 */
export interface EntryMode {
  readonly excluded: ReadonlySet<string>;
}

/** Work one flow may do (see MAX_VISITS), for flows asked more often than once per sink. */
export interface FlowBudget {
  readonly visits: number;
  readonly searches: number;
}

const ENTRY_LABEL = '\u0000entry\u0000';

/** The export key and parameter of an entry source label, or null for a real source. */
export function entryOfLabel(label: string): { key: string; param: number } | null {
  if (!label.startsWith(ENTRY_LABEL)) return null;
  const [key = '', param = ''] = label.slice(ENTRY_LABEL.length).split('\u0000');
  return { key, param: Number(param) };
}

export function entryName(key: string, param: number): string {
  return `${key}\u0000${param}`;
}

function tainted(source: TraceStep, steps: readonly TraceStep[] = []): Taint {
  return { kind: 'tainted', trace: { source, steps } };
}

function step(label: string, node: SgNode): TraceStep {
  return { label, ...positionOf(node) };
}

/** Resolves, within the enclosing functions, whether expressions derive from the rule's sources. */
export class TaintFlow {
  private depth = 0;
  private visits = 0;
  private searches = 0;
  private readonly visiting = new Set<string>();
  /** Arguments of the local calls being followed into their function's returns, by function node id. */
  private readonly frames = new Map<number, readonly SgNode[]>();
  /** Identifiers read only for one of their properties (`data` of `data.url`): node id -> property. */
  private readonly reads = new Map<number, string>();

  constructor(
    private readonly spec: CompiledTaint,
    private readonly root: SgNode,
    private readonly cache: FileCache,
    private readonly entries: EntryMode | null = null,
    budget: FlowBudget | null = null,
  ) {
    // Entry mode runs for sinks no source reaches, the most common kind: it gets a smaller budget.
    this.maxVisits = budget?.visits ?? (entries ? ENTRY_VISITS : MAX_VISITS);
    this.maxSearches = budget?.searches ?? (entries ? ENTRY_SEARCHES : MAX_SEARCHES);
  }

  private readonly maxVisits: number;
  private readonly maxSearches: number;

  valueOf(node: SgNode): Taint {
    if (this.depth >= MAX_DEPTH || this.visits >= this.maxVisits || this.searches >= this.maxSearches || this.cache.searches >= MAX_FILE_SEARCHES || this.cache.visits >= MAX_FILE_VISITS) return CLEAN;
    this.visits += 1;
    this.cache.visits += 1;
    this.depth += 1;
    try {
      if (matchesAny(node, this.spec.sanitizers) || this.ownOrigin(node)) return CLEAN;
      if (matchesAny(node, this.spec.sourceRules)) return tainted(step(node.text(), node));
      const value = this.expression(node);
      if (value.kind === 'tainted' && (node.kind() === 'identifier' || node.kind() === 'member_expression') && this.guarded(node)) return CLEAN;
      return value;
    } finally {
      this.depth -= 1;
    }
  }

  private guarded(node: SgNode): boolean {
    return isGuarded(node.text(), node, (fn) => {
      const cached = this.cache.ifs.get(fn.id());
      if (cached) return cached;
      this.searches += 1;
      this.cache.searches += 1;
      const found = guardIfsIn(fn);
      this.cache.ifs.set(fn.id(), found);
      return found;
    });
  }

  private first(nodes: readonly (SgNode | null | undefined)[]): Taint {
    for (const node of nodes) {
      if (!node) continue;
      const value = this.valueOf(node);
      if (value.kind === 'tainted') return value;
    }
    return CLEAN;
  }

  private expression(node: SgNode): Taint {
    const kind = String(node.kind());
    if (TRANSPARENT_KINDS.has(kind)) return this.valueOf(node.namedChildren()[0] ?? node);
    switch (kind) {
      case 'identifier':
        return this.identifier(node.text(), node, this.reads.get(node.id()));
      case 'shorthand_property_identifier':
        return this.identifier(node.text(), node);
      case 'member_expression':
        return this.member(node);
      case 'subscript_expression':
        return this.access(node, node.field('object'), null);
      case 'call_expression':
        return this.call(node);
      case 'new_expression': {
        const name = node.field('constructor')?.text() ?? '';
        return PASSING_CONSTRUCTORS.has(name) ? this.first(node.field('arguments')?.namedChildren() ?? []) : CLEAN;
      }
      case 'template_string':
        if (this.spec.origin) return this.beforeOrigin(node.namedChildren().map((child) => (child.kind() === 'template_substitution' ? child : child.text())));
        return this.first(node.namedChildren().filter((child) => child.kind() === 'template_substitution'));
      case 'binary_expression': {
        const operator = node.field('operator')?.text() ?? '';
        if (operator === '+' && this.spec.origin) return this.beforeOrigin(concatenated(node).map((part) => (part.kind() === 'string' ? unquoted(part.text()) : part)));
        return ['+', '||', '??', '&&'].includes(operator) ? this.first([node.field('left'), node.field('right')]) : CLEAN;
      }
      case 'ternary_expression':
        return this.ternary(node);
      case 'array':
        return this.first(node.namedChildren());
      case 'object':
        return this.first(node.namedChildren().map((child) => (child.kind() === 'pair' ? child.field('value') : child)));
      case 'assignment_expression':
      case 'augmented_assignment_expression':
        return this.valueOf(node.field('right') ?? node);
      case 'sequence_expression':
        return this.valueOf(node.namedChildren().at(-1) ?? node);
      default:
        return CLEAN;
    }
  }

  /**
   * For a sink that only cares about the origin: the parts of a template or `+` chain in order, literal
   * text as strings. Data counts until the fixed text so far ends the origin; a clean value stands for a
   * fixed segment (`x`), so `${base}/login?next=${x}` is closed before `x` and `${a}${x}` is not.
   */
  private beforeOrigin(parts: readonly (SgNode | string)[]): Taint {
    let fixed = '';
    for (const part of parts) {
      if (typeof part === 'string') {
        fixed += part;
        continue;
      }
      if (originEnded(fixed)) return CLEAN;
      const own = ownAddressPrefix(part);
      if (own !== null) {
        fixed += own;
        continue;
      }
      const value = this.valueOf(part);
      // The request's own path (`req.originalUrl`) always starts with `/`: after a scheme and host it
      // only picks a path there (`https://${host}${req.originalUrl}`), though alone it may be `//evil.example`.
      if (value.kind === 'tainted' && !(isRequestPath(value) && originEnded(`${fixed}/`))) return value;
      fixed += 'x';
    }
    return CLEAN;
  }

  private ternary(node: SgNode): Taint {
    const condition = node.field('condition');
    const consequence = node.field('consequence');
    // ALLOWED.includes(x) ? x : 'default'
    const checked = condition && consequence && conditionChecks(condition, unparenthesized(consequence).text());
    return this.first([checked ? null : consequence, node.field('alternative')]);
  }

  private member(node: SgNode): Taint {
    const global = globalSourceLabel(node, this.spec.sourceSets);
    if (global) return tainted(step(global, node));
    return this.access(node, node.field('object'), node.field('property')?.text() ?? null);
  }

  /** Reading `property` (null: a computed key) of `object`. */
  private access(node: SgNode, object: SgNode | null, property: string | null): Taint {
    if (!object) return CLEAN;
    if (object.kind() === 'identifier' && property !== null) this.reads.set(object.id(), property);
    const base = this.valueOf(object);
    if (base.kind === 'request') {
      if (property && requestFieldIsSource(property, this.spec.sourceSets)) return tainted(step(`${base.label}.${property}`, node));
      return property && isNestedRequest(property) ? { kind: 'request', label: `${base.label}.${property}` } : CLEAN;
    }
    if (base.kind === 'clean' || property === 'length') return CLEAN;
    return extendSource(base, object, node);
  }

  private call(node: SgNode): Taint {
    const callee = node.field('function');
    const args = node.field('arguments')?.namedChildren() ?? [];
    if (!callee) return CLEAN;
    if (callee.kind() === 'identifier') {
      const name = callee.text();
      if (COERCING_CALLS.has(name)) return CLEAN;
      return PASSING_CALLS.has(name) ? this.first(args) : this.localCall(node, name, args);
    }
    if (callee.kind() !== 'member_expression') return CLEAN;
    const method = callee.field('property')?.text() ?? '';
    const object = callee.field('object');
    if (!object) return CLEAN;
    if (object.text() === 'Math' || object.text() === 'Number') return CLEAN;
    const receiver = this.valueOf(object);
    if (receiver.kind === 'request') {
      return requestMethodIsSource(method, this.spec.sourceSets) ? tainted(step(node.text(), node)) : CLEAN;
    }
    if (receiver.kind === 'tainted') return CHECKING_METHODS.has(method) || keepsOnlySafeCharacters(method, args) ? CLEAN : extendSource(receiver, object, node);
    if (!PASSING_METHODS.has(method)) return CLEAN;
    if (method === 'replace' || method === 'replaceAll') {
      // What is searched for is taken out, not put in: only the replacement reaches the result. For a sink
      // that only cares about the origin, the page's own address substituted into a clean text
      // (`template.replace('${url}', location.href)`) cannot choose where the result points either.
      const replacement = args[1];
      if (!replacement || (this.spec.origin && ownAddressPrefix(replacement) !== null)) return CLEAN;
      // a replacer function puts in what it returns
      return isFunction(replacement) ? this.first(returnedValues(replacement, this.cache.calls)) : this.valueOf(replacement);
    }
    return this.first(args);
  }

  /** The value that reaches a sink: for a sink that only cares about the origin, the page's own address or path is no data. */
  sinkValue(node: SgNode): Taint {
    return this.spec.origin ? this.beforeOrigin([node]) : this.valueOf(node);
  }

  /** `buildQuery(req.query.q)` with `function buildQuery(q) { return '...' + q; }` in this file. */
  private localCall(call: SgNode, name: string, args: readonly SgNode[]): Taint {
    this.searches += 1;
    this.cache.searches += 1;
    const fn = localFunction(this.root, name, this.cache.calls);
    if (!fn || this.frames.has(fn.id())) return CLEAN;
    this.frames.set(fn.id(), args);
    try {
      const value = this.first(returnedValues(fn, this.cache.calls));
      if (value.kind !== 'tainted') return CLEAN;
      return { kind: 'tainted', trace: { source: value.trace.source, steps: [...value.trace.steps, step(`${name}()`, call)] } };
    } finally {
      this.frames.delete(fn.id());
    }
  }

  /**
   * The value of variable `name` where `use` reads it: its reaching definitions, or the parameter it is.
   * When only its property `read` is read (`data.url`), writes to its other properties (`data.error = q`)
   * are not part of that value.
   */
  private identifier(name: string, use: SgNode, read?: string): Taint {
    if (CONSTANT_IDENTIFIERS.has(name)) return CLEAN;
    let fn = enclosingFunction(use);
    for (;;) {
      const scope = fn ? (fn.field('body') ?? fn) : this.root;
      const all = this.definitionsOf(scope, fn, name);
      const { definitions, complete } = reachingDefinitions(all, use, scope);
      const parameter = fn && !complete ? this.parameter(fn, name) : null;
      if (definitions.length > 0 || parameter) {
        for (const definition of definitions) {
          if (read !== undefined && writesOtherProperty(definition, name, read)) continue;
          const value = this.definition(definition, name);
          if (value.kind !== 'clean') return value;
        }
        return parameter ?? CLEAN;
      }
      if (!fn) return CLEAN;
      fn = enclosingFunction(fn);
    }
  }

  private definitionsOf(scope: SgNode, fn: SgNode | null, name: string): Definition[] {
    const key = `${scope.id()}\0${name}`;
    const cached = this.cache.definitions.get(key);
    if (cached) return cached;
    this.searches += 1;
    this.cache.searches += 1;
    const found = definitionsIn(scope, fn, name);
    this.cache.definitions.set(key, found);
    return found;
  }

  /**
   * For a sink that only cares about the origin: `url`, `url.href` or `url.toString()` of a URL built from
   * the page's own address (`const url = new URL(location.href)`), changed at most in its path, query or
   * fragment (`url.searchParams.set(...)`, an inert property): it still points at this page's origin.
   * What is read out of it (`url.searchParams.get('next')`) is another expression, and stays data.
   */
  private ownOrigin(node: SgNode): boolean {
    if (!this.spec.origin) return false;
    let target: SgNode | null = node;
    if (node.kind() === 'call_expression') {
      const callee = node.field('function');
      const called = callee?.kind() === 'member_expression' && callee.field('property')?.text() === 'toString' && node.field('arguments')?.namedChildren().length === 0;
      target = called ? (callee.field('object') ?? null) : null;
    } else if (node.kind() === 'member_expression') {
      target = node.field('property')?.text() === 'href' ? node.field('object') : null;
    }
    if (target?.kind() !== 'identifier') return false;
    const fn = enclosingFunction(target);
    const scope = fn ? (fn.field('body') ?? fn) : this.root;
    const { definitions } = reachingDefinitions(this.definitionsOf(scope, fn, target.text()), target, scope);
    return definitions.length > 0 && definitions.every((definition) => this.inert(definition) || ((definition.kind === 'declare' || definition.kind === 'assign') && isOwnAddressUrl(definition.values[0])));
  }

  /** `url.search = ctx.search` for a rule whose sink does not care about `search` (see inertProperties). */
  private inert(definition: Definition): boolean {
    if (definition.kind !== 'mutate' || this.spec.inertProperties.size === 0 || definition.node.kind() !== 'assignment_expression') return false;
    const left = definition.node.field('left');
    const property = left?.kind() === 'member_expression' ? left.field('property')?.text() : undefined;
    return property !== undefined && this.spec.inertProperties.has(property);
  }

  private definition(definition: Definition, name: string): Taint {
    const key = `${definition.node.id()}\0${name}`;
    if (this.visiting.has(key) || this.inert(definition)) return CLEAN;
    this.visiting.add(key);
    try {
      const [only] = definition.values;
      // A single value may be the request itself (`const r = req`), which first() would drop.
      const value = only && definition.values.length === 1 ? this.valueOf(only) : this.first(definition.values);
      const through = definition.kind === 'iterate' || value.kind !== 'request' ? value : this.destructure(value, definition.path, definition.node);
      if (through.kind !== 'tainted') return through;
      const { source, steps } = through.trace;
      // `const { id } = req.query`: the source is req.query.id
      const named = value === through && steps.length === 0 && definition.path.length > 0 && !definition.path.includes('[]') && only?.text() === source.label;
      const from = named ? { ...source, label: [source.label, ...definition.path].join('.') } : source;
      return { kind: 'tainted', trace: { source: from, steps: [...steps, step(name, definition.node)] } };
    } finally {
      this.visiting.delete(key);
    }
  }

  /** `const { query: { id } } = req`: the request's field is the source. */
  private destructure(value: Taint, path: readonly string[], at: SgNode): Taint {
    if (value.kind !== 'request' || path.length === 0) return value;
    const [field, ...rest] = path;
    if (field && requestFieldIsSource(field, this.spec.sourceSets)) return tainted(step([value.label, field, ...rest].join('.'), at));
    if (field && isNestedRequest(field)) return this.destructure({ kind: 'request', label: `${value.label}.${field}` }, rest, at);
    return CLEAN;
  }

  /**
   * A parameter binding `name`: a request object, a field of one (`({ query }, res) =>`, `@Query('q') q`),
   * the argument of the local call being followed, the elements of an iterated value, or what this file's
   * own calls of the function pass in. Clean otherwise: nothing says where it comes from.
   */
  private parameter(fn: SgNode, name: string): Taint | null {
    for (const [index, param] of parametersOf(fn).entries()) {
      const { pattern, type } = parameterParts(param);
      const path = bindingPath(pattern, name);
      if (!path) continue;
      const decorator = parameterDecorator(param);
      if (decorator && isDataDecorator(decorator.name) && usesRequest(this.spec.sourceSets)) return tainted(step(`${decorator.text} ${pattern.text()}`, param));
      if ((decorator && isRequestDecorator(decorator.name)) || isRequestParameter(fn, index, pattern, type, (f) => this.passedToRoute(f))) {
        const label = pattern.kind() === 'identifier' ? pattern.text() : 'request';
        return this.destructure({ kind: 'request', label }, path, pattern);
      }
      if (usesRequest(this.spec.sourceSets) && isPageProps(fn, path[0])) return tainted(step(path.join('.'), pattern));
      const value = this.argumentOf(fn, index);
      if (value.kind === 'request') return this.destructure(value, path, pattern);
      if (value.kind !== 'tainted') return this.entry(fn, index, pattern) ?? CLEAN;
      return { kind: 'tainted', trace: { source: value.trace.source, steps: [...value.trace.steps, step(name, pattern)] } };
    }
    return null;
  }

  /** What parameter `index` of `fn` receives: from the call being followed, an iterated value, or the file's calls. */
  private argumentOf(fn: SgNode, index: number): Taint {
    const key = `param\0${fn.id()}\0${index}`;
    if (this.visiting.has(key)) return CLEAN;
    this.visiting.add(key);
    try {
      const frame = this.frames.get(fn.id());
      if (frame) return frame[index] ? this.valueOf(frame[index]) : CLEAN;
      const receiver = index === 0 ? iteratedReceiver(fn) : null;
      if (receiver) return this.valueOf(receiver);
      const name = functionName(fn);
      if (!name) return CLEAN;
      // A method is followed from `this.name(...)` calls only: other objects' methods of that name are other code.
      const method = fn.kind() === 'method_definition';
      this.searches += 1;
      this.cache.searches += 1;
      const calls = callsTo(this.root, name, this.cache.calls)
        .filter((call) => !contains(fn, call) && (call.field('function')?.kind() === 'identifier') !== method)
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- the typings promise the field for one node kind; at run time the callee may be another kind
        .filter((call) => !method || call.field('function')?.field('object')?.kind() === 'this')
        .slice(0, MAX_CALL_SITES);
      return this.first(calls.map((call) => call.field('arguments')?.namedChildren()[index]));
    } finally {
      this.visiting.delete(key);
    }
  }

  /** In entry mode: the parameter of an exported function as a source of its own (see EntryMode). */
  private entry(fn: SgNode, index: number, pattern: SgNode): Taint | null {
    if (!this.entries) return null;
    this.cache.exports ??= exportShape(this.root);
    const key = entryKeyOf(fn, this.cache.exports);
    if (key === null || this.entries.excluded.has(entryName(key, index))) return null;
    return tainted({ label: `${ENTRY_LABEL}${entryName(key, index)}`, ...positionOf(pattern) }, [step(pattern.text(), pattern)]);
  }

  private passedToRoute(fn: SgNode): boolean {
    const cached = this.cache.routeHandlers.get(fn.id());
    if (cached !== undefined) return cached;
    const name = functionName(fn);
    const passed = name !== null && passedTo(this.root, name, ROUTE_REGISTRATIONS);
    this.cache.routeHandlers.set(fn.id(), passed);
    return passed;
  }

}

/** `req.query` read as `req.query.id`: name the source by the longest expression still without a step. */
function extendSource(value: Taint, object: SgNode, node: SgNode): Taint {
  if (value.kind !== 'tainted') return value;
  const { source, steps } = value.trace;
  if (steps.length > 0 || source.label !== object.text() || node.kind() === 'call_expression') return value;
  return tainted({ ...source, label: node.text() }, steps);
}

function unparenthesized(node: SgNode): SgNode {
  return node.kind() === 'parenthesized_expression' ? unparenthesized(node.namedChildren()[0] ?? node) : node;
}

/** Characters an allow-list replace may keep: letters, digits, `_`, `-`, space (no quotes, dots, slashes or shell syntax). */
const SAFE_CLASS_CHARACTERS = new Set([...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_- ', '\\w', '\\d', '\\s']);

/**
 * `x.replace(/[^a-z0-9_-]/gi, '')`: a global replace of everything outside a class of letters, digits,
 * `_` and `-` by nothing leaves text that cannot break out of any string, path or command. Read from the
 * regex literal's own nodes, not by matching the source text.
 */
function keepsOnlySafeCharacters(method: string, args: readonly SgNode[]): boolean {
  if (method !== 'replace' && method !== 'replaceAll') return false;
  const [pattern, replacement] = args;
  if (pattern?.kind() !== 'regex' || replacement?.kind() !== 'string' || replacement.text().length !== 2) return false;
  const body = pattern.field('pattern')?.text() ?? '';
  const flags = pattern.field('flags')?.text() ?? '';
  const close = body.endsWith(']+') ? body.length - 2 : body.endsWith(']') ? body.length - 1 : -1;
  if (!flags.includes('g') || !body.startsWith('[^') || close < 2) return false;
  const inside = body.slice(2, close);
  for (let i = 0; i < inside.length; i += 1) {
    const one = inside.charAt(i);
    if (one === '\\') {
      if (!SAFE_CLASS_CHARACTERS.has(inside.slice(i, i + 2))) return false;
      i += 1;
    } else if (!SAFE_CLASS_CHARACTERS.has(one)) return false;
  }
  return true;
}

/** `data.error = q` when `data.url` is read: a write to another named property of the variable. */
function writesOtherProperty(definition: Definition, name: string, read: string): boolean {
  if (definition.kind !== 'mutate' || definition.node.kind() !== 'assignment_expression') return false;
  let target = definition.node.field('left');
  while (target && (target.kind() === 'member_expression' || target.kind() === 'subscript_expression')) {
    const object = target.field('object');
    if (object?.kind() === 'identifier' && object.text() === name) {
      const property = target.kind() === 'member_expression' ? target.field('property') : null;
      return property?.kind() === 'property_identifier' && property.text() !== read;
    }
    target = object;
  }
  return false;
}

/** Data read straight from the request's path (`req.url`, `req.originalUrl`, `ctx.path`), with no step between. */
function isRequestPath(value: Taint): boolean {
  return value.kind === 'tainted' && value.trace.steps.length === 0 && /\.(url|originalUrl|path)$/.test(value.trace.source.label);
}
