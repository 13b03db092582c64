// The development corpus (bench/precision/corpus.json): its repositories checked out at their pinned
// commits into bench/.work/precision, from ROACH_CORPUS_MIRROR/<owner>+<name>/repo when that folder exists
// (a local mirror), else from GitHub. Shared by bench/precision.mjs and bench/fix-landing.mjs.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const WORK = path.join(HERE, '..', '.work', 'precision');
const CORPUS_FILE = path.join(HERE, 'corpus.json');

export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 30, ...options });
  if (result.error) throw result.error;
  return result;
}

/** The corpus entries, all or those named in `only`. */
export function corpusEntries(only = null) {
  return JSON.parse(readFileSync(CORPUS_FILE, 'utf8')).repositories.filter((r) => !only || only.has(r.name));
}

/** The repository checked out at its pinned commit, cloned once into `work` (bench/security.mjs keeps its own). */
export async function checkout(entry, work = WORK) {
  const dir = path.join(work, entry.name);
  if (existsSync(path.join(dir, '.git'))) {
    const head = run('git', ['-C', dir, 'rev-parse', 'HEAD']).stdout.trim();
    if (head === entry.commit) return dir;
    await rm(dir, { recursive: true, force: true });
  }
  const mirror = process.env.ROACH_CORPUS_MIRROR ? path.join(process.env.ROACH_CORPUS_MIRROR, entry.repo.replace('/', '+'), 'repo') : null;
  const source = mirror && existsSync(mirror) ? mirror : `https://github.com/${entry.repo}.git`;
  await mkdir(work, { recursive: true });
  const clone = run('git', ['clone', '--quiet', '--no-checkout', source, dir]);
  if (clone.status !== 0) throw new Error(`cannot clone ${entry.repo} from ${source}: ${clone.stderr.trim()}`);
  const co = run('git', ['-C', dir, 'checkout', '--quiet', '--detach', entry.commit]);
  if (co.status !== 0) throw new Error(`cannot check out ${entry.repo}@${entry.commit}: ${co.stderr.trim()}`);
  return dir;
}

/** `npm run build` in the checkout, so the crawls run the code as it is. */
export function build(root) {
  const result = run('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('npm run build failed');
}
