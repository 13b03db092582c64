import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import ignore from 'ignore';
import type { Ignore } from 'ignore';
import type { FileLanguage } from '../domain/finding.js';
import { languageOf } from '../engine/languages.js';
import { isSecretTextFile } from '../engine/secrets/text-files.js';
import { isRoachTempFile } from '../io/atomic-write.js';
import { isInside, readFolderFile } from '../io/project-file.js';
import { attributesScope, GeneratedPlaces, libraryCopyOf } from './generated-code.js';
import type { AttributeScope, GeneratedSettings } from './generated-code.js';

export interface WalkOptions {
  readonly root: string;
  /** Gitignore-style patterns; when non-empty a file must match one to be crawled. */
  readonly include: readonly string[];
  /** Gitignore-style patterns of files and folders to leave out. */
  readonly exclude: readonly string[];
  readonly maxFileSizeBytes: number;
  /** Absolute paths never entered (the data directory). */
  readonly skipDirs?: readonly string[];
  /** Also list text files that are not code (config, env, docs), as language `text`, for the secrets scan. */
  readonly textFiles?: boolean;
  /** Generated and vendored code is recognised (see generated-code.ts); absent: none is. */
  readonly generated?: GeneratedSettings;
}

export interface WalkedFile {
  /** Project-relative POSIX path. */
  readonly path: string;
  readonly absolutePath: string;
  readonly language: FileLanguage;
  readonly sizeBytes: number;
  readonly mtimeMs: number;
  /** Whether its content is to be checked for signs of generated code (engine/generated.ts). */
  readonly generatedCheck?: boolean;
}

/**
 * Why a file was left out. `symlink-outside-root`: a link (file or folder) resolving outside the
 * project, never read. `analysis-timeout` / `analysis-memory`: the file alone overran the analysis
 * pool's per-file time budget or memory guard; `analysis-failed`: its analysis threw or its thread died.
 * `generated` / `vendored`: build output or code copied from another project, by place (never read) or
 * by content (see crawl/generated-code.ts and engine/generated.ts).
 */
export type SkipReason =
  | 'too-large'
  | 'symlink-loop'
  | 'symlink-outside-root'
  | 'unreadable'
  | 'binary'
  | 'invalid-utf8'
  | 'broken-symlink'
  | 'minified'
  | 'analysis-timeout'
  | 'analysis-memory'
  | 'analysis-failed'
  | 'generated'
  | 'vendored';

export interface SkippedFile {
  readonly path: string;
  readonly reason: SkipReason;
  readonly detail: string;
}

export interface WalkResult {
  readonly files: WalkedFile[];
  readonly skipped: SkippedFile[];
  /** Absolute paths of temp files left by an atomic write that was killed mid-way (Code Roach's own). */
  readonly leftoverTempFiles: string[];
  /** Problems that change what was crawled without skipping a file, e.g. a `.gitignore` that cannot be read. */
  readonly warnings: WalkWarning[];
}

export interface WalkWarning {
  /** Project-relative POSIX path of the file concerned. */
  readonly path: string;
  readonly message: string;
}

/** Folders no crawl wants: version control and dependencies. A `.gitignore` can only add to these. */
const ALWAYS_SKIPPED = ['.git', 'node_modules', '.roach'];

interface Scope {
  readonly base: string;
  readonly rules: Ignore;
}

function toPosix(relative: string): string {
  return relative.split(path.sep).join('/');
}

/**
 * Like git: scopes run from the root down, so a deeper `.gitignore` overrides a higher one, and within
 * one the last matching pattern wins, which is how `!pattern` re-includes a file.
 */
function isIgnored(scopes: readonly Scope[], absolute: string, isDir: boolean): boolean {
  let ignored = false;
  for (const scope of scopes) {
    const relative = toPosix(path.relative(scope.base, absolute));
    if (!relative || relative === '..' || relative.startsWith('../')) continue;
    const verdict = scope.rules.test(isDir ? `${relative}/` : relative);
    if (verdict.ignored) ignored = true;
    else if (verdict.unignored) ignored = false;
  }
  return ignored;
}

/**
 * The folder's `.gitignore` rules; null when it has none. One that exists but cannot be read (a
 * folder, a link out of the project, no permission) is reported through `warn`: treating it as
 * absent would crawl, and fix, files the project meant to ignore, and nobody would know why.
 */
async function gitignoreScope(root: string, dir: string, warn: (file: string, message: string) => void): Promise<Scope | null> {
  const text = await readFolderFile(root, dir, '.gitignore', warn, 'its rules were not applied, so files it ignores may have been crawled');
  return text === null ? null : { base: dir, rules: ignore().add(text) };
}

/**
 * Lists the files of a tree that Code Roach can analyze, honouring nested `.gitignore` files and the
 * config's include/exclude patterns, and reporting every file it had to skip with the reason. Links
 * are never followed: one inside the project names something crawled under its own name, one that
 * resolves outside it (file or folder) is skipped as `symlink-outside-root`, so the crawl never reads
 * outside its root (in a cloned repository as in a folder).
 */
export async function walkTree(options: WalkOptions): Promise<WalkResult> {
  const files: WalkedFile[] = [];
  const skipped: SkippedFile[] = [];
  const leftoverTempFiles: string[] = [];
  const warnings: WalkWarning[] = [];
  const warn = (file: string, message: string): void => {
    warnings.push({ path: toPosix(path.relative(options.root, file)), message });
  };
  const exclude: Scope = { base: options.root, rules: ignore().add([...ALWAYS_SKIPPED, ...options.exclude]) };
  const include = options.include.length > 0 ? ignore().add([...options.include]) : null;
  const skipDirs = new Set(options.skipDirs ?? []);
  const visitedDirs = new Set<string>();
  const realRoot = await realpath(options.root).catch(() => path.resolve(options.root));
  const insideRoot = (real: string): boolean => isInside(real, realRoot);
  // Always-skipped folders and config excludes are not gitignore rules: no `!pattern` brings them back.
  const isExcluded = (absolute: string, isDir: boolean): boolean => isIgnored([exclude], absolute, isDir);
  const places = options.generated ? new GeneratedPlaces(options.generated) : null;

  const visit = async (dir: string, scopes: readonly Scope[], attributes: readonly AttributeScope[], libraryCopy: string | null): Promise<void> => {
    const relativeDir = toPosix(path.relative(options.root, dir));
    let real: string;
    try {
      real = await realpath(dir);
    } catch (error) {
      skipped.push({ path: relativeDir || '.', reason: 'unreadable', detail: (error as Error).message });
      return;
    }
    if (!insideRoot(real)) {
      // Only a folder swapped for a link after it was listed gets here: links are skipped below.
      skipped.push({ path: relativeDir, reason: 'symlink-outside-root', detail: `resolves to ${real}, outside the project` });
      return;
    }
    if (visitedDirs.has(real)) {
      skipped.push({ path: relativeDir, reason: 'symlink-loop', detail: `already visited as ${real}` });
      return;
    }
    visitedDirs.add(real);
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      skipped.push({ path: relativeDir || '.', reason: 'unreadable', detail: (error as Error).message });
      return;
    }
    const own = await gitignoreScope(options.root, dir, warn);
    const active = own ? [...scopes, own] : scopes;
    const ownAttributes = places ? await attributesScope(options.root, dir, warn) : null;
    const activeAttributes = ownAttributes ? [...attributes, ownAttributes] : attributes;
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const copy = libraryCopy ?? (places ? libraryCopyOf(relativeDir, entries.filter((entry) => entry.isFile()).map((entry) => entry.name)) : null);
    for (const entry of entries) {
      const absolute = path.join(dir, entry.name);
      const relative = toPosix(path.relative(options.root, absolute));
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      let info: Awaited<ReturnType<typeof stat>> | null = null;
      if (entry.isSymbolicLink()) {
        let target: string;
        try {
          info = await stat(absolute);
          target = await realpath(absolute);
          isDir = info.isDirectory();
          isFile = info.isFile();
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          skipped.push({ path: relative, reason: code === 'ELOOP' ? 'symlink-loop' : 'broken-symlink', detail: (error as Error).message });
          continue;
        }
        // A link to something inside the project is not followed: the target is crawled under its
        // own name, so nothing is reported twice and no fix is written through a second path.
        if (insideRoot(target)) {
          const realDir = await realpath(dir);
          if (isDir && (realDir === target || realDir.startsWith(target + path.sep))) {
            skipped.push({ path: relative, reason: 'symlink-loop', detail: `links to its own ancestor ${target}` });
          }
          continue;
        }
        // Outside the project: never read. Reported unless the link's own name is left out anyway.
        const listed = isDir || (isFile && (languageOf(entry.name) !== null || (options.textFiles === true && isSecretTextFile(entry.name))));
        if (listed) {
          if (!isExcluded(absolute, isDir) && !isIgnored(active, absolute, isDir) && (isDir || !include || include.ignores(relative))) {
            skipped.push({ path: relative, reason: 'symlink-outside-root', detail: `links to ${target}, outside the project` });
          }
        }
        continue;
      }
      if (isDir) {
        if (skipDirs.has(absolute) || isExcluded(absolute, true) || isIgnored(active, absolute, true)) continue;
        await visit(absolute, active, activeAttributes, copy);
        continue;
      }
      if (isFile && isRoachTempFile(entry.name)) {
        leftoverTempFiles.push(absolute);
        continue;
      }
      if (!isFile) continue;
      const language = languageOf(entry.name) ?? (options.textFiles && isSecretTextFile(entry.name) ? 'text' : null);
      if (!language || isExcluded(absolute, false) || isIgnored(active, absolute, false)) continue;
      if (include && !include.ignores(relative)) continue;
      // Text files are not code: a secret in a bundle's config is still a leak, so they are still scanned;
      // but another project's copy is another project's (a vendored library's README shows sample tokens).
      const placed = places?.classify(relative, absolute, activeAttributes, copy);
      const classified = language === 'text' && placed?.verdict?.reason !== 'vendored' ? null : placed;
      if (classified?.verdict) {
        skipped.push({ path: relative, reason: classified.verdict.reason, detail: classified.verdict.detail });
        continue;
      }
      try {
        info ??= await stat(absolute);
      } catch (error) {
        skipped.push({ path: relative, reason: 'unreadable', detail: (error as Error).message });
        continue;
      }
      if (info.size > options.maxFileSizeBytes) {
        skipped.push({ path: relative, reason: 'too-large', detail: `${info.size} bytes > limit ${options.maxFileSizeBytes}` });
        continue;
      }
      files.push({ path: relative, absolutePath: absolute, language, sizeBytes: info.size, mtimeMs: info.mtimeMs, ...(classified?.contentCheck ? { generatedCheck: true } : {}) });
    }
  };

  await visit(options.root, [], [], null);
  return { files, skipped, leftoverTempFiles, warnings };
}
