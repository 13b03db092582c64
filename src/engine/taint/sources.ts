import type { SgNode } from '@ast-grep/napi';
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
/** Next.js app-router handlers: export async function GET(request) {...}. */
const ROUTE_EXPORTS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);
/** Next.js page props that carry the URL: export default function Page({ params, searchParams }). */
const PAGE_PROPS = new Set(['params', 'searchParams']);

const LOCATION_PARTS = new Set(['href', 'search', 'hash', 'pathname']);
const DOCUMENT_URLS = new Set(['document.URL', 'document.documentURI', 'document.baseURI', 'document.referrer']);
const GLOBAL_PREFIXES = ['window.', 'self.', 'globalThis.'];

export function requestFieldIsSource(field: string, sets: ReadonlySet<SourceSet>): boolean {
  if (sets.has('request')) return REQUEST_FIELDS.has(field);
  return sets.has('request-object') && OBJECT_FIELDS.has(field);
}

export function requestMethodIsSource(method: string, sets: ReadonlySet<SourceSet>): boolean {
  if (sets.has('request')) return REQUEST_METHODS.has(method);
  return sets.has('request-object') && OBJECT_METHODS.has(method);
}

export function isNestedRequest(field: string): boolean {
  return NESTED_REQUESTS.has(field);
}

function isRouteHandler(fn: SgNode): boolean {
  const parent = fn.parent();
  if (!parent) return false;
  if (parent.kind() === 'arguments') {
    const callee = parent.parent()?.field('function');
    if (!callee) return false;
    const name = callee.kind() === 'member_expression' ? callee.field('property')?.text() : callee.text();
    if (name && ROUTE_METHODS.has(name)) return true;
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
export function isRequestParameter(fn: SgNode, index: number, pattern: SgNode, type: string | null): boolean {
  if (pattern.kind() === 'identifier' && REQUEST_NAMES.has(pattern.text())) return true;
  if (type && REQUEST_TYPES.has(type.split('<')[0]?.trim() ?? '')) return true;
  if (!isFunction(fn) || !isRouteHandler(fn)) return false;
  return index === (parametersOf(fn).length === 4 ? 1 : 0);
}

/** Whether a parameter pattern is the props of an exported Next.js page, for `{ params, searchParams }`. */
export function isPageProps(fn: SgNode, key: string | undefined): boolean {
  if (!key || !PAGE_PROPS.has(key)) return false;
  for (let node = fn.parent(); node; node = node.parent()) if (node.kind() === 'export_statement') return true;
  return false;
}

/** A source recognised by its own text: process.argv, process.env, location.search, document.URL. */
export function globalSourceLabel(node: SgNode, sets: ReadonlySet<SourceSet>): string | null {
  const name = dottedName(node);
  if (!name) return null;
  if (sets.has('argv') && (name === 'process.argv' || name.startsWith('process.argv.'))) return name;
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
