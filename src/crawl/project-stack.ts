import { readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * What a generated fix must fit (issue 15): the language and framework versions the project declares, read
 * as data from its manifests (never run): package.json (`engines`, dependencies), pyproject.toml and
 * requirements.txt, go.mod, pom.xml. A few short lines for the prompt; missing or unreadable files say nothing.
 */

/** Dependencies named in the prompt at most, per manifest: the model needs the frameworks, not every helper. */
const MAX_DEPENDENCIES = 25;

async function text(root: string, name: string): Promise<string | null> {
  try {
    const content = await readFile(path.join(root, name), 'utf8');
    return content.length > 200_000 ? null : content;
  } catch {
    return null;
  }
}

const listed = (entries: readonly string[]): string => {
  const shown = entries.slice(0, MAX_DEPENDENCIES).join(', ');
  return entries.length > MAX_DEPENDENCIES ? `${shown} and ${entries.length - MAX_DEPENDENCIES} more` : shown;
};

function fromPackageJson(content: string): string[] {
  let manifest: { engines?: Record<string, unknown>; type?: unknown; dependencies?: Record<string, unknown>; devDependencies?: Record<string, unknown> };
  try {
    manifest = JSON.parse(content) as typeof manifest;
  } catch {
    return [];
  }
  const lines: string[] = [];
  const node = manifest.engines?.node;
  if (typeof node === 'string') lines.push(`Node.js ${node} (package.json engines)`);
  if (manifest.type === 'module') lines.push('JavaScript modules: ES modules ("type": "module")');
  const deps = (record: Record<string, unknown> | undefined): string[] => Object.entries(record ?? {}).filter(([, v]) => typeof v === 'string').map(([name, version]) => `${name}@${String(version)}`);
  const runtime = deps(manifest.dependencies);
  if (runtime.length > 0) lines.push(`npm dependencies: ${listed(runtime)}`);
  const typescript = manifest.devDependencies?.typescript;
  if (typeof typescript === 'string') lines.push(`TypeScript ${typescript}`);
  return lines;
}

/** Requirement lines: `name==1.2`, `name>=2`; comments, options and URLs left out. */
function fromRequirements(content: string): string[] {
  const names = content
    .split('\n')
    // comments and environment markers (`; python_version >= "3.9"`) are not the requirement
    .map((line) => (line.replace(/#.*/, '').split(';')[0] ?? '').trim())
    .filter((line) => /^[A-Za-z0-9][A-Za-z0-9._-]*(\[[^\]]*\])?\s*([<>=!~]=?.*)?$/.test(line));
  return names.length > 0 ? [`Python requirements: ${listed(names)}`] : [];
}

/** pyproject.toml: `requires-python` and the `dependencies = [...]` strings of [project]. */
function fromPyproject(content: string): string[] {
  const lines: string[] = [];
  const python = /^requires-python\s*=\s*["']([^"']+)["']/m.exec(content);
  if (python) lines.push(`Python ${python[1] ?? ''} (pyproject.toml)`);
  const deps = quotedListAfter(content, /^dependencies\s*=\s*\[/m);
  if (deps.length > 0) lines.push(`Python dependencies: ${listed(deps)}`);
  return lines;
}

/** The quoted strings of the TOML array that opens where `opening` matches, up to its `]` outside quotes. */
function quotedListAfter(content: string, opening: RegExp): string[] {
  const start = opening.exec(content);
  if (!start) return [];
  const items: string[] = [];
  let quote: string | null = null;
  let item = '';
  for (let i = start.index + start[0].length; i < content.length; i++) {
    const char = content[i] as string;
    if (quote) {
      if (char === quote) {
        items.push(item);
        quote = null;
        item = '';
      } else item += char;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === ']') break;
  }
  return items;
}

function fromGoMod(content: string): string[] {
  const go = /^go\s+(\S+)/m.exec(content);
  const requires = [...content.matchAll(/^\s*(?:require\s+)?([a-z0-9.-]+\.[a-z]{2,}\/\S+)\s+(v\S+)/gm)].map((m) => `${m[1] ?? ''}@${m[2] ?? ''}`);
  return [...(go ? [`Go ${go[1] ?? ''} (go.mod)`] : []), ...(requires.length > 0 ? [`Go modules: ${listed(requires)}`] : [])];
}

function fromPom(content: string): string[] {
  const java = /<(?:java\.version|maven\.compiler\.(?:release|source))>([^<]+)</.exec(content);
  const parent = /<parent>[\s\S]*?<artifactId>([^<]+)<\/artifactId>[\s\S]*?<version>([^<]+)<\/version>[\s\S]*?<\/parent>/.exec(content);
  return [...(java ? [`Java ${java[1] ?? ''} (pom.xml)`] : []), ...(parent ? [`Maven parent: ${parent[1] ?? ''} ${parent[2] ?? ''}`] : [])];
}

const READERS: readonly [string, (content: string) => string[]][] = [
  ['package.json', fromPackageJson],
  ['pyproject.toml', fromPyproject],
  ['requirements.txt', fromRequirements],
  ['go.mod', fromGoMod],
  ['pom.xml', fromPom],
];

/** The project's declared stack, one line per fact, in manifest order. */
export async function projectStack(root: string): Promise<string[]> {
  const found = await Promise.all(READERS.map(async ([name, read]) => {
    const content = await text(root, name);
    return content === null ? [] : read(content);
  }));
  return found.flat();
}
