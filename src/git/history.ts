import { analyzeSource, PARSE_ERROR_RULE } from '../engine/analyze.js';
import { afterRegionOf } from '../engine/learn/after-region.js';
import type { PatternExample } from '../engine/learn/cluster.js';
import { languageOf } from '../engine/languages.js';
import { ruleSetOf } from '../engine/rules.js';
import type { RuleSet } from '../engine/rules.js';
import { SUPPRESSION_RULE } from '../engine/suppressions.js';
import type { Finding, Language } from '../domain/finding.js';
import { git } from './git.js';

export interface HistoryOptions {
  /** The project directory (inside a git work tree); only files under it are mined. */
  readonly root: string;
  readonly rules: RuleSet;
  /** Mine only commits after this ref (`<since>..HEAD`); all of HEAD's history when absent. */
  readonly since?: string;
  /** Commits mined before: skipped. */
  readonly mined: ReadonlySet<string>;
  /** The newest this many unmined commits at most, so a first run on a long history stays bounded. */
  readonly maxCommits: number;
  /** Files larger than this (bytes of text) are skipped, like the crawl skips them. */
  readonly maxFileSizeBytes: number;
}

export interface MinedCommit {
  readonly sha: string;
  readonly examples: readonly PatternExample[];
}

const NOT_LEARNABLE = new Set([PARSE_ERROR_RULE, SUPPRESSION_RULE]);

async function commitsToMine(options: HistoryOptions): Promise<string[]> {
  const range = options.since ? [`${options.since}..HEAD`] : ['HEAD'];
  const listed = await git(options.root, ['rev-list', '--first-parent', '--no-merges', `--max-count=${options.maxCommits + options.mined.size}`, ...range]);
  const fresh = listed.split('\n').map((line) => line.trim()).filter((sha) => sha !== '' && !options.mined.has(sha));
  return fresh.slice(0, options.maxCommits).reverse();
}

async function fileAt(root: string, commit: string, file: string): Promise<string> {
  return git(root, ['show', `${commit}:./${file}`]);
}

function overlaps(finding: Finding, start: number, end: number): boolean {
  return finding.range.startOffset < end && finding.range.endOffset > start;
}

/**
 * The findings of `before` that the commit fixed: their lines map into `after`, the text there
 * changed, and no finding of the same rule overlaps where it went. A finding whose lines were
 * deleted or rewritten beyond recognition is not a fix example.
 */
export function fixedFindings(before: string, after: string, file: string, language: Language, rules: RuleSet): PatternExample[] {
  const parent = analyzeSource({ text: before, file, language, rules });
  const candidates = parent.findings.filter((finding) => !NOT_LEARNABLE.has(finding.ruleId));
  if (candidates.length === 0) return [];
  // Analysis dominates mining time: the child only needs the rules that found something in the parent.
  const found = new Set(candidates.map((finding) => finding.ruleId));
  const child = analyzeSource({ text: after, file, language, rules: ruleSetOf(rules.rules.filter((rule) => found.has(rule.definition.id))) });
  if (child.syntaxProblems.length > parent.syntaxProblems.length) return [];
  const examples: PatternExample[] = [];
  for (const finding of candidates) {
    const { startOffset: start, endOffset: end } = finding.range;
    const region = afterRegionOf(before, start, end, after);
    if (!region || after.slice(region.start, region.end) === before.slice(start, end)) continue;
    if (child.findings.some((other) => other.ruleId === finding.ruleId && overlaps(other, region.start, Math.max(region.end, region.start + 1)))) continue;
    examples.push({ language, before, start, end, after, ruleId: finding.ruleId, patternFingerprint: finding.patternFingerprint, shape: finding.shape });
  }
  return examples;
}

export type CommitSource = Pick<HistoryOptions, 'root' | 'rules' | 'maxFileSizeBytes'>;

/**
 * The findings one commit fixed: the parent and child versions of only the files it modified are
 * analysed in memory (no checkout). A root commit fixed nothing.
 */
export async function mineCommit(source: CommitSource, sha: string): Promise<MinedCommit> {
  const parents = (await git(source.root, ['rev-list', '--parents', '-n', '1', sha])).trim().split(/\s+/).slice(1);
  const parent = parents[0];
  if (!parent) return { sha, examples: [] };
  const changed = await git(source.root, ['diff', '--name-only', '--relative', '--no-renames', '--diff-filter=M', parent, sha]);
  const examples: PatternExample[] = [];
  for (const file of changed.split('\n').map((line) => line.trim()).filter(Boolean)) {
    const language = languageOf(file);
    if (!language) continue;
    const [before, after] = await Promise.all([fileAt(source.root, parent, file), fileAt(source.root, sha, file)]);
    if (before.length > source.maxFileSizeBytes || after.length > source.maxFileSizeBytes) continue;
    examples.push(...fixedFindings(before, after, file, language, source.rules));
  }
  return { sha, examples };
}

/**
 * Walks the first-parent history, oldest first, mining each commit not mined before. Every commit
 * visited is returned, with or without examples, so that it is recorded as mined.
 */
export async function mineHistory(options: HistoryOptions): Promise<MinedCommit[]> {
  const out: MinedCommit[] = [];
  for (const sha of await commitsToMine(options)) out.push(await mineCommit(options, sha));
  return out;
}
