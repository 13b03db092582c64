import { z } from 'zod';
import type { NapiConfig, SgNode } from '@ast-grep/napi';

/**
 * Named source sets the engine knows how to recognise. `request`: fields of the request in Express,
 * Koa, Fastify, hapi, Next.js and Node `http` handlers; `request-reflected`: only the fields a link or
 * a cross-site form sets (URL, query, route params, body), for attacks delivered through a victim's
 * browser; `request-object`: only the fields that can carry objects (body, query), for sinks where a
 * string is harmless; `argv`: process.argv from index 2 on; `env`:
 * process.env; `location`: the page's own URL in the browser (location, document.URL, referrer).
 */
export const SOURCE_SETS = ['request', 'request-reflected', 'request-object', 'argv', 'env', 'location'] as const;
export type SourceSet = (typeof SOURCE_SETS)[number];
/**
 * Sets the operator controls, not a remote sender: the command line and environment of whoever runs the
 * program. A trace from these alone is marked `local` (severity is lowered in CLI entry points).
 */
const LOCAL_SOURCE_SETS: ReadonlySet<SourceSet> = new Set(['argv', 'env']);

const astGrepRule = z.record(z.string(), z.unknown()).refine((value) => Object.keys(value).length > 0, {
  message: 'must not be empty',
});

/** The `taint` section of a rule file: the rule's `rule` matches the sink, these say when it fires. */
export const TaintSectionSchema = z.strictObject({
  /** Metavariables of `rule` (without `$`) that hold the dangerous value; any of them tainted fires. */
  sinks: z.array(z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must be a metavariable name such as URL')).min(1),
  /** Named source sets, or ast-grep rules matching further source expressions. */
  sources: z.array(z.union([z.enum(SOURCE_SETS), astGrepRule])).min(1),
  /** ast-grep rules for expressions whose value is safe for this sink (escaping, path.basename, ...). */
  sanitizers: z.array(astGrepRule).optional(),
  /**
   * Properties that data may be written to without making the object dangerous for this sink: a URL's
   * `pathname`, `search` and `hash` (`url.search = ctx.search`) leave the origin a redirect goes to as it was.
   */
  inertProperties: z.array(z.string().regex(/^[A-Za-z_$][A-Za-z0-9_$]*$/, 'must be a property name such as pathname')).optional(),
  /**
   * The sink is dangerous only through the origin (scheme and host) of the URL it gets, as a redirect is:
   * in a template or concatenation, data after a fixed part that ends the origin (`/login?next=${x}`,
   * `${base}/p/${name}`) is a path, query or fragment on a site the attacker does not choose.
   */
  origin: z.boolean().optional(),
});
export type TaintSection = z.infer<typeof TaintSectionSchema>;

/** An ast-grep rule run against single nodes; `kind` (when the rule names one) rules most nodes out cheaply. */
export interface NodeRule {
  readonly config: NapiConfig;
  readonly kind: string | null;
}

/** A taint section ready to evaluate: named sets apart, rules as ast-grep configs. */
export interface CompiledTaint {
  readonly sinks: readonly string[];
  readonly sourceSets: ReadonlySet<SourceSet>;
  readonly sourceRules: readonly NodeRule[];
  readonly sanitizers: readonly NodeRule[];
  /** Properties whose assignment does not taint their object (see TaintSectionSchema). */
  readonly inertProperties: ReadonlySet<string>;
  /** Only data that can reach the origin of the value counts (see TaintSectionSchema). */
  readonly origin: boolean;
  /**
   * For a rule with local sets (argv, env): the same section without them, asked first so a sink that
   * remote data reaches is never reported as local only; null when the rule has no local set.
   */
  readonly remote: CompiledTaint | null;
}

function nodeRule(rule: Record<string, unknown>): NodeRule {
  return { config: { rule }, kind: typeof rule.kind === 'string' ? rule.kind : null };
}

/** Whether `node` matches one of `rules`, asking ast-grep only about rules of the node's kind. */
export function matchesAny(node: SgNode, rules: readonly NodeRule[]): boolean {
  const kind = String(node.kind());
  return rules.some((rule) => (rule.kind === null || rule.kind === kind) && node.matches(rule.config));
}

export function compileTaint(section: TaintSection): CompiledTaint {
  const sourceSets = new Set<SourceSet>();
  const sourceRules: NodeRule[] = [];
  for (const source of section.sources) {
    if (typeof source === 'string') sourceSets.add(source);
    else sourceRules.push(nodeRule(source));
  }
  const sanitizers = (section.sanitizers ?? []).map(nodeRule);
  const inertProperties = new Set(section.inertProperties ?? []);
  const origin = section.origin ?? false;
  const remoteSets = new Set([...sourceSets].filter((set) => !LOCAL_SOURCE_SETS.has(set)));
  const remote = remoteSets.size === sourceSets.size ? null : { sinks: section.sinks, sourceSets: remoteSets, sourceRules, sanitizers, inertProperties, origin, remote: null };
  return { sinks: section.sinks, sourceSets, sourceRules, sanitizers, inertProperties, origin, remote };
}
