/** Shannon entropy in bits per character of a string, over the characters it actually uses. */
export function shannonEntropy(text: string): number {
  if (text.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** detect-secrets' limits: 3.0 bits for hex strings, 4.5 for base64 and anything wider. */
export const HEX_ENTROPY_LIMIT = 3.0;
export const BASE64_ENTROPY_LIMIT = 4.5;
const MIN_GENERIC_LENGTH = 16;
const MAX_GENERIC_LENGTH = 256;

const HEX = /^[0-9a-fA-F]+$/;
const TOKEN_CHARS = /^[\x21-\x7e]+$/;

/**
 * Whether a value assigned to a secret-like name looks random enough to be a real secret. A string of n
 * characters cannot have more than log2(n) bits per character, so below 32 characters the base64 limit
 * is scaled to 90% of that ceiling; from 32 on it is detect-secrets' 4.5. Values with no digit are
 * refused: words and identifiers (`SomeConfigName`) have no digits, issued secrets nearly always do.
 */
export function isHighEntropySecret(value: string): boolean {
  if (value.length < MIN_GENERIC_LENGTH || value.length > MAX_GENERIC_LENGTH) return false;
  if (!TOKEN_CHARS.test(value) || !/[0-9]/.test(value)) return false;
  const entropy = shannonEntropy(value);
  if (HEX.test(value)) return entropy >= HEX_ENTROPY_LIMIT;
  if (!/[A-Za-z]/.test(value)) return false;
  return entropy >= Math.min(BASE64_ENTROPY_LIMIT, 0.9 * Math.log2(value.length));
}

/** Splits `awsSecretAccessKey`, `AWS_SECRET_ACCESS_KEY`, `aws-secret.key` into lower-case words. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0);
}

const SECRET_WORDS = new Set([
  'secret', 'secrets', 'token', 'tokens', 'password', 'passwd', 'pwd', 'passphrase', 'credential', 'credentials',
  'apikey', 'auth', 'authorization', 'bearer', 'privatekey', 'accesskey', 'secretkey', 'clientsecret', 'authtoken', 'sessionkey', 'signingkey',
]);
const KEY_QUALIFIERS = new Set(['api', 'access', 'private', 'secret', 'signing', 'encryption', 'master', 'license', 'session', 'client', 'app']);
/** A last word that makes the name about a secret rather than the secret itself: `tokenType`, `passwordField`. */
const DESCRIPTIVE_TAILS = new Set([
  'type', 'types', 'name', 'names', 'id', 'ids', 'url', 'uri', 'endpoint', 'path', 'file', 'dir', 'length', 'len', 'size', 'count', 'header', 'field',
  'regex', 'pattern', 'prefix', 'label', 'placeholder', 'hint', 'policy', 'expiry', 'expires', 'ttl', 'timeout', 'env', 'var', 'hash', 'hashed', 'digest',
  'method', 'mode', 'provider', 'format', 'version', 'kind', 'enabled', 'required', 'min', 'max', 'error', 'message', 'ref', 'store',
]);

/** Whether an assigned name says "this is a secret": a secret word, or `key` qualified by api/access/private/... */
export function isSecretName(name: string): boolean {
  const words = nameWords(name);
  const last = words[words.length - 1];
  if (!last || DESCRIPTIVE_TAILS.has(last)) return false;
  return words.some((word, i) => SECRET_WORDS.has(word) || (word === 'key' && i > 0 && KEY_QUALIFIERS.has(words[i - 1] ?? '')));
}

/**
 * A necessary condition for `isSecretName` on any name in a text: some secret word, or `key` with a
 * qualifier, occurs in it (lower-cased). Lets a file with neither skip the AST scan entirely.
 */
export function mayNameSecret(lowerText: string): boolean {
  for (const word of SECRET_WORDS) if (lowerText.includes(word)) return true;
  if (!lowerText.includes('key')) return false;
  for (const word of KEY_QUALIFIERS) if (lowerText.includes(word)) return true;
  return false;
}
