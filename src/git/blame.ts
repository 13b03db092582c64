import path from 'node:path';
import { git } from './git.js';
import { readProjectFile } from '../io/project-file.js';

/** Who last changed a line: the commit and its author (e-mail normalised), no line text. */
export interface LineAuthor {
  readonly commit: string;
  readonly email: string;
  readonly name: string;
  /** Author time, epoch seconds. */
  readonly time: number;
}

export interface LineRange {
  readonly start: number;
  readonly end: number;
}

const UNCOMMITTED = /^0{40}$/;

/** Lower-case, trimmed, without the angle brackets git prints around it. */
export function normaliseEmail(raw: string): string {
  return raw.trim().replace(/^<|>$/g, '').trim().toLowerCase();
}

/** Sorted, merged ranges clamped to 1..lineCount (git blame refuses ranges past the end). */
function mergeRanges(ranges: readonly LineRange[], lineCount: number): LineRange[] {
  const clamped = ranges
    .map((r) => ({ start: Math.max(1, Math.min(r.start, lineCount)), end: Math.max(1, Math.min(Math.max(r.end, r.start), lineCount)) }))
    .sort((a, b) => a.start - b.start);
  const merged: LineRange[] = [];
  for (const range of clamped) {
    const last = merged[merged.length - 1];
    if (last && range.start <= last.end + 1) merged[merged.length - 1] = { start: last.start, end: Math.max(last.end, range.end) };
    else merged.push(range);
  }
  return merged;
}

/**
 * Parses `git blame --porcelain` output into line number -> author. Commit details are printed the
 * first time a commit appears; content lines (tab-prefixed) are skipped, so no source text is kept.
 */
export function parsePorcelain(output: string): Map<number, LineAuthor> {
  const commits = new Map<string, { email: string; name: string; time: number }>();
  const lines = new Map<number, string>();
  let current: string | null = null;
  for (const line of output.split('\n')) {
    if (line.startsWith('\t')) continue;
    const header = /^([0-9a-f]{40}) \d+ (\d+)(?: \d+)?$/.exec(line);
    if (header?.[1] && header[2]) {
      current = header[1];
      lines.set(Number(header[2]), current);
      if (!commits.has(current)) commits.set(current, { email: '', name: '', time: 0 });
      continue;
    }
    const info = current ? commits.get(current) : undefined;
    if (!info) continue;
    if (line.startsWith('author ')) info.name = line.slice('author '.length);
    else if (line.startsWith('author-mail ')) info.email = normaliseEmail(line.slice('author-mail '.length));
    else if (line.startsWith('author-time ')) info.time = Number(line.slice('author-time '.length));
  }
  const result = new Map<number, LineAuthor>();
  for (const [lineNumber, commit] of lines) {
    const info = commits.get(commit);
    if (!info || UNCOMMITTED.test(commit)) continue;
    result.set(lineNumber, { commit, ...info });
  }
  return result;
}

/**
 * Blames the given line ranges of one file in a single `git blame --porcelain -L ... -L ...` call
 * (working tree contents, so the lines are those the crawl analyzed). Uncommitted lines are absent.
 * A file that no longer exists answers an empty map.
 */
export async function blameRanges(root: string, file: string, ranges: readonly LineRange[]): Promise<Map<number, LineAuthor>> {
  const text = await readProjectFile(root, path.join(root, file)).then((bytes) => bytes.toString('utf8'), () => null);
  if (text === null || ranges.length === 0) return new Map();
  const lineCount = Math.max(1, text.split('\n').length - (text.endsWith('\n') ? 1 : 0));
  const args = ['blame', '--porcelain', ...mergeRanges(ranges, lineCount).flatMap((r) => ['-L', `${r.start},${r.end}`]), '--', file];
  return parsePorcelain(await git(root, args));
}

/** The most recent author among a range's lines (the change that last shaped it), if any is committed. */
export function latestAuthor(blame: ReadonlyMap<number, LineAuthor>, range: LineRange): LineAuthor | null {
  let latest: LineAuthor | null = null;
  for (let line = range.start; line <= range.end; line++) {
    const author = blame.get(line);
    if (author && (!latest || author.time > latest.time)) latest = author;
  }
  return latest;
}

/** The commit that last touched `file` (e.g. deleted it), with its author. */
export async function lastCommitOf(root: string, file: string): Promise<LineAuthor | null> {
  const out = (await git(root, ['log', '-1', '--format=%H%x00%ae%x00%an%x00%at', '--', file]).catch(() => '')).trim();
  const [commit, email, name, time] = out.split('\0');
  return commit && email !== undefined ? { commit, email: normaliseEmail(email), name: name ?? '', time: Number(time) } : null;
}

/** Whether `root` is inside a git work tree. */
export async function isGitWorkTree(root: string): Promise<boolean> {
  return (await git(root, ['rev-parse', '--is-inside-work-tree']).catch(() => 'false')).trim() === 'true';
}

/** Files under `root` (relative paths) whose working copy differs from HEAD: their changes are not committed yet. */
export async function uncommittedFiles(root: string): Promise<Set<string>> {
  const out = await git(root, ['diff', '--name-only', '--relative', '--no-renames', 'HEAD']).catch(() => '');
  return new Set(out.split('\n').map((line) => line.trim()).filter(Boolean));
}
