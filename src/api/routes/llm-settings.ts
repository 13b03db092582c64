import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LLM_PROVIDERS } from '../../config/llm.js';
import { RoachError } from '../../domain/errors.js';
import { checkOutboundUrl } from '../../integrations/net/ssrf-guard.js';
import type { ApiDeps } from '../context.js';
import { access } from '../route-access.js';
import { isValidText, noContent, text, uuid } from '../schemas.js';

/**
 * An organization's model for generated fixes (issue 15 point 1), for its admins: provider, model, endpoint,
 * key and monthly budget. The key is write-only (sealed at rest, never answered); workers read it per crawl.
 */

const modelName = text().trim().min(1).max(200);
const settingsView = z.object({
  enabled: z.boolean(),
  provider: z.enum(LLM_PROVIDERS),
  model: z.string(),
  cheapModel: z.string().nullable(),
  baseUrl: z.string().nullable(),
  hasApiKey: z.boolean().describe('Whether a key is stored; the key itself is never returned'),
  monthlyBudgetUsd: z.number().nullable(),
  spentThisMonthUsd: z.number().describe('What the organization’s calls cost since the first of this month (UTC)'),
  updatedAt: z.string(),
});
const orgParams = z.object({ org: uuid });

const settingsBody = z.strictObject({
  enabled: z.boolean().default(true),
  provider: z.enum(LLM_PROVIDERS),
  model: modelName,
  cheapModel: modelName.nullable().default(null).describe('A cheaper model of the same provider for low-severity or simple rules'),
  baseUrl: z
    .url({ protocol: /^https?$/ })
    .max(2048)
    .refine(isValidText, { message: 'contains a NUL, a control character or invalid UTF-16' })
    .nullable()
    .default(null)
    .describe('The endpoint (required for openai-compatible; a gateway or proxy for the others)'),
  apiKey: text()
    .min(1)
    .max(4096)
    .nullable()
    .optional()
    .describe('Write-only. Absent: the stored key is kept while provider and endpoint stay the same, dropped otherwise; null: removed'),
  monthlyBudgetUsd: z.number().min(0).max(1_000_000).nullable().default(null).describe('Calls stop for the month once the organization has spent this much'),
});

export function llmSettingsRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/code-roach/organizations/:org/llm-settings',
      { config: access.organization('llm:manage'), schema: { summary: 'The organization’s model for generated fixes', tags: ['llm'], params: orgParams, response: { 200: settingsView } } },
      async (request) => {
        const settings = await deps.tenants.llmSettings(request.params.org);
        if (!settings) throw new RoachError('CR_ERR_NOT_FOUND', 'This organization has no model settings: its crawls use the workers’ environment (ROACH_LLM_PROVIDER), and with none no code is sent.');
        return settings;
      },
    );

    app.put(
      '/api/code-roach/organizations/:org/llm-settings',
      { config: access.organization('llm:manage'), schema: { summary: 'Set the organization’s model, key and monthly budget', tags: ['llm'], params: orgParams, body: settingsBody, response: { 200: settingsView } } },
      async (request) => {
        const body = request.body;
        if (body.provider === 'openai-compatible' && !body.baseUrl) throw new RoachError('CR_ERR_REQUEST_INVALID', 'An openai-compatible provider needs baseUrl, the endpoint (e.g. http://ollama.internal:11434/v1).', { field: 'baseUrl' });
        // The endpoint receives code and the key: refused now when it is private and not allowed, and again before each crawl.
        if (body.baseUrl) await checkOutboundUrl(body.baseUrl, deps.outbound);
        return deps.tenants.putLlmSettings(request.params.org, body);
      },
    );

    app.delete(
      '/api/code-roach/organizations/:org/llm-settings',
      { config: access.organization('llm:manage'), schema: { summary: 'Remove the organization’s model settings and key', tags: ['llm'], params: orgParams, response: { 204: noContent } } },
      async (request, reply) => {
        if (!(await deps.tenants.removeLlmSettings(request.params.org))) throw new RoachError('CR_ERR_NOT_FOUND', 'This organization has no model settings.');
        return reply.status(204).send(null);
      },
    );
  };
}
