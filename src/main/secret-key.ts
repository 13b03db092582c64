import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ServiceEnvironment } from '../config/environment.js';
import { RoachError } from '../domain/errors.js';
import { createSecretBox, parseSecretKey } from '../domain/secret-box.js';
import type { SecretBox } from '../domain/secret-box.js';
import { resealChannels } from '../store/repositories/channels.js';
import { resealLlmKeys } from '../store/repositories/llm-settings.js';
import type { SqlClient } from '../store/sql.js';

const KEY_FILE = 'secret.key';

/** The embedded mode's key: read from the data directory, or generated there (mode 0600) on first use. */
async function dataDirKey(dataDir: string): Promise<string> {
  const file = path.join(dataDir, KEY_FILE);
  const existing = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw new RoachError('CR_ERR_SERVICE_CONFIG', `Cannot read ${file}: ${error.message}`, { setting: 'ROACH_SECRET_KEY' });
  });
  if (existing !== null) {
    if (((await stat(file)).mode & 0o077) !== 0) await chmod(file, 0o600);
    return existing.trim();
  }
  await mkdir(dataDir, { recursive: true });
  const key = randomBytes(32).toString('base64');
  // 'wx': two processes starting together cannot both create (and disagree on) the key.
  await writeFile(file, `${key}\n`, { mode: 0o600, flag: 'wx' }).catch(async (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  return (await readFile(file, 'utf8')).trim();
}

/**
 * The secret box of this process: ROACH_SECRET_KEY (with ROACH_SECRET_KEYS_PREVIOUS for rotation), or
 * in embedded mode a key file in the data directory. PostgreSQL without a key: null, and storing a
 * channel secret is refused with a message naming ROACH_SECRET_KEY.
 */
export async function openSecretBox(env: ServiceEnvironment, embeddedDataDir: string | null): Promise<SecretBox | null> {
  const encoded = env.secrets.key ?? (embeddedDataDir ? await dataDirKey(embeddedDataDir) : null);
  if (!encoded) return null;
  const previous = env.secrets.previousKeys.map((key, i) => parseSecretKey(key, `ROACH_SECRET_KEYS_PREVIOUS[${i}]`));
  return createSecretBox(parseSecretKey(encoded, env.secrets.key ? 'ROACH_SECRET_KEY' : path.join(embeddedDataDir ?? '', KEY_FILE)), previous);
}

/**
 * Key rotation and the move from plaintext: every channel row and model key not sealed under the current key is
 * (re)sealed. Safe to run at every start; rows already current are left alone.
 */
export async function resealSecrets(db: SqlClient, box: SecretBox): Promise<number> {
  const llmKeys = await resealLlmKeys(db, (sealed) => (box.needsRotation(sealed) ? box.seal(box.open(sealed)) : null));
  return llmKeys + await resealChannels(db, (row) => {
    const current = (sealed: string | null): boolean => sealed === null || !box.needsRotation(sealed);
    if (row.urlSealed && current(row.urlSealed) && current(row.secretSealed)) return null;
    const url = row.urlSealed ? box.open(row.urlSealed) : row.url;
    if (url === null) return null;
    return { urlSealed: box.seal(url), secretSealed: row.secretSealed ? box.seal(box.open(row.secretSealed)) : null };
  });
}
