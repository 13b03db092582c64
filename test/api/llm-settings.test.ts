import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecretBox } from '../../src/domain/secret-box.js';
import type { SecretBox } from '../../src/domain/secret-box.js';
import { createJobHandlers } from '../../src/main/job-handlers.js';
import { resealSecrets } from '../../src/main/secret-key.js';
import { createPipelineStore } from '../../src/store/pipeline-store.js';
import { createTenantStore } from '../../src/store/tenant-store.js';
import type { Database } from '../../src/store/sql.js';
import { testApi } from '../helpers/api.js';
import { chatCompletion, startLlmStub } from '../helpers/llm-server.js';
import { cleanupTemp, tempTree } from '../helpers/project.js';

const SECRET = 'a-shared-secret-of-at-least-32-characters!';
const KEY = randomBytes(32);
let app: FastifyInstance;
let db: Database;
let secrets: SecretBox;
let orgId: string;
const as = async (subject: string) => ({
  authorization: `Bearer ${await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(subject).setExpirationTime('5m').sign(new TextEncoder().encode(SECRET))}`,
});
const url = () => `/api/code-roach/organizations/${orgId}/llm-settings`;
const ORG_KEY = 'sk-org-key-0123456789';

beforeAll(async () => {
  ({ app, db, secrets } = await testApi({ JWT_SECRET: SECRET, ROACH_OUTBOUND_ALLOW: '127.0.0.1/32', ROACH_SECRET_KEY: KEY.toString('base64') }));
  orgId = (await app.inject({ method: 'POST', url: '/api/code-roach/organizations', headers: await as('olga'), payload: { slug: 'llm-org', name: 'LLM Org' } })).json().id;
  await app.inject({ method: 'PUT', url: `/api/code-roach/organizations/${orgId}/members/mo`, headers: await as('olga'), payload: { role: 'member' } });
});
afterAll(async () => {
  await app.close();
  await db.close();
  await cleanupTemp();
});

describe("an organization's model for generated fixes (service mode)", () => {
  it('is set by admins only, keeps the key sealed and never answers it', async () => {
    const body = { provider: 'openai', model: 'gpt-4.1-mini', apiKey: ORG_KEY, monthlyBudgetUsd: 25 };
    expect((await app.inject({ method: 'PUT', url: url(), headers: await as('mo'), payload: body })).statusCode).toBe(403);
    expect((await app.inject({ url: url(), headers: await as('mo') })).statusCode).toBe(403);
    expect((await app.inject({ url: url(), headers: await as('olga') })).statusCode).toBe(404);

    const put = await app.inject({ method: 'PUT', url: url(), headers: await as('olga'), payload: body });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ enabled: true, provider: 'openai', model: 'gpt-4.1-mini', cheapModel: null, baseUrl: null, hasApiKey: true, monthlyBudgetUsd: 25, spentThisMonthUsd: 0 });
    const got = await app.inject({ url: url(), headers: await as('olga') });
    expect(JSON.stringify(got.json())).not.toContain(ORG_KEY);
    const [row] = await db.query<{ api_key_sealed: string }>('SELECT api_key_sealed FROM code_roach_llm_settings WHERE organization_id = $1', [orgId]);
    expect(row?.api_key_sealed).toMatch(/^v1\./);
    expect(row?.api_key_sealed).not.toContain(ORG_KEY);
    expect(secrets.open(row?.api_key_sealed as string)).toBe(ORG_KEY);
    const audit = (await app.inject({ url: `/api/code-roach/organizations/${orgId}/audit`, headers: await as('olga') })).json() as { items: { action: string }[] };
    expect(audit.items.map((entry) => entry.action)).toContain('PUT /api/code-roach/organizations/:org/llm-settings');
    expect(JSON.stringify(audit)).not.toContain(ORG_KEY);
  });

  it('keeps the stored key only while provider and endpoint stay the same, so it is never sent elsewhere', async () => {
    const same = await app.inject({ method: 'PUT', url: url(), headers: await as('olga'), payload: { provider: 'openai', model: 'gpt-4.1', monthlyBudgetUsd: 25 } });
    expect(same.json()).toMatchObject({ model: 'gpt-4.1', hasApiKey: true });
    const moved = await app.inject({ method: 'PUT', url: url(), headers: await as('olga'), payload: { provider: 'openai', model: 'gpt-4.1', baseUrl: 'http://127.0.0.1:9/v1' } });
    expect(moved.json()).toMatchObject({ baseUrl: 'http://127.0.0.1:9/v1', hasApiKey: false });
  });

  it('refuses an endpoint the outbound policy does not allow, and openai-compatible without one', async () => {
    const metadata = await app.inject({ method: 'PUT', url: url(), headers: await as('olga'), payload: { provider: 'openai-compatible', model: 'm', baseUrl: 'http://169.254.169.254/v1' } });
    expect(metadata.statusCode).toBe(422);
    expect(metadata.json().error).toMatchObject({ code: 'CR_ERR_URL_FORBIDDEN' });
    const missing = await app.inject({ method: 'PUT', url: url(), headers: await as('olga'), payload: { provider: 'openai-compatible', model: 'm' } });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.message).toMatch(/needs baseUrl/);
    const unknown = await app.inject({ method: 'PUT', url: url(), headers: await as('olga'), payload: { provider: 'openai', model: 'm', key: 'x' } });
    expect(unknown.statusCode).toBe(400);
  });

  it("drives the worker's crawls: the organization's endpoint and key, its monthly budget, its spending", async () => {
    const stub = await startLlmStub(() => ({ json: chatCompletion(JSON.stringify({ edits: [{ find: 'res.redirect(req.query.next);', replace: "res.redirect('/');" }], explanation: 'Home instead.' })) }));
    try {
      const put = await app.inject({
        method: 'PUT',
        url: url(),
        headers: await as('olga'),
        payload: { provider: 'openai-compatible', model: 'gpt-4o-mini', baseUrl: stub.baseUrl, apiKey: 'org-local-key-77', monthlyBudgetUsd: 1 },
      });
      expect(put.statusCode).toBe(200);
      const tenants = createTenantStore(db, secrets);
      const dir = await tempTree('roach-org-llm-', {
        'src/login.js': "const express = require('express');\nconst app = express();\n\napp.get('/login', (req, res) => {\n  res.redirect(req.query.next);\n});\n",
        // the repository may not move its code elsewhere in the service: said in the report, the organization's model used
        '.roach.yml': 'llm:\n  provider: anthropic\n',
      });
      const project = await tenants.registerProject(orgId, dir, 'shop');
      const handlers = createJobHandlers({ pipeline: createPipelineStore(db), tenants, webhookSecret: null, threads: 1, outbound: { allow: ['127.0.0.1/32'] } });
      const context = { jobId: 'llm-1', attempt: 1, signal: new AbortController().signal, progress: async () => undefined };
      const result = await handlers['codebase-crawl']({ organizationId: orgId, projectId: project.id, apply: false, generateFixes: true }, context);
      expect(result).toMatchObject({ llm: { model: 'openai-compatible:gpt-4o-mini', calls: 1, cached: 0 } });
      expect(stub.requests).toHaveLength(1);
      expect(stub.requests[0]?.headers.authorization).toBe('Bearer org-local-key-77');
      const spent = (await app.inject({ url: url(), headers: await as('olga') })).json() as { spentThisMonthUsd: number };
      expect(spent.spentThisMonthUsd).toBeCloseTo((812 * 0.15 + 64 * 0.6) / 1_000_000, 12);

      // the month's budget spent: the next crawl asks nothing
      await app.inject({ method: 'PUT', url: url(), headers: await as('olga'), payload: { provider: 'openai-compatible', model: 'gpt-4o-mini', baseUrl: stub.baseUrl, monthlyBudgetUsd: 0.0001 } });
      await writeFile(`${dir}/src/logout.js`, "const app = require('./app');\n\napp.get('/logout', (req, res) => {\n  res.redirect(req.query.back);\n});\n");
      const second = await handlers['codebase-crawl']({ organizationId: orgId, projectId: project.id, apply: false, generateFixes: true }, { ...context, jobId: 'llm-2' });
      expect(second).toMatchObject({ llm: { calls: 0 } });
      expect(stub.requests).toHaveLength(1);

      // turned off by the organization: no model at all, whatever the workers' environment says
      await app.inject({ method: 'PUT', url: url(), headers: await as('olga'), payload: { enabled: false, provider: 'openai-compatible', model: 'gpt-4o-mini', baseUrl: stub.baseUrl } });
      const third = await handlers['codebase-crawl']({ organizationId: orgId, projectId: project.id, apply: false, generateFixes: true }, { ...context, jobId: 'llm-3' });
      expect(third).toMatchObject({ llm: null });
    } finally {
      await stub.close();
    }
  }, 60_000);

  it('re-seals the stored key under a rotated secret key, and is removed with DELETE', async () => {
    await app.inject({ method: 'PUT', url: url(), headers: await as('olga'), payload: { provider: 'anthropic', model: 'claude-haiku-4-5', apiKey: ORG_KEY } });
    const next = randomBytes(32);
    expect(await resealSecrets(db, createSecretBox(next, [KEY]))).toBeGreaterThanOrEqual(1);
    const [row] = await db.query<{ api_key_sealed: string }>('SELECT api_key_sealed FROM code_roach_llm_settings WHERE organization_id = $1', [orgId]);
    expect(createSecretBox(next).open(row?.api_key_sealed as string)).toBe(ORG_KEY);
    expect((await app.inject({ method: 'DELETE', url: url(), headers: await as('olga') })).statusCode).toBe(204);
    expect((await app.inject({ method: 'DELETE', url: url(), headers: await as('olga') })).statusCode).toBe(404);
  });
});
