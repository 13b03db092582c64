import type { SgNode } from '@ast-grep/napi';
import type { CompanionLine } from '../domain/finding.js';

/** Where a fix that moves a secret to the environment documents the variable: the dotenv convention's file. */
export const ENV_EXAMPLE_FILE = '.env.example';

/**
 * The environment variable a hard-coded credential moves to, named after what held it: the last name in
 * the bound text (`this.config.apiKey`, `self.api_key`, `settings["SECRET_KEY"]`, `'client_secret'`) in
 * upper snake case (`API_KEY`, `SECRET_KEY`, `CLIENT_SECRET`). Null when the text holds no name.
 */
export function envVarName(text: string): string | null {
  const names = text.match(/[A-Za-z_$][A-Za-z0-9_$]*/g);
  const last = names?.[names.length - 1]?.replace(/\$/g, '');
  if (!last) return null;
  const snake = last
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toUpperCase()
    .replace(/_+/g, '_')
    .replace(/^_|_$/g, '');
  return /^[A-Z][A-Z0-9_]*$/.test(snake) ? snake : null;
}

/**
 * The variable name bound as `$ENV_VAR` and the `.env.example` line of a fix that declares `envVar`:
 * undefined when it does not, null when the metavariable is unbound or holds no name (then no fix).
 */
export function envVarOf(metavariable: string | undefined, node: SgNode, prefix: string): { name: string; companion: CompanionLine } | null | undefined {
  if (metavariable === undefined) return undefined;
  const bound = node.getMatch(prefix + metavariable)?.text();
  const name = bound === undefined ? null : envVarName(bound);
  return name ? { name, companion: { file: ENV_EXAMPLE_FILE, line: `${name}=`, presentWhen: `${name}=` } } : null;
}
