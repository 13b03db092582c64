import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressAllowed, checkOutboundUrl, postGuarded, resolveAllowed } from '../../src/integrations/net/ssrf-guard.js';

const none = { allow: [] };

describe('SSRF guard', () => {
  it.each([
    ['127.0.0.1', false], ['10.1.2.3', false], ['172.20.0.1', false], ['192.168.1.1', false], ['169.254.169.254', false],
    ['100.100.100.200', false], ['0.0.0.0', false], ['224.0.0.1', false], ['8.8.8.8', true], ['93.184.216.34', true],
    ['::1', false], ['::', false], ['fe80::1', false], ['fd00:ec2::254', false], ['ff02::1', false],
    ['::ffff:127.0.0.1', false], ['::ffff:7f00:1', false], ['::ffff:169.254.169.254', false], ['64:ff9b::a00:1', false],
    ['::ffff:8.8.8.8', true], ['2606:4700:4700::1111', true],
  ] as const)('%s allowed without an allow-list: %s', (address, allowed) => {
    expect(addressAllowed(address, none)).toBe(allowed);
  });

  it('lets the allow-list open exact ranges only, IPv4-mapped forms included', () => {
    const policy = { allow: ['127.0.0.1/32', '10.5.0.0/16'] };
    expect(addressAllowed('127.0.0.1', policy)).toBe(true);
    expect(addressAllowed('::ffff:127.0.0.1', policy)).toBe(true);
    expect(addressAllowed('127.0.0.2', policy)).toBe(false);
    expect(addressAllowed('10.5.9.9', policy)).toBe(true);
    expect(addressAllowed('10.6.0.1', policy)).toBe(false);
  });

  it('resolves names and refuses when any address is private; allowed host names pass', async () => {
    await expect(resolveAllowed('localhost', none)).rejects.toMatchObject({ code: 'CR_ERR_URL_FORBIDDEN' });
    await expect(resolveAllowed('localhost', { allow: ['localhost'] })).resolves.not.toHaveLength(0);
    await expect(checkOutboundUrl('http://[::1]:8080/x', none)).rejects.toThrow(/::1/);
    await expect(checkOutboundUrl('http://user:pw@example.com/', none)).rejects.toThrow(/credentials/);
    await expect(checkOutboundUrl('ftp://example.com/', none)).rejects.toThrow(/http and https/);
    await expect(resolveAllowed('no-such-host.invalid', none)).rejects.toThrow(/does not resolve/);
  });

  describe('delivery', () => {
    const received: string[] = [];
    let base = '';
    const server = createServer((request, response) => {
      received.push(request.url ?? '');
      if (request.url === '/redirect') {
        response.writeHead(302, { location: `${base}/internal` }).end();
        return;
      }
      response.writeHead(204).end();
    });
    beforeAll(async () => {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const post = (url: string, policy: { allow: readonly string[] }) => postGuarded(url, { headers: { 'content-type': 'application/json' }, body: '{}', timeoutMs: 5000 }, policy);

    it('refuses a private receiver at connect time unless allowed, by literal or by name', async () => {
      received.length = 0;
      await expect(post(`${base}/hook`, none)).rejects.toMatchObject({ code: 'CR_ERR_URL_FORBIDDEN' });
      await expect(post(`${base.replace('127.0.0.1', 'localhost')}/hook`, none)).rejects.toThrow(/ROACH_OUTBOUND_ALLOW/);
      expect(received).toEqual([]);
      expect(await post(`${base}/hook`, { allow: ['127.0.0.1/32'] })).toBe(204);
      expect(await post(`${base.replace('127.0.0.1', 'localhost')}/hook`, { allow: ['localhost'] })).toBe(204);
      expect(received).toEqual(['/hook', '/hook']);
    });

    it('never follows redirects', async () => {
      received.length = 0;
      expect(await post(`${base}/redirect`, { allow: ['127.0.0.1/32'] })).toBe(302);
      expect(received).toEqual(['/redirect']);
    });
  });
});
