import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { RoachError } from './errors.js';

/**
 * Secrets at rest (channel URLs, webhook HMAC secrets) as AES-256-GCM envelopes:
 * `v1.<key id>.<iv>.<tag>.<ciphertext>` (base64url parts). The version names the format, the key id
 * (first 8 bytes of the key's SHA-256, hex) names the key, so a rotated deployment decrypts old rows
 * with a previous key and re-encrypts them under the current one (see `needsRotation`).
 */
export interface SecretBox {
  /** Id of the key new envelopes are sealed with. */
  readonly keyId: string;
  seal(plaintext: string): string;
  open(envelope: string): string;
  /** True when the envelope was sealed with another (older) key than the current one. */
  needsRotation(envelope: string): boolean;
}

const VERSION = 'v1';
const IV_BYTES = 12;
const KEY_BYTES = 32;

/** A 32-byte key from its base64 form, or an error naming the setting. */
export function parseSecretKey(encoded: string, setting: string): Buffer {
  const key = Buffer.from(encoded.trim(), 'base64');
  if (key.length !== KEY_BYTES || key.toString('base64').replace(/=+$/, '') !== encoded.trim().replace(/=+$/, '')) {
    throw new RoachError('CR_ERR_SERVICE_CONFIG', `${setting} must be ${KEY_BYTES} bytes in base64 (e.g. \`openssl rand -base64 32\`).`, { setting });
  }
  return key;
}

export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

/** A box sealing with `current` and opening envelopes of `current` or any of `previous`. */
export function createSecretBox(current: Buffer, previous: readonly Buffer[] = []): SecretBox {
  const keys = new Map<string, Buffer>([...previous, current].map((key) => [keyIdOf(key), key]));
  const keyId = keyIdOf(current);
  const parts = (envelope: string): string[] => {
    const split = envelope.split('.');
    if (split.length !== 5 || split[0] !== VERSION) throw new RoachError('CR_ERR_SECRET_UNREADABLE', 'A stored secret is not a v1 envelope.');
    return split;
  };
  return {
    keyId,
    seal(plaintext) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', current, iv);
      // The key id is authenticated too: an envelope moved under another key id fails to open.
      cipher.setAAD(Buffer.from(`${VERSION}.${keyId}`));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [VERSION, keyId, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
    },
    open(envelope) {
      const [version, id, iv, tag, ciphertext] = parts(envelope) as [string, string, string, string, string];
      const key = keys.get(id);
      if (!key) throw new RoachError('CR_ERR_SECRET_UNREADABLE', `A stored secret was sealed with key ${id}, which is neither ROACH_SECRET_KEY nor in ROACH_SECRET_KEYS_PREVIOUS.`, { keyId: id });
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAAD(Buffer.from(`${version}.${id}`));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        throw new RoachError('CR_ERR_SECRET_UNREADABLE', `A stored secret sealed with key ${id} failed authentication (tampered or truncated).`, { keyId: id });
      }
    },
    needsRotation(envelope) {
      return parts(envelope)[1] !== keyId;
    },
  };
}

/** What responses show instead of a secret URL: its scheme and host, never path or query (Slack puts the token there). */
export function maskUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}/***`;
  } catch {
    return '***';
  }
}
