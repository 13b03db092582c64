import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { RoachError } from '../../domain/errors.js';
import { priorityOfSeverity } from '../../domain/priority.js';
import { checkOutboundUrl } from '../../integrations/net/ssrf-guard.js';
import { tenantJobId } from '../../queue/dedupe-keys.js';
import type { ApiDeps } from '../context.js';
import { access } from '../route-access.js';
import { isValidText, noContent, text, uuid } from '../schemas.js';

// `url` is masked to scheme and host; secrets are write-only.
const channel = z.object({ id: uuid, name: z.string(), type: z.enum(['webhook', 'slack']), url: z.string(), signed: z.boolean(), events: z.array(z.string()).readonly() });
const orgParams = z.object({ org: uuid });

export function notificationRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/code-roach/organizations/:org/channels', { config: access.organization('channels:manage'), schema: { params: orgParams, response: { 200: z.object({ items: z.array(channel) }) } } }, async (request) => ({
      items: await deps.tenants.channels(request.params.org),
    }));

    app.post(
      '/api/code-roach/organizations/:org/channels',
      {
        config: access.organization('channels:manage'),
        schema: {
          params: orgParams,
          body: z.strictObject({
            name: text().min(1).max(100),
            type: z.enum(['webhook', 'slack']),
            url: z.url({ protocol: /^https?$/ }).max(2048).refine(isValidText, { message: 'contains a NUL, a control character or invalid UTF-16' }),
            /** Webhooks: signs this channel's deliveries (HMAC-SHA256) instead of the server-wide secret. */
            secret: text().min(16).max(256).optional(),
            events: z.array(text().min(1).max(100)).max(50).default([]),
          }),
          response: { 201: channel },
        },
      },
      async (request, reply) => {
        // Refused now (clear error to the caller) and again at delivery (the DNS answer may change).
        await checkOutboundUrl(request.body.url, deps.outbound);
        if (request.body.secret && request.body.type !== 'webhook') throw new RoachError('CR_ERR_REQUEST_INVALID', 'Only webhook channels take a signing secret.', { field: 'secret' });
        return reply.status(201).send(await deps.tenants.addChannel(request.params.org, { ...request.body, secret: request.body.secret ?? null }));
      },
    );

    app.delete('/api/code-roach/organizations/:org/channels/:id', { config: access.organization('channels:manage'), schema: { params: orgParams.extend({ id: uuid }), response: { 204: noContent } } }, async (request, reply) => {
      if (!(await deps.tenants.removeChannel(request.params.org, request.params.id))) throw new RoachError('CR_ERR_NOT_FOUND', 'No channel with that id.');
      return reply.status(204).send(null);
    });

    // Queued on `notifications` and delivered by a worker to every channel of the organization that takes this event.
    app.post(
      '/api/code-roach/notifications/send',
      {
        config: access.organization('notify:send', 'body'),
        schema: {
          body: z.strictObject({
            organizationId: uuid,
            event: text().min(1).max(100),
            title: text().min(1).max(300),
            text: text().max(10_000).default(''),
            severity: z.enum(['critical', 'high', 'medium', 'low', 'info']).default('info'),
          }),
          response: { 202: z.object({ kind: z.string(), jobId: z.string(), channels: z.number() }) },
        },
      },
      async (request, reply) => {
        const { organizationId, ...message } = request.body;
        const targets = (await deps.tenants.channels(organizationId)).filter((c) => c.events.length === 0 || c.events.includes(message.event));
        if (targets.length === 0) throw new RoachError('CR_ERR_NOT_FOUND', `No notification channel of this organization takes "${message.event}".`);
        const job = await deps.queue.enqueue(
          'notifications',
          { organizationId, ...message, channels: targets.map((c) => ({ channelId: c.id })) },
          { priority: message.severity === 'info' ? 'normal' : priorityOfSeverity(message.severity), jobId: tenantJobId(organizationId) },
        );
        return reply.status(202).send({ kind: job.kind, jobId: job.id, channels: targets.length });
      },
    );
  };
}
