import { lookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { BlockList, isIP } from 'node:net';
import { RoachError } from '../../domain/errors.js';

/**
 * Which otherwise-refused destinations outgoing requests may reach: exact host names (`localhost`) or
 * address ranges in CIDR form (`127.0.0.1/32`, `10.1.0.0/16`, `::1/128`). Empty: public addresses only.
 */
export interface OutboundPolicy {
  readonly allow: readonly string[];
}

export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Private, loopback, link-local (cloud metadata at 169.254.169.254 / fd00:ec2::254), CGNAT, multicast and reserved ranges. */
const REFUSED = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.0.0.0', 24],
  ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) REFUSED.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8], ['2001:db8::', 32], ['100::', 64], ['2002::', 16],
] as const) REFUSED.addSubnet(net, prefix, 'ipv6');

/** The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible or NAT64 (64:ff9b::/96) IPv6 address. */
function embeddedIpv4(address: string): string | null {
  const lower = address.toLowerCase();
  const dotted = /^(?:::ffff:(?:0:)?|::|64:ff9b::)(\d{1,3}(?:\.\d{1,3}){3})$/.exec(lower);
  if (dotted?.[1]) return dotted[1];
  const hex = /^(?:::ffff:(?:0:)?|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (hex?.[1] && hex[2]) {
    const high = parseInt(hex[1], 16);
    const low = parseInt(hex[2], 16);
    return [high >> 8, high & 255, low >> 8, low & 255].join('.');
  }
  return null;
}

function allowList(policy: OutboundPolicy): { hosts: Set<string>; ranges: BlockList } {
  const hosts = new Set<string>();
  const ranges = new BlockList();
  for (const entry of policy.allow) {
    const [net, prefix] = entry.split('/');
    const family = net ? isIP(net) : 0;
    if (family && prefix !== undefined) ranges.addSubnet(net as string, Number(prefix), family === 4 ? 'ipv4' : 'ipv6');
    else if (family) ranges.addAddress(net as string, family === 4 ? 'ipv4' : 'ipv6');
    else hosts.add(entry.toLowerCase());
  }
  return { hosts, ranges };
}

/** Whether an address may be reached under the policy (refused ranges need an allow-list entry). */
export function addressAllowed(address: string, policy: OutboundPolicy): boolean {
  const { ranges } = allowList(policy);
  const mapped = isIP(address) === 6 ? embeddedIpv4(address) : null;
  const checks: [string, 'ipv4' | 'ipv6'][] = mapped ? [[mapped, 'ipv4'], [address, 'ipv6']] : [[address, isIP(address) === 4 ? 'ipv4' : 'ipv6']];
  return checks.every(([a, type]) => !REFUSED.check(a, type) || ranges.check(a, type));
}

/**
 * Resolves `hostname` and returns its addresses if every one may be reached; otherwise refuses with
 * CR_ERR_URL_FORBIDDEN. Every address must pass, so a name with one public and one private record
 * cannot be used to reach the private one.
 */
export async function resolveAllowed(hostname: string, policy: OutboundPolicy): Promise<ResolvedAddress[]> {
  const bare = hostname.replace(/^\[|\]$/g, '');
  const literal = isIP(bare);
  const addresses: ResolvedAddress[] = literal
    ? [{ address: bare, family: literal as 4 | 6 }]
    : (await lookup(bare, { all: true, verbatim: true }).catch((error: unknown) => {
        throw new RoachError('CR_ERR_URL_FORBIDDEN', `${bare} does not resolve: ${(error as Error).message}`, { host: bare });
      })).map((a) => ({ address: a.address, family: a.family as 4 | 6 }));
  if (!literal && allowList(policy).hosts.has(bare.toLowerCase())) return addresses;
  const refused = addresses.find((a) => !addressAllowed(a.address, policy));
  if (refused) {
    throw new RoachError('CR_ERR_URL_FORBIDDEN', `${bare} resolves to ${refused.address}, a private, loopback, link-local or reserved address; add it to ROACH_OUTBOUND_ALLOW to permit it.`, { host: bare, address: refused.address });
  }
  return addresses;
}

/** Checks an outgoing URL before it is stored: http(s) only, no credentials in it, a destination the policy allows. */
export async function checkOutboundUrl(url: string, policy: OutboundPolicy): Promise<void> {
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new RoachError('CR_ERR_URL_FORBIDDEN', `Only http and https URLs are allowed, not ${parsed.protocol}`);
  if (parsed.username || parsed.password) throw new RoachError('CR_ERR_URL_FORBIDDEN', 'URLs with credentials (user:password@) are refused.');
  await resolveAllowed(parsed.hostname, policy);
}

/** A DNS lookup for sockets that only ever connects to addresses the policy allows, checked when connecting. */
function guardedLookup(policy: OutboundPolicy): LookupFunction {
  return (hostname, options, callback) => {
    resolveAllowed(hostname, policy).then(
      (addresses) => {
        const wanted = addresses.filter((a) => !options.family || a.family === options.family);
        if (options.all) (callback as unknown as (e: null, list: ResolvedAddress[]) => void)(null, wanted);
        else if (wanted[0]) callback(null, wanted[0].address, wanted[0].family);
        else callback(Object.assign(new Error(`${hostname}: no address of family ${options.family}`), { code: 'ENOTFOUND' }), '', 4);
      },
      (error: Error) => callback(error as NodeJS.ErrnoException, '', 4),
    );
  };
}

/**
 * POSTs `body` to a user-supplied URL. The destination is checked when the socket connects (so a DNS
 * answer that changed since the URL was stored, i.e. DNS rebinding, is refused too) and redirects
 * are never followed: a 3xx is just the answer. Resolves with the status code.
 */
export async function postGuarded(url: string, request: { headers: Record<string, string>; body: string; timeoutMs: number }, policy: OutboundPolicy): Promise<number> {
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new RoachError('CR_ERR_URL_FORBIDDEN', `Only http and https URLs are allowed, not ${parsed.protocol}`);
  // Node connects to IP literals without a lookup: check those here.
  if (isIP(parsed.hostname.replace(/^\[|\]$/g, ''))) await resolveAllowed(parsed.hostname, policy);
  const client = parsed.protocol === 'https:' ? https : http;
  return new Promise<number>((resolve, reject) => {
    const outgoing = client.request(
      parsed,
      { method: 'POST', headers: { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) }, lookup: guardedLookup(policy), timeout: request.timeoutMs, agent: false },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${request.timeoutMs} ms`)));
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
}
