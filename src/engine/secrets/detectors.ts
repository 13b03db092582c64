import { crc32 } from 'node:zlib';
import type { InTestsPolicy } from '../../domain/code-role.js';
import type { Severity } from '../../domain/severity.js';

/**
 * One provider format. `pattern` is tested against candidate text (a string literal's content, a comment,
 * or a text file) only when the text holds one of `keywords` (lower-cased), which keeps the scan cheap.
 * The capture group `secret` is the part that is masked and hashed; `validate` rejects look-alikes
 * where the provider has a checksum or a structure to check.
 */
export interface FormatDetector {
  readonly pattern: RegExp;
  readonly keywords: readonly string[];
  readonly validate?: (secret: string) => boolean;
}

/**
 * A value assigned to a name: `nameWords` must all appear among the name's words (e.g. aws + secret), and
 * the value must match `value` as a whole. Used for secrets with no recognisable prefix.
 */
export interface AssignmentDetector {
  readonly nameWords: readonly string[];
  readonly value: RegExp;
}

export interface SecretRule {
  readonly id: string;
  readonly provider: string;
  readonly severity: Severity;
  readonly message: string;
  readonly doc: { readonly rationale: string; readonly bad: string; readonly good: string };
  readonly formats: readonly FormatDetector[];
  readonly assignments: readonly AssignmentDetector[];
  /**
   * In test, fixture, example and benchmark code. `keep` for provider tokens (a live token committed in a
   * test leaks like any other: the test is in the repository too); lower for what tests make up on purpose:
   * keys and certificates of local TLS servers, passwords of local databases, signed JWTs, random strings.
   */
  readonly inTests: InTestsPolicy;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function base62(value: number, width: number): string {
  let out = '';
  let rest = value;
  while (rest > 0) {
    out = BASE62[rest % 62] + out;
    rest = Math.floor(rest / 62);
  }
  return out.padStart(width, '0');
}

/**
 * GitHub (and npm) tokens end in 6 base62 characters holding the CRC32 of the 30 random ones before
 * them, so a made-up string of the right shape is told apart from an issued token.
 */
export function hasBase62Crc32(token: string): boolean {
  const body = token.slice(token.indexOf('_') + 1);
  if (body.length !== 36) return false;
  return base62Crc32(body.slice(0, 30)) === body.slice(30);
}

/** The 6-character checksum GitHub and npm append to a token's 30 random characters. */
export function base62Crc32(random: string): string {
  return base62(crc32(random), 6);
}

/** A PEM block with a real body (64+ base64 characters), not a documentation stub such as `...`. */
export function hasKeyBody(block: string): boolean {
  const body = block
    .replace(/^-----BEGIN[^\n\\]*-----/, '')
    .replace(/-----END[\s\S]*$/, '')
    .replace(/\\[nr]/g, '\n')
    .split('\n')
    .filter((line) => !line.includes(':'))
    .join('')
    .replace(/\s/g, '');
  return body.length >= 64 && /^[A-Za-z0-9+/=]+$/.test(body);
}

/**
 * A passphrase-protected key: PKCS#8 `ENCRYPTED PRIVATE KEY`, Sigstore/cosign `ENCRYPTED SIGSTORE PRIVATE KEY`,
 * or a legacy PEM block with `Proc-Type: 4,ENCRYPTED`. Useless without its passphrase (the secret that
 * matters, kept elsewhere), and tools such as cosign write them to be stored beside the code.
 */
export function isEncryptedKey(block: string): boolean {
  return /^-----BEGIN ENCRYPTED /.test(block) || /Proc-Type:\s*4,ENCRYPTED/.test(block);
}

/**
 * A JWT that still opens something: its header is JSON naming a real algorithm (not `none`), its
 * signature part is present, and its `exp` claim, when readable, is not before `now`.
 */
export function isSignedJwt(token: string, now: number = Date.now()): boolean {
  const [header, payload, signature] = token.split('.');
  if (!header || !payload || !signature) return false;
  try {
    const parsed = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: unknown };
    if (typeof parsed.alg !== 'string' || parsed.alg.toLowerCase() === 'none') return false;
  } catch {
    return false;
  }
  // A token past its `exp` opens nothing (every JWT library checks it): a sample captured from a dev
  // server years ago in an API collection is no credential. Claims we cannot read leave it reported.
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown };
    return !(typeof claims.exp === 'number' && claims.exp * 1000 < now);
  } catch {
    return true;
  }
}

const RATIONALE_TAIL = ' Anyone who can read the repository (or its history, forks and CI logs) can use it. Revoke it, issue a new one, and load it from the environment or a secret manager.';

function rule(id: string, provider: string, severity: Severity, what: string, bad: string, good: string, formats: FormatDetector[], assignments: AssignmentDetector[] = []): SecretRule {
  return {
    id: `secrets/${id}`,
    provider,
    severity,
    message: `Hard-coded ${what}: revoke it and load it from the environment or a secret manager.`,
    doc: { rationale: `A ${what} is committed in plain text.${RATIONALE_TAIL}`, bad, good },
    formats,
    assignments,
    inTests: 'keep',
  };
}

/**
 * The provider catalogue. Order matters: where matches overlap, the earlier (more specific) rule wins,
 * so a GCP service-account key is not reported again as a bare private key.
 */
export const SECRET_RULES: readonly SecretRule[] = [
  { ...rule('gcp', 'Google Cloud', 'critical', 'Google Cloud service-account private key', '{ "type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\\nMIIE…" }', 'GOOGLE_APPLICATION_CREDENTIALS=/run/secrets/sa.json', [
    { pattern: /"private_key"\s*:\s*"(?<secret>-----BEGIN (?:RSA )?PRIVATE KEY-----(?:\\n|[A-Za-z0-9+/=])+?-----END (?:RSA )?PRIVATE KEY-----(?:\\n)?)"/g, keywords: ['"private_key"'] },
  ]), inTests: 'low' },
  { ...rule('private-key', 'PEM', 'critical', 'private key', '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA…\n-----END RSA PRIVATE KEY-----', 'key = read_file(os.environ["KEY_PATH"])', [
    { pattern: /(?<secret>-----BEGIN[ A-Z0-9_-]{0,60}PRIVATE KEY(?: BLOCK)?-----[\s\S]{64,20000}?-----END[ A-Z0-9_-]{0,60}PRIVATE KEY(?: BLOCK)?-----)/g, keywords: ['private key'], validate: (block) => hasKeyBody(block) && !isEncryptedKey(block) },
  ]), inTests: 'off' },
  rule('aws', 'AWS', 'critical', 'AWS access key', 'AWS_ACCESS_KEY_ID=AKIA… and AWS_SECRET_ACCESS_KEY=wJalr…', 'AWS_PROFILE=deploy (credentials come from the instance role or ~/.aws)', [
    { pattern: /(?<![A-Za-z0-9])(?<secret>(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]{16})(?![A-Za-z0-9])/g, keywords: ['akia', 'asia', 'abia', 'acca', 'a3t'] },
  ], [
    { nameWords: ['aws', 'secret'], value: /^[A-Za-z0-9/+]{40}$/ },
    { nameWords: ['secret', 'access', 'key'], value: /^[A-Za-z0-9/+]{40}$/ },
  ]),
  rule('github', 'GitHub', 'critical', 'GitHub token', 'token: ghp_…', 'token: ${{ secrets.GITHUB_TOKEN }}', [
    { pattern: /(?<![A-Za-z0-9_])(?<secret>gh[opusr]_[A-Za-z0-9]{36})(?![A-Za-z0-9_])/g, keywords: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'], validate: hasBase62Crc32 },
    { pattern: /(?<![A-Za-z0-9_])(?<secret>github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})(?![A-Za-z0-9_])/g, keywords: ['github_pat_'] },
  ]),
  rule('gitlab', 'GitLab', 'critical', 'GitLab access token', 'GITLAB_TOKEN=glpat-…', 'GITLAB_TOKEN=$CI_JOB_TOKEN', [
    { pattern: /(?<![A-Za-z0-9_-])(?<secret>gl(?:pat|dt|rt|ptt|cbt)-[A-Za-z0-9_-]{20,})(?![A-Za-z0-9_-])/g, keywords: ['glpat-', 'gldt-', 'glrt-', 'glptt-', 'glcbt-'] },
  ]),
  rule('slack', 'Slack', 'critical', 'Slack token or webhook URL', 'SLACK_WEBHOOK=https://hooks.slack.com/services/T0…/B0…/…', 'SLACK_WEBHOOK=${SLACK_WEBHOOK}', [
    { pattern: /(?<![A-Za-z0-9-])(?<secret>xox[abeoprs]-(?:\d{6,13}-){1,3}[A-Za-z0-9-]{10,})(?![A-Za-z0-9-])/g, keywords: ['xox'] },
    { pattern: /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/(?<secret>[A-Za-z0-9_/+-]{30,})/g, keywords: ['hooks.slack.com'] },
  ]),
  rule('stripe', 'Stripe', 'critical', 'Stripe live secret key', 'stripe.api_key = "sk_live_…"', 'stripe.api_key = os.environ["STRIPE_KEY"]', [
    { pattern: /(?<![A-Za-z0-9_])(?<secret>(?:sk|rk)_live_[A-Za-z0-9]{24,99})(?![A-Za-z0-9_])/g, keywords: ['sk_live_', 'rk_live_'] },
  ]),
  // Medium: Google API keys are made to sit in browser and app code (Maps, YouTube web clients) and are
  // guarded by referrer/API restrictions set in the console; an unrestricted one still costs money.
  rule('google-api-key', 'Google', 'medium', 'Google API key', 'const maps = new Maps({ key: "AIza…" })', 'const maps = new Maps({ key: config.mapsKey })', [
    { pattern: /(?<![A-Za-z0-9_-])(?<secret>AIza[A-Za-z0-9_-]{35})(?![A-Za-z0-9_-])/g, keywords: ['aiza'] },
  ]),
  rule('npm', 'npm', 'critical', 'npm access token', '//registry.npmjs.org/:_authToken=npm_…', '//registry.npmjs.org/:_authToken=${NPM_TOKEN}', [
    { pattern: /(?<![A-Za-z0-9_])(?<secret>npm_[A-Za-z0-9]{36})(?![A-Za-z0-9_])/g, keywords: ['npm_'], validate: hasBase62Crc32 },
  ]),
  rule('pypi', 'PyPI', 'critical', 'PyPI upload token', 'password = pypi-AgEIcHlwaS5vcmc…', 'password = ${PYPI_TOKEN}', [
    { pattern: /(?<![A-Za-z0-9_-])(?<secret>pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,})/g, keywords: ['pypi-ageichlwas5vcmc'] },
  ]),
  rule('anthropic', 'Anthropic', 'critical', 'Anthropic API key', 'ANTHROPIC_API_KEY=sk-ant-api03-…', 'ANTHROPIC_API_KEY= (set in the deployment, not the repository)', [
    { pattern: /(?<![A-Za-z0-9_-])(?<secret>sk-ant-(?:api|admin|sid)\d{2}-[A-Za-z0-9_-]{80,})(?![A-Za-z0-9_-])/g, keywords: ['sk-ant-'] },
  ]),
  rule('openai', 'OpenAI', 'critical', 'OpenAI API key', 'openai.api_key = "sk-proj-…"', 'openai.api_key = os.environ["OPENAI_API_KEY"]', [
    { pattern: /(?<![A-Za-z0-9_-])(?<secret>sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,})(?![A-Za-z0-9_-])/g, keywords: ['sk-proj-', 'sk-svcacct-', 'sk-admin-'] },
    { pattern: /(?<![A-Za-z0-9_-])(?<secret>sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})(?![A-Za-z0-9_-])/g, keywords: ['t3blbkfj'] },
  ]),
  { ...rule('twilio', 'Twilio', 'high', 'Twilio API key or auth token', 'TWILIO_API_KEY=SK…', 'TWILIO_API_KEY=${TWILIO_API_KEY}', [
    { pattern: /(?<![A-Za-z0-9])(?<secret>SK[0-9a-f]{32})(?![A-Za-z0-9])/g, keywords: ['sk'] },
  ], [{ nameWords: ['twilio'], value: /^[0-9a-f]{32}$/ }]), inTests: 'low' },
  rule('sendgrid', 'SendGrid', 'high', 'SendGrid API key', 'sgMail.setApiKey("SG.…")', 'sgMail.setApiKey(process.env.SENDGRID_API_KEY)', [
    { pattern: /(?<![A-Za-z0-9_-])(?<secret>SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/g, keywords: ['sg.'] },
  ]),
  { ...rule('mailgun', 'Mailgun', 'high', 'Mailgun API key', 'MAILGUN_API_KEY=key-…', 'MAILGUN_API_KEY=${MAILGUN_API_KEY}', [
    { pattern: /(?<![A-Za-z0-9_-])(?<secret>key-[0-9a-f]{32})(?![A-Za-z0-9_-])/g, keywords: ['key-'] },
  ], [{ nameWords: ['mailgun'], value: /^[0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8}$/ }]), inTests: 'low' },
  rule('azure-storage', 'Azure', 'critical', 'Azure storage account key', 'DefaultEndpointsProtocol=https;AccountName=app;AccountKey=…', 'AZURE_STORAGE_CONNECTION_STRING=${AZURE_STORAGE_CONNECTION_STRING}', [
    { pattern: /AccountKey=(?<secret>[A-Za-z0-9+/]{86}==)/g, keywords: ['accountkey='] },
  ]),
  { ...rule('database-url', 'Database', 'high', 'database password in a connection URL', 'DATABASE_URL=postgres://app:…@db.internal:5432/app', 'DATABASE_URL=postgres://app@db.internal:5432/app (password from PGPASSWORD or a secret manager)', [
    {
      pattern: /\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|cockroachdb):\/\/(?<user>[^:/\s@'"`]+):(?<secret>[^@\s/'"`]+)@(?<host>[A-Za-z0-9._-]+)/g,
      keywords: ['://'],
    },
  ]), inTests: 'off' },
  { ...rule('url-credentials', 'HTTP', 'high', 'password in an http(s) URL (Basic auth)', 'REGISTRY=https://deploy:…@registry.example.org/', 'REGISTRY=https://registry.example.org/ (credentials from a netrc or a secret manager)', [
    // `http://host:8080@evil.example/` (the userinfo trick of SSRF write-ups) has a port, not a password;
    // a user name of punctuation only (`http://-.~_!$&()*+,;=:%40@host`) is a URL parser's test vector
    { pattern: /\bhttps?:\/\/(?<user>[^:/\s@'"`]*[A-Za-z0-9][^:/\s@'"`]*):(?<secret>[^@\s/'"`]+)@(?<host>[A-Za-z0-9._-]+)/g, keywords: ['://'], validate: (secret) => !/^\d{1,5}\\*$/.test(secret) },
  ]), inTests: 'off' },
  { ...rule('jwt', 'JWT', 'high', 'signed JSON Web Token', 'Authorization: Bearer eyJhbGciOi…', 'Authorization: Bearer ${TOKEN}', [
    { pattern: /(?<![A-Za-z0-9_-])(?<secret>eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{16,})(?![A-Za-z0-9_-])/g, keywords: ['eyj'], validate: isSignedJwt },
  ]), inTests: 'off' },
];

/**
 * The rule for values with no provider prefix, judged by their name and their entropy. Medium, not high:
 * with no known format there is no telling a live credential from a public client key shipped on
 * purpose (a search-only Algolia key, an app's bundled TMDB key) or a sample value, and on the
 * development corpus about half of these were not secrets; provider formats keep their own severity.
 */
export const GENERIC_SECRET_RULE: SecretRule = {
  ...rule('generic', 'any', 'medium', 'secret (high-entropy value assigned to a secret-like name)', 'api_secret = "q8Zr2…"', 'api_secret = os.environ["API_SECRET"]', []),
  inTests: 'off',
};

export const ALL_SECRET_RULES: readonly SecretRule[] = [...SECRET_RULES, GENERIC_SECRET_RULE];
