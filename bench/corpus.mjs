// The crawl benches' corpus: the JS/TS files of this project's own node_modules (see bench/README.md).
// Shared by crawl-bench.mjs and cli-startup.mjs so both measure the same 5,000 files.
import { createHash } from 'node:crypto';
import { copyFile, lstat, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Extensions copied into the corpus: every extension the crawler parses. */
const CODE_EXTENSIONS = new Set(['.js', '.mjs', '.cjs', '.jsx', '.ts', '.mts', '.cts', '.tsx']);
/** The crawler's default size limit (maxFileSizeBytes in .roach.yml). */
const MAX_FILE_BYTES = 1_048_576;
/** Folder names the crawler (and ESLint) always skip: renamed in the corpus so their files are kept. */
const RENAMED_DIRS = new Set(['node_modules', '.git', '.roach']);

async function listCandidates(nodeModules) {
  const found = [];
  const visit = async (dir) => {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry of entries) {
      const absolute = path.join(dir, entry.name);
      // Real files and folders only: symlinks (.bin, linked packages) are left out.
      if (entry.isDirectory()) {
        if (entry.name === '.bin') continue;
        await visit(absolute);
      } else if (entry.isFile()) {
        const ext = path.extname(entry.name).toLowerCase();
        const lower = entry.name.toLowerCase();
        // Declaration files hold no code that runs; Code Roach does not crawl them, so neither tool sees them.
        if (!CODE_EXTENSIONS.has(ext) || lower.endsWith('.min.js') || /\.d\.[cm]?ts$/.test(lower)) continue;
        const { size } = await lstat(absolute);
        if (size > MAX_FILE_BYTES) continue;
        found.push({ source: absolute, relative: path.relative(nodeModules, absolute).split(path.sep), size });
      }
    }
  };
  await visit(nodeModules);
  return found;
}

/**
 * Copies the JS/TS files of node_modules into corpusDir, keeping their paths relative to node_modules
 * (nested `node_modules` folders become `_node_modules`), and lists them in fileList. Above maxFiles, a
 * deterministic sample is taken: the files whose corpus path has the lowest SHA-1.
 */
export async function buildCorpus({ nodeModules, corpusDir, fileList, maxFiles }) {
  const candidates = (await listCandidates(nodeModules)).map((c) => ({
    ...c,
    target: c.relative.map((part, i) => (i < c.relative.length - 1 && RENAMED_DIRS.has(part) ? `_${part}` : part)).join('/'),
  }));
  let chosen = candidates;
  if (candidates.length > maxFiles) {
    chosen = candidates
      .map((c) => ({ c, k: createHash('sha1').update(c.target).digest('hex') }))
      .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
      .slice(0, maxFiles)
      .map(({ c }) => c);
  }
  chosen.sort((a, b) => (a.target < b.target ? -1 : a.target > b.target ? 1 : 0));
  await rm(corpusDir, { recursive: true, force: true });
  for (const file of chosen) {
    const target = path.join(corpusDir, ...file.target.split('/'));
    await mkdir(path.dirname(target), { recursive: true });
    await copyFile(file.source, target);
  }
  await writeFile(fileList, chosen.map((c) => c.target).join('\n') + '\n');
  const byExt = {};
  for (const file of chosen) {
    const ext = path.extname(file.target).toLowerCase();
    byExt[ext] = (byExt[ext] ?? 0) + 1;
  }
  const packages = new Set(chosen.map((c) => (c.target.startsWith('@') ? c.target.split('/').slice(0, 2).join('/') : c.target.split('/')[0])));
  return {
    candidates: candidates.length,
    files: chosen.length,
    bytes: chosen.reduce((sum, c) => sum + c.size, 0),
    dts: chosen.filter((c) => /\.d\.[mc]?ts$/.test(c.target)).length,
    byExt,
    packages: packages.size,
    capped: candidates.length > chosen.length,
  };
}
