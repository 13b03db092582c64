import { createHmac, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecretBox } from '../../src/domain/secret-box.js';
import type { SecretBox } from '../../src/domain/secret-box.js';
import { createJobHandlers } from '../../src/main/job-handlers.js';
import { resealSecrets } from '../../src/main/secret-key.js';
import type { JobContext } from '../../src/queue/ports.js';
import { createPipelineStore } from '../../src/store/pipeline-store.js';
import { createTenantStore } from '../../src/store/tenant-store.js';
import type { Database } from '../../src/store/sql.js';
import { testApi } from '../helpers/api.js';

const SECRET = 'a-shared-secret-of-at-least-32-characters!';
let app: FastifyInstance;
let db: Database;
let secrets: SecretBox;
let orgId: string;
const KEY = randomBytes(32);
const headers = async () => ({
  authorization: `Bearer ${await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('carol').setExpirationTime('5m').sign(new TextEncoder().encode(SECRET))}`,
});

beforeAll(async () => {
  ({ app, db, secrets } = await testApi({ JWT_SECRET: SECRET, ROACH_OUTBOUND_ALLOW: '127.0.0.1/32', ROACH_SECRET_KEY: KEY.toString('base64') }));
  orgId = (await app.inject({ method: 'POST', url: '/api/code-roach/organizations', headers: await headers(), payload: { slug: 'chan', name: 'Chan' } })).json().id;
});
afterAll(async () => {
  await app.close();
  await db.close();
});

describe('notification channels: secrets sealed at rest, URLs guarded', () => {
  const url = (path: string) => `/api/code-roach/organizations/${orgId}${path}`;

  it('refuses private and metadata destinations that the allow-list does not open, with a clear error', async () => {
    for (const target of ['http://169.254.169.254/latest/meta-data', 'http://10.0.0.5/hook', 'http://[::ffff:127.0.0.2]/hook', 'http://127.0.0.2:9/hook']) {
      const refused = await app.inject({ method: 'POST', url: url('/channels'), headers: await headers(), payload: { name: 'bad', type: 'webhook', url: target } });
      expect(refused.statusCode, target).toBe(422);
      expect(refused.json().error).toMatchObject({ code: 'CR_ERR_URL_FORBIDDEN' });
    }
    const allowed = await app.inject({ method: 'POST', url: url('/channels'), headers: await headers(), payload: { name: 'local', type: 'webhook', url: 'http://127.0.0.1:9/hook' } });
    expect(allowed.statusCode).toBe(201);
  });

  it('stores URL and signing secret sealed, answers masked, and never returns the secret', async () => {
    const created = await app.inject({
      method: 'POST',
      url: url('/channels'),
      headers: await headers(),
      payload: { name: 'ops', type: 'webhook', url: 'http://127.0.0.1:9/services/T0/B0/token-in-path', secret: 'channel-signing-secret-1234' },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ name: 'ops', url: 'http://127.0.0.1:9/***', signed: true });
    const listed = await app.inject({ url: url('/channels'), headers: await headers() });
    expect(JSON.stringify(listed.json())).not.toMatch(/token-in-path|channel-signing-secret/);
    const [row] = await db.query<{ url: string | null; url_sealed: string; secret_sealed: string }>('SELECT url, url_sealed, secret_sealed FROM notification_channels WHERE name = $1', ['ops']);
    expect(row?.url).toBeNull();
    expect(row?.url_sealed).toMatch(/^v1\./);
    expect(row?.url_sealed).not.toContain('token');
    expect(secrets.open(row?.secret_sealed as string)).toBe('channel-signing-secret-1234');
    const slackSecret = await app.inject({ method: 'POST', url: url('/channels'), headers: await headers(), payload: { name: 's', type: 'slack', url: 'http://127.0.0.1:9/x', secret: 'x'.repeat(20) } });
    expect(slackSecret.statusCode).toBe(400);
  });

  it('delivers a stored channel by id: opened only in the worker, signed with its own secret, refused when the allow-list does not cover it', async () => {
    const received: { body: string; signature: string }[] = [];
    const receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        received.push({ body, signature: String(request.headers['x-roach-signature']) });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
      const created = await app.inject({ method: 'POST', url: url('/channels'), headers: await headers(), payload: { name: 'signed', type: 'webhook', url: hook, secret: 'per-channel-secret-0001' } });
      const channelId = created.json().id as string;
      const tenants = createTenantStore(db, secrets);
      const message = { organizationId: orgId, event: 'e', title: 'T', text: '', severity: 'info' as const, channels: [{ channelId }] };
      const context = {} as JobContext;
      const allowed = createJobHandlers({ pipeline: createPipelineStore(db), tenants, webhookSecret: 'server-wide-secret-000', outbound: { allow: ['127.0.0.1/32'] } });
      expect(await allowed.notifications(message, context)).toMatchObject({ delivered: 1 });
      const [t, v1] = (received[0]?.signature ?? '').split(',').map((part) => part.split('=')[1]);
      expect(v1).toBe(createHmac('sha256', 'per-channel-secret-0001').update(`${t}.${received[0]?.body}`).digest('hex'));
      // The same stored channel, delivered by a worker whose allow-list does not cover loopback: refused, not retried.
      const strict = createJobHandlers({ pipeline: createPipelineStore(db), tenants, webhookSecret: null, outbound: { allow: [] } });
      await expect(strict.notifications(message, context)).rejects.toMatchObject({ code: 'CR_ERR_URL_FORBIDDEN' });
      expect(received).toHaveLength(1);
    } finally {
      receiver.close();
    }
  });

  it('seals plaintext rows from before and re-seals rows of a rotated key at start-up', async () => {
    await db.query(`INSERT INTO notification_channels (organization_id, name, type, url) VALUES ($1, 'legacy', 'slack', 'https://hooks.slack.com/services/legacy-token')`, [orgId]);
    // Until a process with the key seals it, the old row keeps working, masked like the others.
    const listed = (await app.inject({ url: url('/channels'), headers: await headers() })).json();
    expect(listed.items).toContainEqual(expect.objectContaining({ name: 'legacy', url: 'https://hooks.slack.com/***', signed: false }));
    expect(await resealSecrets(db, secrets)).toBe(1);
    const [legacy] = await db.query<{ url: string | null; url_sealed: string }>(`SELECT url, url_sealed FROM notification_channels WHERE name = 'legacy'`);
    expect(legacy?.url).toBeNull();
    expect(secrets.open(legacy?.url_sealed as string)).toBe('https://hooks.slack.com/services/legacy-token');
    expect(await resealSecrets(db, secrets)).toBe(0);

    // Without the old key among the previous ones, rotation stops with a clear error instead of losing secrets.
    await expect(resealSecrets(db, createSecretBox(randomBytes(32)))).rejects.toMatchObject({ code: 'CR_ERR_SECRET_UNREADABLE' });
    const next = randomBytes(32);
    const count = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM notification_channels'))[0]?.n;
    expect(await resealSecrets(db, createSecretBox(next, [KEY]))).toBe(count);
    const rows = await db.query<{ url_sealed: string }>('SELECT url_sealed FROM notification_channels');
    const nextOnly = createSecretBox(next);
    expect(rows.every((r) => !nextOnly.needsRotation(r.url_sealed))).toBe(true);
    expect(rows.map((r) => nextOnly.open(r.url_sealed))).toContain('https://hooks.slack.com/services/legacy-token');
  });
});
