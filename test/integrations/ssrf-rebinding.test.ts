import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type * as Dns from 'node:dns/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// A resolver whose answer changes between the check at channel creation and the delivery: DNS rebinding.
const answer = vi.hoisted(() => ({ address: '93.184.216.34', family: 4 }));
vi.mock('node:dns/promises', async (importOriginal) => {
  const real = await importOriginal<typeof Dns>();
  return { ...real, lookup: async () => [answer] };
});
const { checkOutboundUrl, postGuarded } = await import('../../src/integrations/net/ssrf-guard.js');

describe('SSRF guard against DNS rebinding', () => {
  let port = 0;
  let hits = 0;
  const server = createServer((_request, response) => {
    hits++;
    response.writeHead(204).end();
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('accepts a name that is public when the channel is created and refuses it when it points inside at delivery', async () => {
    await expect(checkOutboundUrl(`http://rebind.example.test:${port}/hook`, { allow: [] })).resolves.toBeUndefined();
    answer.address = '127.0.0.1';
    await expect(postGuarded(`http://rebind.example.test:${port}/hook`, { headers: {}, body: '{}', timeoutMs: 5000 }, { allow: [] })).rejects.toMatchObject({ code: 'CR_ERR_URL_FORBIDDEN' });
    expect(hits).toBe(0);
    // The connection goes to the address that was checked: allowed, it reaches the local receiver.
    expect(await postGuarded(`http://rebind.example.test:${port}/hook`, { headers: {}, body: '{}', timeoutMs: 5000 }, { allow: ['127.0.0.1/32'] })).toBe(204);
    expect(hits).toBe(1);
  });
});
