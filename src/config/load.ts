import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { RoachError } from '../domain/errors.js';
import { describeZodError } from '../domain/describe-zod-error.js';
import { ProjectConfigSchema } from './schema.js';
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

/** Reads `.roach.yml` from the project root, or an explicit file; defaults when there is none. */
export async function loadProjectConfig(root: string, explicitFile?: string): Promise<{ config: Readonly<ProjectConfig>; file: string | null }> {
  const candidates = explicitFile ? [path.resolve(explicitFile)] : CONFIG_FILE_NAMES.map((name) => path.join(root, name));
  for (const file of candidates) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !explicitFile) continue;
      throw new RoachError('CR_ERR_CONFIG_INVALID', `Cannot read config ${file}: ${(error as Error).message}`, { file });
    }
    let raw: unknown;
    try {
      raw = parseYaml(text);
    } catch (error) {
      throw new RoachError('CR_ERR_CONFIG_INVALID', `Invalid config ${file}: not valid YAML (${(error as Error).message.split('\n')[0]})`, { file });
    }
    return { config: parseProjectConfig(raw, file), file };
  }
  return { config: parseProjectConfig({}, '(defaults)'), file: null };
}
