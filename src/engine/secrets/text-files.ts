/**
 * Files that are not code Code Roach parses but where credentials end up: configuration, environment
 * files, container and CI definitions, shell scripts, documentation, key files. They are scanned for
 * secrets only, with the line scanner. Source code of languages without a parser here is left out:
 * code is analyzed through its AST or not at all.
 */
const TEXT_EXTENSIONS = new Set([
  '.env', '.yml', '.yaml', '.json', '.jsonc', '.json5', '.toml', '.ini', '.properties', '.cfg', '.conf', '.config', '.cnf', '.xml', '.plist',
  '.txt', '.md', '.markdown', '.rst', '.adoc', '.sh', '.bash', '.zsh', '.ksh', '.fish', '.ps1', '.bat', '.cmd', '.tf', '.tfvars', '.hcl',
  '.pem', '.key', '.p8', '.ppk', '.asc', '.npmrc', '.pypirc', '.netrc', '.pgpass', '.htpasswd', '.dockerfile', '.envrc', '.secret', '.secrets',
]);

const TEXT_NAMES = new Set([
  '.env', 'dockerfile', 'containerfile', '.npmrc', '.yarnrc', '.pypirc', '.netrc', '_netrc', '.pgpass', '.htpasswd', '.envrc', '.git-credentials',
  'credentials', 'id_rsa', 'id_dsa', 'id_ecdsa', 'id_ed25519', 'procfile', 'jenkinsfile', 'makefile', 'vagrantfile',
]);

/** Lock files list package hashes and registry URLs: high entropy by design, never a secret. */
const LOCK_FILES = new Set([
  'package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lock', 'go.sum', 'cargo.lock', 'composer.lock', 'gemfile.lock',
  'poetry.lock', 'pipfile.lock', 'uv.lock', 'pdm.lock', 'packages.lock.json', 'flake.lock', 'mix.lock', 'pubspec.lock', 'podfile.lock',
]);

/** Whether a file (by its name) is a lock file, never scanned for secrets. */
export function isLockFile(fileName: string): boolean {
  return LOCK_FILES.has(fileName.toLowerCase());
}

/** Whether a file that is not code should be scanned for secrets, by its name: `.env.production`, `Dockerfile.dev`, `app.yml`. */
export function isSecretTextFile(fileName: string): boolean {
  const lower = fileName.toLowerCase();
  if (isLockFile(lower)) return false;
  if (TEXT_NAMES.has(lower) || lower.startsWith('.env.') || lower.startsWith('dockerfile.')) return true;
  const dot = lower.lastIndexOf('.');
  return dot >= 0 && TEXT_EXTENSIONS.has(lower.slice(dot));
}
