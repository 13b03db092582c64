import path from 'node:path';
import { loadProjectConfig } from '../config/load.js';
import { loadRules } from '../engine/rules.js';
import type { RuleSet } from '../engine/rules.js';
import type { FixActionDeps } from '../fixes/fix-actions.js';
import { mineCommit, mineHistory } from '../git/history.js';
import type { CommitSource } from '../git/history.js';
import type { PatternExample } from '../engine/learn/cluster.js';
import { exportLearnedRules } from '../learning/learn-export.js';
import type { ExportResult } from '../learning/learn-export.js';
import { isHumanFix, learnFromApproval } from '../learning/learn-from-review.js';
import { learnAndStore, promoteBestTemplates } from '../learning/learn-templates.js';
import type { LearningRun } from '../learning/learn-templates.js';
import type { PipelineStore } from '../crawl/ports.js';
import type { ProjectRef } from '../domain/project-ref.js';
import type { StoredFix } from '../fixes/ports.js';
import { withProject } from './project-session.js';

export interface LearnSettings {
  readonly dir: string;
  readonly dataDir: string | undefined;
  readonly fromHistory: boolean;
  readonly since: string | undefined;
  readonly maxCommits: number;
  readonly exportDir: string | undefined;
}

export interface LearnResult {
  readonly minedCommits: number;
  readonly skippedCommits: number;
  readonly learning: LearningRun | null;
  readonly exported: ExportResult | null;
}

/** The project's rules as a crawl would load them (built-in pack, rule dirs and disabled rules from .roach.yml). */
export async function projectRules(root: string): Promise<{ rules: RuleSet; maxFileSizeBytes: number }> {
  const { config } = await loadProjectConfig(root);
  const rules = await loadRules({ extraDirs: config.rules.dirs.map((dir) => path.resolve(root, dir)), disabled: config.rules.disabled, enabled: config.rules.enabled });
  return { rules, maxFileSizeBytes: config.maxFileSizeBytes };
}

/** How many earlier fixing commits are re-read, at most, to pair with new examples. */
const MAX_EARLIER_COMMITS = 200;

/**
 * Examples from commits mined in earlier runs, for the patterns the new examples belong to. The store
 * keeps no source, only which commits fixed something, so they are read again from git: a pattern
 * fixed once last month and once today still gets its template.
 */
async function earlierPartners(store: PipelineStore, project: ProjectRef, source: CommitSource, fresh: readonly PatternExample[]): Promise<PatternExample[]> {
  if (fresh.length === 0) return [];
  const wanted = new Set(fresh.map((example) => example.patternFingerprint));
  const partners: PatternExample[] = [];
  for (const sha of await store.commitsWithExamples(project, MAX_EARLIER_COMMITS)) {
    // A commit gone from the repository (history rewritten) has nothing to offer any more.
    const commit = await mineCommit(source, sha).catch(() => null);
    partners.push(...(commit?.examples.filter((example) => wanted.has(example.patternFingerprint)) ?? []));
  }
  return partners;
}

/** Composition root of `roach learn`: mine the history (incrementally) and/or export templates as rule files. */
export async function runLearn(settings: LearnSettings): Promise<LearnResult> {
  return withProject(settings.dir, settings.dataDir, async ({ store, project, root }) => {
    const { rules, maxFileSizeBytes } = await projectRules(root);
    let learning: LearningRun | null = null;
    let minedCommits = 0;
    let skippedCommits = 0;
    if (settings.fromHistory) {
      const mined = await store.minedCommits(project);
      skippedCommits = mined.size;
      const commits = await mineHistory({ root, rules, since: settings.since, mined, maxCommits: settings.maxCommits, maxFileSizeBytes });
      const fresh = commits.flatMap((commit) => commit.examples);
      learning = await learnAndStore(store, project, [...fresh, ...(await earlierPartners(store, project, { root, rules, maxFileSizeBytes }, fresh))], 'history');
      // Recorded after the templates are stored: a run that dies midway mines the same commits again.
      await store.recordMinedCommits(project, commits.map((commit) => ({ sha: commit.sha, examples: commit.examples.length })));
      minedCommits = commits.length;
    }
    const exported = settings.exportDir ? await exportLearnedRules(path.resolve(settings.exportDir), await store.learnedTemplates(project), rules) : null;
    return { minedCommits, skippedCommits, learning, exported };
  });
}

/**
 * After a review decision: an approval re-learns the fix's pattern from the project's approvals, and
 * any decision re-ranks the pattern's templates, whose records it changed. The decision itself has
 * already been carried out: a learning failure is returned for the caller to report, never undoes it.
 */
export async function learnAfterDecision(deps: FixActionDeps<PipelineStore>, decided: StoredFix): Promise<LearningRun | Error> {
  try {
    if (decided.status === 'applied' && isHumanFix(decided)) {
      const { rules } = await projectRules(deps.root);
      return await learnFromApproval({ store: deps.store, project: deps.project, rules }, decided);
    }
    const promoted = await promoteBestTemplates(deps.store, deps.project, [decided.patternFingerprint]);
    return { examples: 0, clusters: [], promoted };
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}
