import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { ignoreError } from '../domain/ignore-error.js';
import { readProjectFile } from '../io/project-file.js';

/** Where Dockerfiles live by convention: the project root and a `docker/` folder. */
const DOCKERFILE_DIRS = ['', 'docker', '.docker'];
const DOCKERFILE = /^(dockerfile(\..+)?|.+\.dockerfile)$/i;
/** What a command without an extension may run: the sources of that name (a Go binary built from `x.go`). */
const SOURCE_EXTENSIONS = ['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts', '.py', '.go', '.sh'];
/** Dockerfiles read at most (a monorepo with one per service stays cheap). */
const MAX_DOCKERFILES = 50;

/** The words of a HEALTHCHECK command: the exec form's JSON array, or the shell form split on spaces. */
function commandWords(content: string): string[] {
  const command = content.replace(/^\s*CMD\s+/i, '').trim();
  if (command.startsWith('[')) {
    try {
      const parsed = JSON.parse(command) as unknown;
      return Array.isArray(parsed) ? parsed.filter((word): word is string => typeof word === 'string') : [];
    } catch {
      return [];
    }
  }
  return command.split(/\s+/).map((word) => word.replace(/^["']|["']$/g, ''));
}

/**
 * The project files a command word names: `/app/extra/healthcheck` in the image is `extra/healthcheck`
 * (or `extra/healthcheck.go`) in the project, so leading folders are dropped until a file matches.
 */
function filesNamed(word: string, files: ReadonlySet<string>): string[] {
  if (word.startsWith('-') || word.includes('://') || !/[/.]/.test(word)) return [];
  const segments = path.posix.normalize(word.replace(/^\/+/, '')).split('/');
  for (let start = 0; start < segments.length; start++) {
    const candidate = segments.slice(start).join('/');
    const found = [candidate, ...SOURCE_EXTENSIONS.map((extension) => candidate + extension)].filter((file) => files.has(file));
    if (found.length > 0) return found;
  }
  return [];
}

async function dockerfiles(root: string): Promise<string[]> {
  const found: string[] = [];
  for (const dir of DOCKERFILE_DIRS) {
    const entries = await readdir(path.join(root, dir), { withFileTypes: true }).catch(ignoreError('a project without this folder has no Dockerfile there'));
    for (const entry of entries ?? []) if (entry.isFile() && DOCKERFILE.test(entry.name)) found.push(path.join(root, dir, entry.name));
  }
  return found.slice(0, MAX_DOCKERFILES);
}

/**
 * The files a Dockerfile's HEALTHCHECK runs: a probe the container engine runs against its own
 * container, not code a request reaches, so (like developer tooling) it is not production code for the
 * security rules: TLS verification off towards the container's own port is not a man in the middle.
 */
export async function healthCheckScripts(root: string, walked: readonly string[]): Promise<string[]> {
  const files = new Set(walked);
  const out = new Set<string>();
  for (const file of await dockerfiles(root)) {
    const bytes = await readProjectFile(root, file).catch(ignoreError('an unreadable Dockerfile names no health check'));
    if (!bytes) continue;
    for (const instruction of DockerfileParser.parse(bytes.toString('utf8')).getInstructions()) {
      if (instruction.getKeyword() !== 'HEALTHCHECK') continue;
      for (const word of commandWords(instruction.getArgumentsContent() ?? '')) for (const named of filesNamed(word, files)) out.add(named);
    }
  }
  return [...out].sort();
}
