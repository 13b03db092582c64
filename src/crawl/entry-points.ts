import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Finding } from '../domain/finding.js';
import { asEntryPointFinding } from '../domain/operator-input.js';
import type { EntryPointReason } from '../domain/operator-input.js';
import { readProjectFile } from '../io/project-file.js';
import { scriptModules } from './script-imports.js';
import { MIGRATION_FOLDER } from './migration-history.js';

/**
 * The project's CLI entry points, read once per crawl from its package.json files: the commands of
 * `bin`, and the files `scripts` runs (`node scripts/release.js`). Only findings fed by the command
 * line or environment alone are changed there (to low), never dropped, so a baseline's fingerprints
 * are the same with or without this step and baseline.ts needs no copy of it.
 */
export interface EntryPoints {
  /** Project-relative POSIX paths, with why each is an entry point. */
  readonly files: ReadonlyMap<string, EntryPointReason>;
  /** The application itself: a package's `main` and what its start/serve/dev scripts run. Never tooling. */
  readonly application: ReadonlySet<string>;
}

export const NO_ENTRY_POINTS: EntryPoints = { files: new Map(), application: new Set() };

/** Scripts that start the application (`start`, `serve`, `dev`, `start:prod`...), not a developer tool. */
const APPLICATION_SCRIPT = /^(start|serve|server|dev|develop|prod|production|watch)(?:$|[:_-])/i;

/** Workspace packages read at most, so a huge monorepo costs a bounded number of reads. */
const MAX_PACKAGES = 200;
const SCRIPT_FILE = /\.(?:[cm]?js|[cm]?ts)$/;
/** Developer scripts by place: a `scripts/` or `bin/` folder anywhere in the project. */
const SCRIPT_FOLDER = /(?:^|\/)(?:scripts|bin)\//;

interface PackageJson {
  readonly main?: unknown;
  readonly bin?: unknown;
  readonly scripts?: unknown;
  readonly workspaces?: unknown;
}

function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  if (value && typeof value === 'object') return Object.values(value).filter((v): v is string => typeof v === 'string');
  return [];
}

/** `./bin/cli.js` in package `packages/x` is `packages/x/bin/cli.js`; paths leaving the project are dropped. */
function projectPath(dir: string, file: string): string | null {
  const joined = path.posix.normalize(path.posix.join(dir, file.replace(/\\/g, '/')));
  return joined.startsWith('../') || path.posix.isAbsolute(joined) ? null : joined;
}

/** The files a package.json names as commands (`bin`) or runs from its `scripts` (words that are script files). */
export function entryPointsOf(pkg: PackageJson, dir: string): Map<string, EntryPointReason> {
  const files = new Map<string, EntryPointReason>();
  for (const file of stringsOf(pkg.bin)) {
    const at = projectPath(dir, file);
    if (at) files.set(at, 'package-bin');
  }
  for (const command of stringsOf(pkg.scripts)) {
    for (const at of scriptFiles(command, dir)) if (!files.has(at)) files.set(at, 'package-script');
  }
  return files;
}

/** The script files a package.json command runs, as project paths. */
function scriptFiles(command: string, dir: string): string[] {
  const words = command.split(/[\s;&|()]+/);
  return words.flatMap((word, i) => {
    // `node lib/build-site` runs lib/build-site.js: Node resolves the extension.
    const file = SCRIPT_FILE.test(word) ? word : words[i - 1] === 'node' && word.includes('/') ? `${word}.js` : null;
    const at = file && !file.startsWith('-') ? projectPath(dir, file.replace(/^['"]|['"]$/g, '')) : null;
    return at ? [at] : [];
  });
}

/** The application's own files of a package.json: `main`, and what its start/serve/dev scripts run. */
export function applicationFilesOf(pkg: PackageJson, dir: string): string[] {
  const scripts = pkg.scripts && typeof pkg.scripts === 'object' && !Array.isArray(pkg.scripts) ? Object.entries(pkg.scripts) : [];
  const started = scripts.flatMap(([name, command]) => (APPLICATION_SCRIPT.test(name) && typeof command === 'string' ? scriptFiles(command, dir) : []));
  const main = typeof pkg.main === 'string' ? projectPath(dir, pkg.main) : null;
  return main ? [main, ...started] : started;
}

async function readPackage(root: string, dir: string): Promise<PackageJson | null> {
  const bytes = await readProjectFile(root, path.join(root, dir, 'package.json')).catch(() => null);
  if (!bytes) return null;
  try {
    const parsed: unknown = JSON.parse(bytes.toString('utf8'));
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : null;
  } catch {
    // A package.json that is not JSON names no entry point; the project's own tools report it.
    return null;
  }
}

/** Workspace folders of a root package.json: `packages/*` (one level) and plain folder names. */
async function workspaceDirs(root: string, pkg: PackageJson): Promise<string[]> {
  const raw = pkg.workspaces;
  const patterns = stringsOf(raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as { packages?: unknown }).packages : raw);
  const dirs: string[] = [];
  for (const pattern of patterns) {
    const clean = pattern.replace(/\/+$/, '');
    if (!clean.endsWith('/*')) {
      if (!clean.includes('*')) dirs.push(clean);
      continue;
    }
    const parent = clean.slice(0, -2);
    if (parent.includes('*')) continue;
    const entries = await readdir(path.join(root, parent), { withFileTypes: true }).catch(() => []);
    for (const entry of entries) if (entry.isDirectory()) dirs.push(`${parent}/${entry.name}`);
  }
  return dirs.map((dir) => projectPath('', dir)).filter((dir): dir is string => dir !== null && dir !== '.').slice(0, MAX_PACKAGES);
}

/** Reads the root package.json and its workspaces' once; a project without one has no declared entry point. */
export async function loadEntryPoints(root: string): Promise<EntryPoints> {
  const pkg = await readPackage(root, '.');
  if (!pkg) return NO_ENTRY_POINTS;
  const files = entryPointsOf(pkg, '');
  const application = new Set(applicationFilesOf(pkg, ''));
  for (const dir of await workspaceDirs(root, pkg)) {
    const member = await readPackage(root, dir);
    if (!member) continue;
    for (const [file, reason] of entryPointsOf(member, dir)) if (!files.has(file)) files.set(file, reason);
    for (const file of applicationFilesOf(member, dir)) application.add(file);
  }
  return { files, application };
}

/**
 * Developer scripts by place (a `bin/` folder holds the commands a package ships, so it is not one): a
 * `scripts/` folder; schema migrations (see migration-history.ts), run by the operator on deploy
 * with the developers' own data, never reached by a request; a top-level `dev/` folder (code generators,
 * local helpers); a top-level `install/` or `installer/` folder, the setup the operator runs before the
 * application has users or data (a web installer answers whoever reaches it with the rights to configure
 * the whole application, so what its requests can do is what it is for); CI configuration and its
 * scripts (`.github/`, `.gitlab/`, `.circleci/`, `.buildkite/`, a top-level `ci/` or `.ci/`).
 */
const DEVELOPER_FOLDER = new RegExp(`(?:^|/)scripts/|${MIGRATION_FOLDER.source}|^(?:dev|install|installer|ci|\\.ci|\\.github|\\.gitlab|\\.circleci|\\.buildkite)/`);

/**
 * The walked files that are the project's own developer tooling: run by a package.json `scripts` entry
 * (`node extra/release/publish.mjs`) or kept in a `scripts/` folder. A file that is also a `bin` command
 * ships to users, and one that `main` names or a start/serve/dev script runs is the application itself.
 * The modules such scripts import from their own folder are tooling too (see script-imports.ts).
 * `entryPoints`: the crawl's one read of the package.json files (loadEntryPoints).
 */
export async function developerScripts(
  root: string,
  files: readonly { readonly path: string; readonly absolutePath: string; readonly language: string }[],
  entryPoints: EntryPoints,
): Promise<string[]> {
  const { files: declared, application } = entryPoints;
  const scripts = files.map((file) => file.path).filter((file) => {
    if (application.has(file)) return false;
    const reason = declared.get(file);
    return reason === 'package-script' || (reason === undefined && DEVELOPER_FOLDER.test(file));
  });
  const shipped = new Set([...application, ...[...declared].filter(([, reason]) => reason === 'package-bin').map(([file]) => file)]);
  return [...scripts, ...(await scriptModules(root, scripts, files, shipped))];
}

/** Why `file` is a CLI entry point or developer script, or null. */
export function entryPointReason(file: string, entryPoints: EntryPoints): EntryPointReason | null {
  return entryPoints.files.get(file) ?? (SCRIPT_FOLDER.test(file) ? 'scripts-folder' : null);
}

/**
 * Injection findings fed only by the operator's command line or environment, in a CLI entry point or
 * developer script: at low severity (see domain/operator-input.ts). Every other finding is unchanged.
 */
export function applyEntryPoints(findings: readonly Finding[], entryPoints: EntryPoints): Finding[] {
  return findings.map((finding) => {
    if (finding.trace?.local !== true) return finding;
    const reason = entryPointReason(finding.file, entryPoints);
    return reason ? asEntryPointFinding(finding, reason) : finding;
  });
}
