import { open, realpath } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { RoachError } from '../domain/errors.js';
import { describeZodError } from '../domain/describe-zod-error.js';
import { CONFIG_LIMITS, ProjectConfigSchema } from './schema.js';
import type { ProjectConfig } from './schema.js';

export const CONFIG_FILE_NAMES = ['.roach.yml', '.roach.yaml'] as const;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

/** Parses raw config (already read from YAML) into a frozen, typed object or a CR_ERR_CONFIG_INVALID. */
export function parseProjectConfig(raw: unknown, source: string): Readonly<ProjectConfig> {
  const parsed = ProjectConfigSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    throw new RoachError('CR_ERR_CONFIG_INVALID', `Invalid config ${source}: ${describeZodError(parsed.error)}`, { file: source });
  }
  return deepFreeze(parsed.data);
}

const within = (real: string, realRoot: string): boolean => real === realRoot || real.startsWith(realRoot.endsWith(path.sep) ? realRoot : realRoot + path.sep);

/**
 * The config file's text, refused before it is read when it is not a regular file, is larger than
 * CONFIG_LIMITS.fileBytes, or (the project's own `.roach.yml`) resolves outside the project: a link
 * to /etc/shadow would otherwise be quoted in the YAML error. Null when there is no such file.
 */
async function readConfigText(file: string, realRoot: string | null): Promise<string | null> {
  const invalid = (why: string): RoachError => new RoachError('CR_ERR_CONFIG_INVALID', `Cannot read config ${file}: ${why}`, { file });
  const real = await realpath(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw invalid(error.message);
  });
  if (real === null) return null;
  if (realRoot !== null && !within(real, realRoot)) throw invalid('it is a link to a file outside the project.');
  const handle = await open(real, 'r').catch((error: Error) => {
    throw invalid(error.message);
  });
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw invalid('not a regular file.');
    if (stats.size > CONFIG_LIMITS.fileBytes) throw invalid(`${stats.size} bytes, over the ${CONFIG_LIMITS.fileBytes}-byte limit.`);
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

/**
 * Refuses rule folders and SARIF reports that are links out of the project (the schema has refused
 * absolute and `..` paths).
 */
async function checkProjectPaths(config: Readonly<ProjectConfig>, root: string, realRoot: string, file: string): Promise<void> {
  const entries = [...config.rules.dirs.map((p) => ['rules.dirs', p] as const), ...config.adapters.sarif.map((p) => ['adapters.sarif', p] as const)];
  for (const [key, entry] of entries) {
    const real = await realpath(path.resolve(root, entry)).catch(() => null);
    if (real !== null && !within(real, realRoot)) {
      throw new RoachError('CR_ERR_CONFIG_INVALID', `Invalid config ${file}: ${key} entry "${entry}" leads outside the project.`, { file });
    }
  }
}

/** Reads `.roach.yml` from the project root, or an explicit file; defaults when there is none. */
export async function loadProjectConfig(root: string, explicitFile?: string): Promise<{ config: Readonly<ProjectConfig>; file: string | null }> {
  const realRoot = await realpath(root).catch(() => path.resolve(root));
  const candidates = explicitFile ? [path.resolve(explicitFile)] : CONFIG_FILE_NAMES.map((name) => path.join(root, name));
  for (const file of candidates) {
    // An explicit file is the operator's choice; the project's own one is project input.
    const text = await readConfigText(file, explicitFile ? null : realRoot);
    if (text === null) {
      if (explicitFile) throw new RoachError('CR_ERR_CONFIG_INVALID', `Cannot read config ${file}: no such file.`, { file });
      continue;
    }
    let raw: unknown;
    try {
      raw = parseYaml(text);
    } catch (error) {
      throw new RoachError('CR_ERR_CONFIG_INVALID', `Invalid config ${file}: not valid YAML (${(error as Error).message.split('\n')[0]})`, { file });
    }
    const config = parseProjectConfig(raw, file);
    await checkProjectPaths(config, root, realRoot, file);
    return { config, file };
  }
  return { config: parseProjectConfig({}, '(defaults)'), file: null };
}
