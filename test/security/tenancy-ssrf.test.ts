import { describe, expect, it } from 'vitest';
import { addressAllowed, checkOutboundUrl } from '../../src/integrations/net/ssrf-guard.js';

const none = { allow: [] };

// Issue 20 point 11: every IPv6 spelling that carries an IPv4 address is judged by that address, or
// (the tunnel forms) refused outright.
describe('SSRF guard: IPv6 forms embedding IPv4', () => {
  it.each([
    ['::7f00:1', '::/96 in hex (127.0.0.1)'],
    ['::127.0.0.1', '::/96 dotted'],
    ['::a9fe:a9fe', '::/96 (169.254.169.254)'],
    ['::ffff:a00:1', '::ffff:0:0/96 (10.0.0.1)'],
    ['::ffff:0:7f00:1', '::ffff:0:0:0/96 (RFC 6145)'],
    ['64:ff9b::7f00:1', '64:ff9b::/96 (127.0.0.1)'],
    ['64:ff9b:1::7f00:1', '64:ff9b:1::/48 local-use NAT64'],
    ['64:ff9b:1:808:8:800::', '64:ff9b:1::/48 even with a public IPv4 inside'],
    ['2002:7f00:1::1', '6to4 2002::/16 (127.0.0.1)'],
    ['2002:808:808::1', '6to4 2002::/16 (8.8.8.8: tunnels are refused)'],
    ['2001:0:4136:e378:8000:63bf:80ff:fffe', 'Teredo 2001::/32'],
    ['2001:db8::1', 'documentation'],
    ['2001:2::1', 'benchmarking'],
    ['fd00:ec2::254', 'unique-local (AWS metadata)'],
    ['fe80::1%eth0', 'link-local with a zone'],
    ['100::1', 'discard'],
    ['255.255.255.255', 'broadcast'],
    ['192.0.0.8', 'IETF protocol assignments'],
  ])('refuses %s (%s)', (address) => {
    expect(addressAllowed(address, none)).toBe(false);
  });

  it.each(['8.8.8.8', '::ffff:8.8.8.8', '::808:808', '64:ff9b::808:808', '2606:4700:4700::1111'])('lets the public address %s through', (address) => {
    expect(addressAllowed(address, none)).toBe(true);
  });

  it('refuses the probed URLs before anything is stored', async () => {
    await expect(checkOutboundUrl('http://[::7f00:1]/', none)).rejects.toMatchObject({ code: 'CR_ERR_URL_FORBIDDEN' });
    await expect(checkOutboundUrl('http://[64:ff9b:1::7f00:1]/', none)).rejects.toMatchObject({ code: 'CR_ERR_URL_FORBIDDEN' });
    await expect(checkOutboundUrl('http://[2002:a9fe:a9fe::]/', none)).rejects.toMatchObject({ code: 'CR_ERR_URL_FORBIDDEN' });
  });

  it('allow-list entries open exactly what they name, in every spelling of it', () => {
    const loopback = { allow: ['127.0.0.1/32'] };
    expect(addressAllowed('::7f00:1', loopback)).toBe(true);
    expect(addressAllowed('64:ff9b::7f00:1', loopback)).toBe(true);
    expect(addressAllowed('2002:7f00:1::1', loopback)).toBe(false);
    expect(addressAllowed('2002:7f00:1::1', { allow: ['2002::/16'] })).toBe(true);
    expect(addressAllowed('::1', { allow: ['::1'] })).toBe(true);
  });

  it('refuses what is not an address at all', () => {
    expect(addressAllowed('not-an-ip', none)).toBe(false);
    expect(addressAllowed('127.1', none)).toBe(false);
  });
});
