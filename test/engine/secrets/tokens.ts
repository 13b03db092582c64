import { base62Crc32 } from '../../../src/engine/secrets/detectors.js';

/**
 * Credentials of each provider's shape, built at run time from a seeded generator: random enough to pass
 * the entropy and checksum checks, never issued by anyone, and not sitting in the repository as literals
 * (so the repository's own secrets scan does not report its tests).
 */
let seed = 0x2f6b1d;
/** mulberry32: small, seeded, and uniform enough in every bit (a plain LCG's low bits cycle). */
function next(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return (t ^ (t >>> 14)) >>> 0;
}

export const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const HEXLOWER = '0123456789abcdef';
const UPPER32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const B64 = `${ALNUM}+/`;

export function random(length: number, alphabet = ALNUM): string {
  let out = '';
  while (out.length < length) out += alphabet[next() % alphabet.length];
  // Digits guaranteed: a value without one is treated as a word, not a secret.
  return /[0-9]/.test(out) || !/[0-9]/.test(alphabet) ? out : `${out.slice(0, -1)}7`;
}

function withChecksum(prefix: string): string {
  const body = random(30);
  return `${prefix}${body}${base62Crc32(body)}`;
}

function jwtPart(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function pemBody(): string {
  return Array.from({ length: 4 }, () => random(64, B64)).join('\n');
}

export const T = {
  akia: `AKIA${random(16, UPPER32)}`,
  awsSecret: random(40, B64),
  ghp: withChecksum('ghp_'),
  ghpBadChecksum: `ghp_${random(36)}`,
  githubPat: `github_pat_${random(22)}_${random(59)}`,
  glpat: `glpat-${random(20)}`,
  slackBot: `xoxb-${random(12, '0123456789')}-${random(13, '0123456789')}-${random(24)}`,
  slackWebhook: `https://hooks.slack.com/services/T${random(8, UPPER32)}/B${random(8, UPPER32)}/${random(24)}`,
  stripe: `sk_live_${random(24)}`,
  stripeTest: `sk_test_${random(24)}`,
  google: `AIza${random(35)}`,
  npm: withChecksum('npm_'),
  npmBadChecksum: `npm_${random(36)}`,
  pypi: `pypi-AgEIcHlwaS5vcmc${random(60)}`,
  openaiProject: `sk-proj-${random(64)}`,
  openaiLegacy: `sk-${random(20)}T3BlbkFJ${random(20)}`,
  anthropic: `sk-ant-api03-${random(93)}AA`,
  twilio: `SK${random(32, HEXLOWER)}`,
  sendgrid: `SG.${random(22)}.${random(43)}`,
  mailgun: `key-${random(32, HEXLOWER)}`,
  azureKey: `${random(86, B64)}==`,
  dbPassword: random(18),
  urlPassword: random(16),
  jwt: `${jwtPart({ alg: 'HS256', typ: 'JWT' })}.${jwtPart({ sub: '1234567890', name: 'Ada', iat: 1516239022 })}.${random(43)}`,
  jwtExpired: `${jwtPart({ alg: 'HS256', typ: 'JWT' })}.${jwtPart({ sub: 'admin', created: 1538991179080, exp: 1539595979 })}.${random(43)}`,
  jwtNone: `${jwtPart({ alg: 'none', typ: 'JWT' })}.${jwtPart({ sub: '1234567890', name: 'Ada', iat: 1516239022 })}.${random(43)}`,
  generic: random(32),
  genericHex: random(40, HEXLOWER),
  pem: `-----BEGIN RSA PRIVATE KEY-----\n${pemBody()}\n-----END RSA PRIVATE KEY-----`,
  pemEncrypted: `-----BEGIN ENCRYPTED PRIVATE KEY-----\n${pemBody()}\n-----END ENCRYPTED PRIVATE KEY-----`,
  pemLegacyEncrypted: `-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,3F17F5316E2BAC89\n\n${pemBody()}\n-----END RSA PRIVATE KEY-----`,
  cosignKey: `-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n${pemBody()}\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----`,
  pemJson: `-----BEGIN PRIVATE KEY-----\\n${pemBody().replaceAll('\n', '\\n')}\\n-----END PRIVATE KEY-----\\n`,
} as const;
