import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { RoachError } from '../../domain/errors.js';
import type { AuthorRuleRow, DeveloperScope } from '../../store/ports.js';
import type { ApiDeps } from '../context.js';
import { access } from '../route-access.js';
import { text, uuid } from '../schemas.js';

const DAY_MS = 86_400_000;
const FOCUS_RULES = 3;

/** Per project (projectId) or across an organization (organizationId), in a time window (default: 30 days). */
const query = z
  .object({
    projectId: uuid.optional(),
    organizationId: uuid.optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    author: text().min(3).max(320).optional(),
  })
  .refine((q) => (q.projectId === undefined) !== (q.organizationId === undefined), { message: 'give exactly one of projectId and organizationId', path: ['projectId'] });

const severities = z.object({ critical: z.number(), high: z.number(), medium: z.number(), low: z.number() });
const authorStats = z.object({ author: z.string(), name: z.string().nullable(), introduced: z.number(), fixed: z.number(), open: z.number(), introducedBySeverity: severities });
const envelope = z.object({
  /** "available", or "unavailable (<why>)" — e.g. not a git repository; the data is then empty, never an error. */
  attribution: z.string(),
  organizationId: uuid,
  projectId: uuid.nullable(),
  from: z.string(),
  to: z.string(),
});
const ruleFocus = z.object({ ruleId: z.string(), category: z.string(), introduced: z.number(), open: z.number(), worstSeverity: z.string() });

const ADVICE: Record<string, string> = {
  security: 'is a security rule: review code touching it with a second reader and gate merges with `roach crawl --baseline <main> --fail-on high`',
  bug: 'points at likely bugs: add a test case for this pattern where it occurred',
  performance: 'costs run time: check hot paths for this pattern before review',
  maintainability: 'makes code harder to change: prefer the rule\'s suggested form and let Code Roach\'s safe fixes apply it',
  style: 'is a style rule: enable the project formatter or Code Roach\'s safe fixes in the editor to stop it at the source',
};

/** Advice from an author's most frequent rules: what to look at first, in their own numbers. */
function adviceFor(focus: readonly AuthorRuleRow[]): string[] {
  return focus.map((rule) => `${rule.ruleId} (${rule.introduced} introduced, ${rule.open} still open) ${ADVICE[rule.category] ?? 'recurs in your changes: read the rule documentation'}.`);
}

export function developerRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  async function scopeOf(request: { query: z.infer<typeof query>; scope: { organizationId: string; projectId: string | null } | null }): Promise<{ scope: DeveloperScope; attribution: string }> {
    const organizationId = request.scope?.organizationId;
    if (!organizationId) throw new RoachError('CR_ERR_NOT_FOUND', 'No organization or project with that id.');
    const to = request.query.to ?? new Date(Date.now() + 60_000).toISOString();
    const from = request.query.from ?? new Date(Date.parse(to) - 30 * DAY_MS).toISOString();
    if (Date.parse(from) >= Date.parse(to)) throw new RoachError('CR_ERR_REQUEST_INVALID', 'from must be before to.', { field: 'from' });
    // The authorised project (null for organization-wide reads), never a second id from the request.
    const projectId = request.scope?.projectId ?? null;
    const states = await deps.developers.attributionStates(organizationId, projectId);
    const attribution = states.some((s) => s.available)
      ? 'available'
      : `unavailable (${states[0]?.reason ?? 'no crawl has recorded attribution yet'})`;
    return { scope: { organizationId, projectId, from, to }, attribution };
  }
  const head = (scope: DeveloperScope, attribution: string) => ({ attribution, organizationId: scope.organizationId, projectId: scope.projectId, from: scope.from, to: scope.to });
  const author = (raw: string | undefined): string | null => (raw ? raw.trim().toLowerCase() : null);

  return async (app) => {
    app.get('/api/code-roach/developer/stats', { config: access.projectOrOrganization('project:read'), schema: { querystring: query, response: { 200: envelope.extend({ authors: z.array(authorStats) }) } } }, async (request) => {
      const { scope, attribution } = await scopeOf(request);
      return { ...head(scope, attribution), authors: await deps.developers.authorStats(scope, author(request.query.author)) };
    });

    app.get(
      '/api/code-roach/developer/team',
      {
        config: access.projectOrOrganization('project:read'),
        schema: {
          querystring: query,
          response: {
            200: envelope.extend({
              totals: z.object({ authors: z.number(), introduced: z.number(), fixed: z.number(), open: z.number() }),
              weeks: z.array(z.object({ week: z.string(), introduced: z.number(), fixed: z.number() })),
              members: z.array(authorStats.extend({ share: z.number() })),
            }),
          },
        },
      },
      async (request) => {
        const { scope, attribution } = await scopeOf(request);
        const [members, weeks] = await Promise.all([deps.developers.authorStats(scope, null), deps.developers.weeklyTrend(scope)]);
        const introduced = members.reduce((n, m) => n + m.introduced, 0);
        const fixed = members.reduce((n, m) => n + m.fixed, 0);
        return {
          ...head(scope, attribution),
          totals: { authors: members.length, introduced, fixed, open: members.reduce((n, m) => n + m.open, 0) },
          weeks,
          // Each member's part of the team's fixes (0 when nothing was fixed).
          members: members.map((m) => ({ ...m, share: fixed === 0 ? 0 : Math.round((m.fixed / fixed) * 1000) / 1000 })),
        };
      },
    );

    app.get(
      '/api/code-roach/developer/recommendations',
      {
        config: access.projectOrOrganization('project:read'),
        schema: {
          querystring: query,
          response: { 200: envelope.extend({ items: z.array(z.object({ author: z.string(), focus: z.array(ruleFocus), advice: z.array(z.string()) })) }) },
        },
      },
      async (request) => {
        const { scope, attribution } = await scopeOf(request);
        const rows = await deps.developers.authorRules(scope, author(request.query.author));
        const byAuthor = new Map<string, AuthorRuleRow[]>();
        for (const row of rows) byAuthor.set(row.author, [...(byAuthor.get(row.author) ?? []), row]);
        const items = [...byAuthor].map(([who, rules]) => {
          // Rows arrive most frequent first per author.
          const focus = rules.slice(0, FOCUS_RULES);
          return { author: who, focus, advice: adviceFor(focus) };
        });
        return { ...head(scope, attribution), items };
      },
    );
  };
}
