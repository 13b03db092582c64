import { access } from 'node:fs/promises';
import path from 'node:path';
import { blameRanges, isGitWorkTree, lastCommitOf, latestAuthor, uncommittedFiles } from '../git/blame.js';
import type { LineAuthor } from '../git/blame.js';
import type { ProjectRef } from '../domain/project-ref.js';
import type { Attribution, AttributionStore, IssueLocation } from './ports.js';

export type AttributionOutcome =
  | { readonly available: true; readonly introduced: number; readonly fixed: number; readonly failedFiles: number }
  | { readonly available: false; readonly reason: string };

/** The author recorded for fixes Code Roach applied itself. */
export const CODE_ROACH_AUTHOR = 'code-roach';
const FILES_IN_PARALLEL = 4;

const toAttribution = (issueId: string, author: LineAuthor | null): Attribution => ({
  issueId,
  email: author?.email ?? null,
  name: author?.name ?? null,
  commit: author?.commit ?? null,
  at: author ? new Date(author.time * 1000).toISOString() : null,
});

function byFile<T extends IssueLocation>(items: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(item.filePath, [...(groups.get(item.filePath) ?? []), item]);
  return groups;
}

async function inBatches<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += FILES_IN_PARALLEL) await Promise.all(items.slice(i, i + FILES_IN_PARALLEL).map(work));
}

/**
 * Who introduced and who fixed issues, from git blame: new issues of the files analyzed in this crawl
 * get the author of the latest commit among their flagged lines (one `git blame -L ... -L ...` per
 * file); issues resolved since get the author of the last commit that changed their file (or deleted
 * it), the blame of their old location when the change is not committed, or Code Roach when it
 * applied the fix.
 * Uncommitted lines stay unattributed. A failing file is counted and skipped, never fails the crawl.
 */
export async function attributeAuthors(store: AttributionStore, project: ProjectRef, root: string, analyzedFiles: readonly string[]): Promise<AttributionOutcome> {
  if (!(await isGitWorkTree(root))) return { available: false, reason: 'not a git repository' };
  const pending = await store.pendingAttribution(project, analyzedFiles);
  const introduced: Attribution[] = [];
  const fixed: Attribution[] = [];
  let failedFiles = 0;

  const blamed = byFile(pending.introduced);
  await inBatches([...blamed], async ([file, issues]) => {
    try {
      const blame = await blameRanges(root, file, issues.map((i) => ({ start: i.line, end: i.endLine })));
      for (const issue of issues) {
        const author = latestAuthor(blame, { start: issue.line, end: issue.endLine });
        if (author) introduced.push(toAttribution(issue.id, author));
      }
    } catch {
      failedFiles++;
    }
  });

  const byCodeRoach = pending.fixed.filter((f) => f.codeRoachActor !== null);
  for (const fix of byCodeRoach) fixed.push({ issueId: fix.id, email: CODE_ROACH_AUTHOR, name: fix.codeRoachActor, commit: null, at: fix.resolvedAt });
  const resolvedByCode = byFile(pending.fixed.filter((f) => f.codeRoachActor === null));
  const dirty = resolvedByCode.size > 0 ? await uncommittedFiles(root) : new Set<string>();
  await inBatches([...resolvedByCode], async ([file, issues]) => {
    try {
      // Committed: the last commit that touched the file (or deleted it) is the one that made the issue
      // go away; a deleted line leaves nothing to blame at its old place. Uncommitted: whoever last
      // changed the lines now at that place, and nobody when that change is not committed yet.
      const exists = await access(path.join(root, file)).then(() => true, () => false);
      if (!dirty.has(file) || !exists) {
        const by = await lastCommitOf(root, file);
        for (const issue of issues) fixed.push(toAttribution(issue.id, by));
        return;
      }
      const blame = await blameRanges(root, file, issues.map((i) => ({ start: i.line, end: i.endLine })));
      for (const issue of issues) fixed.push(toAttribution(issue.id, latestAuthor(blame, { start: issue.line, end: issue.endLine })));
    } catch {
      failedFiles++;
      for (const issue of issues) fixed.push(toAttribution(issue.id, null));
    }
  });

  await store.recordAttribution(project, introduced, fixed);
  return { available: true, introduced: introduced.length, fixed: fixed.filter((f) => f.email !== null).length, failedFiles };
}

/** attributeAuthors that never throws: a git or store failure becomes the unavailable reason. */
export async function attributeSafely(store: AttributionStore, project: ProjectRef, root: string, analyzedFiles: readonly string[]): Promise<AttributionOutcome> {
  return attributeAuthors(store, project, root, analyzedFiles).catch((error: unknown) => ({ available: false, reason: `failed: ${(error as Error).message}` }));
}

/** Two passes of one crawl as one record. */
export function mergeOutcomes(first: AttributionOutcome, second: AttributionOutcome): AttributionOutcome {
  if (!first.available) return first;
  if (!second.available) return second;
  return { available: true, introduced: first.introduced + second.introduced, fixed: first.fixed + second.fixed, failedFiles: first.failedFiles + second.failedFiles };
}
