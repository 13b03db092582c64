import { lookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
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

type Address = ipaddr.IPv4 | ipaddr.IPv6;
type Range = [Address, number];

const v4 = (bytes: readonly number[]): ipaddr.IPv4 => new ipaddr.IPv4([...bytes]);

/**
 * IPv6 forms that carry an IPv4 address, and where it sits. `transparent` forms are just another
 * spelling of the IPv4 destination (the kernel or a NAT64 gateway turns them into it), so the IPv4
 * address decides; the tunnel forms (NAT64 local-use, 6to4, Teredo) are refused outright unless the
 * IPv6 range itself is allow-listed, since no webhook or git host needs them and their relays reach
 * whatever IPv4 address is inside.
 */
const EMBEDDING: readonly { range: [ipaddr.IPv6, number]; transparent: boolean; ipv4: (b: number[]) => ipaddr.IPv4[] }[] = [
  { range: ipaddr.IPv6.parseCIDR('::ffff:0:0/96'), transparent: true, ipv4: (b) => [v4(b.slice(12))] },
  { range: ipaddr.IPv6.parseCIDR('::ffff:0:0:0/96'), transparent: true, ipv4: (b) => [v4(b.slice(12))] },
  { range: ipaddr.IPv6.parseCIDR('::/96'), transparent: true, ipv4: (b) => [v4(b.slice(12))] },
  { range: ipaddr.IPv6.parseCIDR('64:ff9b::/96'), transparent: true, ipv4: (b) => [v4(b.slice(12))] },
  // RFC 6052 /48 layout: 32 bits after the prefix, with the "u" octet (bits 64-71) skipped.
  { range: ipaddr.IPv6.parseCIDR('64:ff9b:1::/48'), transparent: false, ipv4: (b) => [v4([...b.slice(6, 8), ...b.slice(9, 11)]), v4(b.slice(12))] },
  { range: ipaddr.IPv6.parseCIDR('2002::/16'), transparent: false, ipv4: (b) => [v4(b.slice(2, 6))] },
  // Teredo: the server's address in bits 32-63, the client's (bit-inverted) in the last 32.
  { range: ipaddr.IPv6.parseCIDR('2001::/32'), transparent: false, ipv4: (b) => [v4(b.slice(4, 8)), v4(b.slice(12).map((x) => x ^ 255))] },
];

function allowList(policy: OutboundPolicy): { hosts: Set<string>; ranges: Range[] } {
  const hosts = new Set<string>();
  const ranges: Range[] = [];
  for (const entry of policy.allow) {
    if (entry.includes('/') && ipaddr.isValidCIDR(entry)) ranges.push(ipaddr.parseCIDR(entry));
    else if (isIP(entry)) {
      const address = ipaddr.parse(entry);
      ranges.push([address, address.kind() === 'ipv4' ? 32 : 128]);
    } else hosts.add(entry.toLowerCase());
  }
  return { hosts, ranges };
}

const listed = (address: Address, ranges: readonly Range[]): boolean =>
  ranges.some(([net, prefix]) => net.kind() === address.kind() && address.match(net, prefix));

/**
 * Whether one parsed address may be reached: allow-listed, or ordinary public unicast by ipaddr.js's
 * special-range table (private, loopback, link-local and cloud metadata, CGNAT, multicast, reserved,
 * documentation, benchmarking...), with any IPv4 address embedded in an IPv6 one judged as itself.
 */
function reachable(address: Address, ranges: readonly Range[]): boolean {
  if (listed(address, ranges)) return true;
  if (address.kind() === 'ipv4') return address.range() === 'unicast';
  const v6 = address as ipaddr.IPv6;
  const form = EMBEDDING.find(({ range }) => v6.match(range));
  if (form) return form.transparent && form.ipv4(v6.toByteArray()).every((inner) => reachable(inner, ranges));
  return v6.range() === 'unicast';
}

/** Whether an address may be reached under the policy (refused ranges need an allow-list entry). */
export function addressAllowed(address: string, policy: OutboundPolicy): boolean {
  if (!isIP(address.replace(/%.*$/, ''))) return false;
  return reachable(ipaddr.parse(address), allowList(policy).ranges);
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
