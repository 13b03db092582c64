import path from 'node:path';
import ignore from 'ignore';
import type { Ignore } from 'ignore';
import { readFolderFile } from '../io/project-file.js';
import { bannerRepository, copyrightBanner, libraryBanner } from '../engine/generated.js';

/**
 * Generated and vendored code recognised by place (see docs/configuration.md, "generated"): such files
 * are skipped by the walk, unread, with the reason; their content is checked later (engine/generated.ts).
 * Findings in them cannot be fixed where they are: a build overwrites generated files, and vendored
 * code is someone else's, updated by copying it again.
 */

/** `.roach.yml` `generated:` (defaults: detection on, no exceptions). */
export interface GeneratedSettings {
  /** False: nothing is recognised as generated or vendored, except by `extra` and `.gitattributes`. */
  readonly detect: boolean;
  /** Gitignore-style patterns of files crawled even though they look generated or vendored. */
  readonly crawl: readonly string[];
  /** Gitignore-style patterns of files treated as generated. */
  readonly extra: readonly string[];
}

export const DEFAULT_GENERATED_SETTINGS: GeneratedSettings = Object.freeze({ detect: true, crawl: [], extra: [] });

export interface PlaceVerdict {
  readonly reason: 'generated' | 'vendored';
  readonly detail: string;
}

/**
 * Folders whose files are build output or copies of other projects, at any depth. Not `build/` or
 * `out/`: in real projects they hold hand-written build scripts as often as output (fastify's and
 * pino's `build/sync-version.js`); compiled output there is still recognised by its content.
 */
const GENERATED_DIRS: Readonly<Record<string, string>> = { dist: 'in dist/, build output' };
const VENDORED_DIRS: Readonly<Record<string, string>> = {
  vendor: 'in vendor/, code copied from another project',
  vendors: 'in vendors/, code copied from another project',
  third_party: 'in third_party/, code copied from another project',
  'third-party': 'in third-party/, code copied from another project',
  bower_components: 'in bower_components/, installed dependencies',
};
/** File names of minified and bundled output: `jquery.min.js`, `app.bundle.js`. */
const GENERATED_NAME = /\.(min|bundle)\.[^.]+$/i;
/**
 * Script and style names carrying a bundler's content hash (`settings.cec5001b.js`, `main-3f9a1c2e.css`,
 * webpack's `[contenthash:8]`, Vite's hex hashes): build output copied into the tree. Hex with at least
 * one digit and one letter, so a word (`-deadbeef`) or a date (`-20240101`) is no hash.
 */
const CONTENT_HASH_NAME = /[.-](?=[0-9a-f]*[0-9])(?=[0-9a-f]*[a-f])[0-9a-f]{8,20}\.(?:[cm]?js|css)$/;

/**
 * Folders a web application serves as static files (Spring's `resources/static`, Django's and Flask's
 * `static/`, `public/`, `wwwroot/`, `assets/`): scripts there that open with a library's banner are copies
 * of that library (engine/generated.ts `libraryBanner`).
 */
const WEB_ASSET_DIRS = new Set(['static', 'public', 'assets', 'wwwroot', 'webroot', 'webapp']);

/** Whether a project-relative path lies in a folder of static web assets. */
function inWebAssets(relative: string): boolean {
  return relative.split('/').slice(0, -1).some((name) => WEB_ASSET_DIRS.has(name.toLowerCase()));
}

/** Folders of the static assets that hold copied libraries and plugins: `static/ajax/libs/` (cdnjs's layout), `public/js/plugins/`. */
const ASSET_LIBRARY_DIRS = new Set(['lib', 'libs', 'plugins', 'vendor', 'vendors']);

/** Whether a project-relative path lies in a library folder inside a folder of static web assets. */
function inWebAssetLibraries(relative: string): boolean {
  const folders = relative.split('/').slice(0, -1).map((name) => name.toLowerCase());
  const assets = folders.findIndex((name) => WEB_ASSET_DIRS.has(name));
  return assets >= 0 && folders.slice(assets + 1).some((name) => ASSET_LIBRARY_DIRS.has(name));
}

/** Folders that hold libraries the project copied in, one folder each (`server/libs/archiver/`). */
const LIBRARY_DIRS = new Set(['lib', 'libs', 'external', 'extern', 'deps', '3rdparty']);
/** A licence file of its own: the folder is another project's code, kept with its licence as the licence asks. */
const LICENCE_FILE = /^(licen[cs]e|copying)([.-][a-z0-9]+)?(\.(md|txt))?$/i;

/**
 * Why a folder is a library copied into the project (`server/libs/archiver/` holding archiver's LICENSE),
 * or null: a folder directly inside `lib/`, `libs/`, `external/`, `extern/`, `deps/` or `3rdparty/` that
 * holds a licence file of its own. `names`: the names of the files in it.
 */
export function libraryCopyOf(relativeDir: string, names: readonly string[]): string | null {
  const parts = relativeDir.split('/');
  const parent = parts.length >= 2 ? (parts[parts.length - 2] as string) : '';
  if (!LIBRARY_DIRS.has(parent.toLowerCase()) || !names.some((name) => LICENCE_FILE.test(name))) return null;
  return `in ${relativeDir}/, a library copied in with its own licence`;
}

/** Whether a project-relative path lies in a folder named `name` directly inside a library folder (`lib/wxParse/`). */
function inLibraryFolderOf(relative: string, name: string): boolean {
  const folders = relative.split('/').slice(0, -1);
  const wanted = name.toLowerCase();
  return folders.some((folder, i) => i > 0 && LIBRARY_DIRS.has((folders[i - 1] as string).toLowerCase()) && folder.toLowerCase() === wanted);
}

/**
 * Why a script is a copy of another project, by its banner and its place (read after the file is, with the
 * other content checks), or null: a library's versioned banner among static web assets, a copyright banner
 * in a library folder of the static assets, or a banner giving `github.com/<owner>/<name>` as its home in
 * a `lib/<name>/` folder.
 */
export function copiedScriptReason(relative: string, text: string): string | null {
  const library = inWebAssets(relative) ? libraryBanner(text) : null;
  if (library) return `a copy of ${library} among the static assets (its banner names the library)`;
  if (inWebAssetLibraries(relative) && copyrightBanner(text)) return 'a copy of another project in a library folder of the static assets (its banner carries its copyright)';
  const home = bannerRepository(text);
  if (home && inLibraryFolderOf(relative, home.slice(home.indexOf('/') + 1))) return `a copy of github.com/${home} in a library folder of that name (its banner names the repository)`;
  return null;
}

type Mark = boolean | undefined;

interface AttributeLine {
  readonly matcher: Ignore;
  /** true: set, false: `=false`, `-attr` or `!attr` (unset or unspecified), undefined: not mentioned. */
  readonly generated: Mark;
  readonly vendored: Mark;
}

export interface AttributeScope {
  /** Absolute folder of the `.gitattributes` file. */
  readonly base: string;
  /** Project-relative path of the file, for skip details. */
  readonly file: string;
  readonly lines: readonly AttributeLine[];
}

function markOf(attributes: readonly string[], name: string): Mark {
  let mark: Mark;
  for (const attribute of attributes) {
    if (attribute === name || attribute === `${name}=true`) mark = true;
    else if (attribute === `-${name}` || attribute === `!${name}` || attribute === `${name}=false`) mark = false;
  }
  return mark;
}

/**
 * The `linguist-generated` / `linguist-vendored` lines of a `.gitattributes` text. Patterns are matched
 * the gitignore way, so `dist/ linguist-generated` marks the folder's files as people expect (git itself
 * would need `dist/**`); macro definitions (`[attr]`), negated and quoted patterns are left out.
 */
export function parseGitattributes(text: string): AttributeLine[] {
  const lines: AttributeLine[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('[attr]') || line.startsWith('!') || line.startsWith('"')) continue;
    const [pattern, ...attributes] = line.split(/\s+/);
    if (!pattern || attributes.length === 0) continue;
    const generated = markOf(attributes, 'linguist-generated');
    const vendored = markOf(attributes, 'linguist-vendored');
    if (generated === undefined && vendored === undefined) continue;
    lines.push({ matcher: ignore().add(pattern), generated, vendored });
  }
  return lines;
}

/** The folder's `.gitattributes` lines that concern us; null when it has none or none of them matter. */
export async function attributesScope(root: string, dir: string, warn: (file: string, message: string) => void): Promise<AttributeScope | null> {
  const text = await readFolderFile(root, dir, '.gitattributes', warn, 'its linguist-generated/linguist-vendored marks were not applied');
  if (text === null) return null;
  const lines = parseGitattributes(text);
  return lines.length > 0 ? { base: dir, file: path.relative(root, path.join(dir, '.gitattributes')).split(path.sep).join('/'), lines } : null;
}

interface Marks {
  readonly generated: { readonly mark: Mark; readonly file: string };
  readonly vendored: { readonly mark: Mark; readonly file: string };
}

/** Like git: scopes from the root down, lines in order, the last one that sets an attribute wins. */
function marksOf(scopes: readonly AttributeScope[], absolute: string): Marks {
  let generated: Marks['generated'] = { mark: undefined, file: '' };
  let vendored: Marks['vendored'] = { mark: undefined, file: '' };
  for (const scope of scopes) {
    const relative = path.relative(scope.base, absolute).split(path.sep).join('/');
    if (!relative || relative.startsWith('../')) continue;
    for (const line of scope.lines) {
      if (!line.matcher.ignores(relative)) continue;
      if (line.generated !== undefined) generated = { mark: line.generated, file: scope.file };
      if (line.vendored !== undefined) vendored = { mark: line.vendored, file: scope.file };
    }
  }
  return { generated, vendored };
}

export interface Classification {
  /** Skip the file unread, with this reason; null: it is crawled. */
  readonly verdict: PlaceVerdict | null;
  /** Whether its content is checked for generator markers and helper shapes (engine/generated.ts). */
  readonly contentCheck: boolean;
}

/** Place-based classification of files for one walk, from the project's settings. */
export class GeneratedPlaces {
  private readonly crawl: Ignore | null;
  private readonly extra: Ignore | null;

  constructor(private readonly settings: GeneratedSettings) {
    this.crawl = settings.crawl.length > 0 ? ignore().add([...settings.crawl]) : null;
    this.extra = settings.extra.length > 0 ? ignore().add([...settings.extra]) : null;
  }

  /**
   * `relative`: project-relative POSIX path; `scopes`: the `.gitattributes` files above it; `libraryCopy`: why
   * a folder above it is a copied library (libraryCopyOf), if one is. Order: the
   * project's explicit word first (`crawl`, then `extra`, then `.gitattributes`), then our guesses.
   */
  classify(relative: string, absolute: string, scopes: readonly AttributeScope[], libraryCopy: string | null = null): Classification {
    if (this.crawl?.ignores(relative)) return { verdict: null, contentCheck: false };
    if (this.extra?.ignores(relative)) return { verdict: { reason: 'generated', detail: 'matches a generated.extra pattern of .roach.yml' }, contentCheck: false };
    const marks = marksOf(scopes, absolute);
    if (marks.generated.mark === true) return { verdict: { reason: 'generated', detail: `${marks.generated.file} marks it linguist-generated` }, contentCheck: false };
    if (marks.vendored.mark === true) return { verdict: { reason: 'vendored', detail: `${marks.vendored.file} marks it linguist-vendored` }, contentCheck: false };
    if (!this.settings.detect) return { verdict: null, contentCheck: false };
    // `linguist-generated=false` / `linguist-vendored=false` overrule our guesses, as they do GitHub's.
    const guessGenerated = marks.generated.mark !== false;
    const guessVendored = marks.vendored.mark !== false;
    const folders = relative.split('/').slice(0, -1);
    if (guessVendored) {
      const folder = folders.find((name) => VENDORED_DIRS[name.toLowerCase()] !== undefined);
      if (folder) return { verdict: { reason: 'vendored', detail: VENDORED_DIRS[folder.toLowerCase()] as string }, contentCheck: false };
      if (libraryCopy) return { verdict: { reason: 'vendored', detail: libraryCopy }, contentCheck: false };
    }
    if (guessGenerated) {
      const folder = folders.find((name) => GENERATED_DIRS[name.toLowerCase()] !== undefined);
      if (folder) return { verdict: { reason: 'generated', detail: GENERATED_DIRS[folder.toLowerCase()] as string }, contentCheck: false };
      const name = relative.slice(relative.lastIndexOf('/') + 1);
      if (GENERATED_NAME.test(name)) return { verdict: { reason: 'generated', detail: `its name (${name}) is that of minified or bundled output` }, contentCheck: false };
      if (CONTENT_HASH_NAME.test(name)) return { verdict: { reason: 'generated', detail: `its name (${name}) carries a bundler's content hash: build output` }, contentCheck: false };
    }
    return { verdict: null, contentCheck: guessGenerated };
  }
}
