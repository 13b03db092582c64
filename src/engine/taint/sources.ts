import type { NapiConfig, SgNode } from '@ast-grep/napi';
import { dottedName, isFunction, parametersOf } from './syntax.js';
import type { SourceSet } from './spec.js';

/** Request fields a client controls, across Express, Koa, Fastify, hapi, Next.js and Node `http`. */
const REQUEST_FIELDS = new Set([
  'query',
  'params',
  'body',
  'headers',
  'header',
  'cookies',
  'signedCookies',
  'url',
  'originalUrl',
  'files',
  'file',
  'querystring',
  'search',
  'nextUrl',
  'payload',
  'rawBody',
  'searchParams',
]);
/**
 * Fields a link or a cross-site form can set in a victim's request: only these carry reflected attacks
 * (open redirect, reflected XSS), since headers and cookies are the victim's browser's own.
 */
const REFLECTED_FIELDS = new Set(['query', 'params', 'body', 'url', 'originalUrl', 'querystring', 'search', 'nextUrl', 'payload', 'searchParams']);
const REFLECTED_METHODS = new Set(['param', 'json', 'formData', 'text']);
/** Fields that can hold objects (JSON bodies, qs-parsed queries), not just strings. */
const OBJECT_FIELDS = new Set(['query', 'body', 'payload']);
/** Methods of a request that return client data: req.get('X'), req.param('id'), await request.json(). */
const REQUEST_METHODS = new Set(['get', 'header', 'param', 'json', 'formData', 'text']);
const OBJECT_METHODS = new Set(['json', 'formData']);
/** Fields that are the request again: Koa's ctx.request, Fastify's request.raw. */
const NESTED_REQUESTS = new Set(['request', 'req', 'raw']);

const REQUEST_NAMES = new Set(['req', 'request', 'ctx']);
const REQUEST_TYPES = new Set([
  'Request',
  'express.Request',
  'FastifyRequest',
  'NextRequest',
  'NextApiRequest',
  'IncomingMessage',
  'http.IncomingMessage',
  'Context',
  'Koa.Context',
  'ParameterizedContext',
  'Hapi.Request',
]);
/** Methods that register a handler: app.get('/x', (req, res) => ...), router.use(...), fastify.post(...). */
const ROUTE_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'all', 'use', 'options', 'head', 'createServer']);
/** Registrations that take no path: their callbacks are handlers whatever their arguments. */
const PATHLESS_REGISTRATIONS = new Set(['use', 'all', 'createServer']);
const PATH_KINDS = new Set(['string', 'template_string', 'regex', 'array']);
/** Next.js app-router handlers: export async function GET(request) {...}. */
const ROUTE_EXPORTS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);
/** Next.js page props that carry the URL: export default function Page({ params, searchParams }). */
const PAGE_PROPS = new Set(['params', 'searchParams']);

const LOCATION_PARTS = new Set(['href', 'search', 'hash', 'pathname']);
// Not document.baseURI: pages resolve their own relative URLs against it.
const DOCUMENT_URLS = new Set(['document.URL', 'document.documentURI', 'document.referrer']);
const GLOBAL_PREFIXES = ['window.', 'self.', 'globalThis.'];

export function requestFieldIsSource(field: string, sets: ReadonlySet<SourceSet>): boolean {
  if (sets.has('request')) return REQUEST_FIELDS.has(field);
  if (sets.has('request-reflected') && REFLECTED_FIELDS.has(field)) return true;
  return sets.has('request-object') && OBJECT_FIELDS.has(field);
}

export function requestMethodIsSource(method: string, sets: ReadonlySet<SourceSet>): boolean {
  if (sets.has('request')) return REQUEST_METHODS.has(method);
  if (sets.has('request-reflected') && REFLECTED_METHODS.has(method)) return true;
  return sets.has('request-object') && OBJECT_METHODS.has(method);
}

/** Whether any request-borne set is on, so request parameters are worth recognising at all. */
export function usesRequest(sets: ReadonlySet<SourceSet>): boolean {
  return sets.has('request') || sets.has('request-reflected') || sets.has('request-object');
}

export function isNestedRequest(field: string): boolean {
  return NESTED_REQUESTS.has(field);
}

/** NestJS parameter decorators: which bind client data (`@Query('q') q`), which the request itself (`@Req() req`). */
const DATA_DECORATORS = new Set(['Query', 'Param', 'Body', 'Headers', 'Cookies', 'UploadedFile', 'UploadedFiles']);
const REQUEST_DECORATORS = new Set(['Req', 'Request']);

/** The decorator a parameter carries, as `{ name: 'Query', text: "@Query('q')" }`, if any. */
export function parameterDecorator(param: SgNode): { name: string; text: string } | null {
  const decorator = param.children().find((child) => child.kind() === 'decorator');
  const expression = decorator?.namedChildren()[0];
  if (!decorator || !expression) return null;
  const name = expression.kind() === 'call_expression' ? expression.field('function')?.text() : expression.text();
  return name ? { name, text: decorator.text() } : null;
}

export function isDataDecorator(name: string): boolean {
  return DATA_DECORATORS.has(name);
}

export function isRequestDecorator(name: string): boolean {
  return REQUEST_DECORATORS.has(name);
}

/** Route registrations, for handlers passed by name: `router.get('/x', showUser)`. */
export const ROUTE_REGISTRATIONS: ReadonlySet<string> = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'all', 'use', 'options', 'head', 'createServer', 'route']);

function isRouteHandler(fn: SgNode, passedToRoute: (fn: SgNode) => boolean): boolean {
  const parent = fn.parent();
  if (!parent) return false;
  if (passedToRoute(fn)) return true;
  if (parent.kind() === 'arguments') {
    const callee = parent.parent()?.field('function');
    if (!callee) return false;
    const name = callee.kind() === 'member_expression' ? callee.field('property')?.text() : callee.text();
    // app.get('/x', (req) => ...) but not https.get(url, (res) => ...): a route path, or (req, res) parameters
    if (name && ROUTE_METHODS.has(name)) {
      const first = parent.namedChildren()[0];
      return PATHLESS_REGISTRATIONS.has(name) || PATH_KINDS.has(String(first?.kind())) || parametersOf(fn).length >= 2;
    }
    // server.on('request', (req, res) => ...)
    return name === 'on' && parent.namedChildren()[0]?.text().slice(1, -1) === 'request';
  }
  // fastify.route({ handler: async (request, reply) => ... }), hapi's { handler(request, h) {...} }
  if (parent.kind() === 'pair') return parent.field('key')?.text() === 'handler';
  if (fn.kind() === 'method_definition') return fn.field('name')?.text() === 'handler';
  if (fn.kind() === 'function_declaration' && parent.kind() === 'export_statement') return ROUTE_EXPORTS.has(fn.field('name')?.text() ?? '');
  return false;
}

/**
 * Whether parameter `index` of `fn` is a request object (or Koa context): by name (req, request, ctx),
 * by type (Request, FastifyRequest, NextRequest, IncomingMessage, Context...), or by position in a
 * handler passed to a route registration (error middleware `(err, req, res, next)` takes the second).
 */
export function isRequestParameter(fn: SgNode, index: number, pattern: SgNode, type: string | null, passedToRoute: (fn: SgNode) => boolean): boolean {
  if (pattern.kind() === 'identifier' && REQUEST_NAMES.has(pattern.text())) return true;
  if (type && REQUEST_TYPES.has(type.split('<')[0]?.trim() ?? '')) return true;
  if (!isFunction(fn) || !isRouteHandler(fn, passedToRoute)) return false;
  return index === (parametersOf(fn).length === 4 ? 1 : 0);
}

/** Whether a parameter pattern is the props of an exported Next.js page, for `{ params, searchParams }`. */
export function isPageProps(fn: SgNode, key: string | undefined): boolean {
  if (!key || !PAGE_PROPS.has(key)) return false;
  for (let node = fn.parent(); node; node = node.parent()) if (node.kind() === 'export_statement') return true;
  return false;
}

/** `process.argv[0]` and `[1]` are the node binary and the script, not the user's arguments. */
function isProgramPath(argv: SgNode): boolean {
  const parent = argv.parent();
  if (parent?.kind() !== 'subscript_expression' || parent.field('object')?.id() !== argv.id()) return false;
  const index = parent.field('index');
  return index?.kind() === 'number' && Number(index.text()) < 2;
}

/** A source recognised by its own text: process.argv, process.env, location.search, document.URL. */
export function globalSourceLabel(node: SgNode, sets: ReadonlySet<SourceSet>): string | null {
  const name = dottedName(node);
  if (!name) return null;
  if (sets.has('argv') && name === 'process.argv' && !isProgramPath(node)) return name;
  if (sets.has('env') && name.startsWith('process.env.')) return name;
  if (!sets.has('location')) return null;
  const prefix = GLOBAL_PREFIXES.find((p) => name.startsWith(p));
  const bare = prefix ? name.slice(prefix.length) : name;
  if (name === 'window.name' || DOCUMENT_URLS.has(bare)) return name;
  const parts = bare.split('.');
  if (parts[0] === 'document' && parts[1] === 'location') parts.shift();
  if (parts[0] === 'location' && parts.length === 2 && LOCATION_PARTS.has(parts[1] ?? '')) return name;
  return null;
}

const names = (set: ReadonlySet<string>): string => [...set].join('|');

/** Cheap necessary conditions for each source set, checked once per file before any flow is resolved. */
const HINTS: Readonly<Record<'request' | 'argv' | 'env' | 'location', NapiConfig>> = {
  request: {
    rule: {
      any: [
        { kind: 'property_identifier', regex: `^(${names(REQUEST_FIELDS)}|${names(REQUEST_METHODS)})$` },
        { kind: 'shorthand_property_identifier_pattern', regex: `^(${names(REQUEST_FIELDS)}|${names(PAGE_PROPS)})$` },
        { kind: 'identifier', regex: `^(${names(DATA_DECORATORS)}|${names(REQUEST_DECORATORS)})$` },
      ],
    },
  },
  argv: { rule: { pattern: 'process.argv' } },
  env: { rule: { pattern: 'process.env' } },
  location: { rule: { kind: 'identifier', regex: '^(location|document|window|self|globalThis)$' } },
};

/** Which kinds of source can occur in this file at all; a file with none skips flow resolution. */
export interface SourceHints {
  readonly request: boolean;
  readonly argv: boolean;
  readonly env: boolean;
  readonly location: boolean;
}

export function sourceHints(root: SgNode): SourceHints {
  return {
    request: root.find(HINTS.request) !== null,
    argv: root.find(HINTS.argv) !== null,
    env: root.find(HINTS.env) !== null,
    location: root.find(HINTS.location) !== null,
  };
}

/** Whether a rule's named sets can find anything in a file with these hints. */
export function setsPossible(sets: ReadonlySet<SourceSet>, hints: SourceHints): boolean {
  return (
    (usesRequest(sets) && hints.request) || (sets.has('argv') && hints.argv) || (sets.has('env') && hints.env) || (sets.has('location') && hints.location)
  );
}
