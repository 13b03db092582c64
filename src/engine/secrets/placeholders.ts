/** Words that mark a value as an example rather than a credential (AWS documents `…EXAMPLE` keys). */
const MARKERS = ['example', 'sample', 'dummy', 'fake', 'placeholder', 'changeme', 'change_me', 'your_', 'your-', 'yourkey', 'redacted', 'xxxx', '****', '....', '…', 'insert', 'replace'];
/** Passwords that are defaults for local development databases, not secrets anyone relies on. */
const DEV_PASSWORDS = new Set(['password', 'pass', 'passwd', 'secret', 'postgres', 'root', 'admin', 'test', 'mysql', 'guest', 'changeme', 'example', 'user', 'pw', 'pwd']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Subresource-integrity and lock-file hashes: `sha512-…`. */
const INTEGRITY = /^(?:sha1|sha256|sha384|sha512)-/;

/**
 * Whether a candidate value is a placeholder, a reference to a secret held elsewhere (`${VAR}`, `$VAR`,
 * `{{ secrets.X }}`, `%(x)s`, `<token>`), or an identifier that only looks random (UUIDs, integrity hashes).
 */
export function isPlaceholder(value: string): boolean {
  const lower = value.toLowerCase();
  if (MARKERS.some((marker) => lower.includes(marker))) return true;
  if (/\$\{|\{\{|\$\(|%\(|^\$[A-Za-z_]|^<.*>$|^%[A-Za-z_]+%$/.test(value)) return true;
  if (/^(.)\1+$/.test(value)) return true;
  // Hand-typed sequences: documentation tokens such as `123456789:ABCdef...`; a random value almost never has one.
  if (/01234|12345|23456|34567|45678|56789|abcde|bcdef/i.test(value)) return true;
  if (UUID.test(value) || INTEGRITY.test(value)) return true;
  return false;
}

/** A URL password that is no secret: a placeholder, a common local-development default, or the user name again. */
export function isDevPassword(password: string, user: string | undefined): boolean {
  const lower = password.toLowerCase();
  // `someuser:somepassword@`, `user:authpassword@`: documentation, not a credential.
  const spelledOut = ['password', 'passwd', 'secret', 'token'].some((word) => lower.includes(word));
  // One lower-case word (`redis://default:filebrowser@redis`): a sample configuration's value, where a
  // credential anyone relies on is generated, long and mixed.
  // Two such words joined (`mongodb://off:off-wger@mongodb`) likewise.
  const word = /^[a-z]{1,12}(?:[-_][a-z]{1,12})?$/.test(password);
  return isPlaceholder(password) || DEV_PASSWORDS.has(lower) || spelledOut || word || password === user;
}

/**
 * Hosts reserved for documentation and testing (RFC 2606, RFC 6761): `example.com`, `api.example.org`,
 * `db.test`, `x.invalid`. Credentials for them are examples, whatever they look like.
 */
export function isDocumentationHost(host: string | undefined): boolean {
  const lower = (host ?? '').toLowerCase().replace(/\.$/, '');
  return /(^|\.)example\.(com|net|org)$/.test(lower) || /\.(example|test|invalid)$/.test(lower);
}

/**
 * Key files named for the local host (`localhost.pem`, mkcert's `localhost+2-key.pem`, `127.0.0.1.key`): the
 * self-signed key of a development server, which the project's setup notes generate, not a credential.
 */
const LOCALHOST_KEY_FILE = /(?:^|\/)(?:localhost|127\.0\.0\.1)(?:[.+_-][^/]*)?\.(?:pem|key)$/i;

export function isLocalhostKeyFile(file: string): boolean {
  return LOCALHOST_KEY_FILE.test(file);
}

/** How a comment line starts in the files scanned: `#` (YAML, shell, Python), `//`, `/*`, ` *`, `;` (INI), `--` (SQL). */
const COMMENT_LINE = /^\s*(?:#|\/\/|\/\*|\*|;|--)/;
/** Lines of a comment block looked at above the secret for its "Example:" heading. */
const EXAMPLE_BLOCK_LINES = 20;

/**
 * Whether the text at `offset` sits in a comment block that presents an example (`## Example:` above a
 * commented-out configuration in a Helm chart's values.yaml): the values there are documentation. Only
 * the secret's own comment block counts, up to the first line that is not a comment.
 */
export function inExampleComment(text: string, offset: number): boolean {
  let end = text.lastIndexOf('\n', offset - 1);
  let line = text.slice(end + 1, text.indexOf('\n', offset) < 0 ? text.length : text.indexOf('\n', offset));
  for (let i = 0; i <= EXAMPLE_BLOCK_LINES; i++) {
    if (!COMMENT_LINE.test(line)) return false;
    if (/\bexamples?\b/i.test(line)) return true;
    if (end < 0) return false;
    const start = text.lastIndexOf('\n', end - 1);
    line = text.slice(start + 1, end);
    end = start;
  }
  return false;
}

const TEST_PATH = /(?:^|\/)(?:tests?|__tests__|spec|specs|fixtures?|__fixtures__|testdata|test-data|mocks?|__mocks__|examples?|samples?)\//i;
const TEST_FILE = /\.(?:test|spec)\.[A-Za-z0-9]+$|_test\.(?:go|py)$|(?:^|\/)test_[^/]+\.py$/;

/** Test code and fixtures: secrets there are usually fakes, so they are reported at low severity, not dropped. */
export function isTestPath(file: string): boolean {
  return TEST_PATH.test(file) || TEST_FILE.test(file);
}
