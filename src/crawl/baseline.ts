import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RuleSelection, RuleSet } from '../engine/rules.js';
import type { SecretScanOptions } from '../engine/secrets/scanner.js';
import { analyzeAll } from './analyze-pool.js';
import type { AnalysisLimits } from './analyze-pool.js';
import { baseCommit, extractTree } from '../git/git.js';
import { walkTree } from './walk.js';
import { withGrammarGaps } from './grammar-gaps.js';
import type { WalkOptions } from './walk.js';
import { loadCodeRoles, testCodePolicy } from './test-code.js';
import type { TestCodeSettings } from './test-code.js';

/** The baseline tree is walked with the crawl's own walk settings. */
export interface BaselineOptions extends Pick<WalkOptions, 'root' | 'include' | 'exclude' | 'maxFileSizeBytes' | 'generated'> {
  /** A commit, branch or tag; its merge-base with HEAD is the baseline. */
  readonly ref: string;
  readonly selection: RuleSelection;
  /** Fingerprints per commit are kept here, so a baseline is computed once. */
  readonly cacheDir: string;
  readonly ruleIds: readonly string[];
  readonly threads?: number;
  /** The crawl's secrets settings, so secret findings are compared like any other. */
  readonly secrets?: SecretScanOptions;
  /** The crawl's per-file analysis limits: the baseline tree is project input too. */
  readonly analysisLimits?: Partial<AnalysisLimits>;
  /** The crawl's test-code settings and rules, so findings the crawl drops in test code are dropped here too. */
  readonly testCode?: { readonly settings: TestCodeSettings; readonly rules: RuleSet };
}

export interface Baseline {
  readonly ref: string;
  readonly commit: string;
  readonly fingerprints: ReadonlySet<string>;
}

/**
 * The issues that already existed at the baseline commit, by fingerprint: the tree of that commit
 * is analyzed with the same rules and settings (no store, no fixes). Issues found now whose
 * fingerprint is in this set are existing; the others are new. Nothing to maintain by hand.
 */
export async function computeBaseline(options: BaselineOptions): Promise<Baseline> {
  const commit = await baseCommit(options.root, options.ref);
  const settingsKey = createHash('sha256')
    .update(JSON.stringify([options.ruleIds, options.include, options.exclude, options.maxFileSizeBytes, options.secrets ?? null, options.testCode?.settings ?? null, options.generated ?? null]))
    .digest('hex')
    .slice(0, 16);
  const cacheFile = path.join(options.cacheDir, 'baselines', `${commit}-${settingsKey}.json`);
  const cached = await readFile(cacheFile, 'utf8').then((text) => JSON.parse(text) as string[], () => null);
  if (cached) return { ref: options.ref, commit, fingerprints: new Set(cached) };

  const tree = await mkdtemp(path.join(tmpdir(), 'roach-baseline-'));
  try {
    await extractTree(options.root, commit, tree);
    const walked = await walkTree({ root: tree, include: options.include, exclude: options.exclude, maxFileSizeBytes: options.maxFileSizeBytes, textFiles: options.secrets?.enabled === true, generated: options.generated });
    const outcomes = await analyzeAll({
      selection: options.selection,
      root: tree,
      files: walked.files.map((file) => ({ path: file.path, absolutePath: file.absolutePath, language: file.language, previousSha256: null, sizeBytes: file.sizeBytes, generatedCheck: file.generatedCheck === true })),
      threads: options.threads,
      secrets: options.secrets,
      limits: options.analysisLimits,
    });
    const inTests = options.testCode ? testCodePolicy(await loadCodeRoles(tree, walked.files, options.testCode.settings), options.testCode.rules) : null;
    const analyzed = outcomes.flatMap((outcome) => (outcome.status === 'analyzed' ? outcome.findings : []));
    // The same parse errors as the crawl's: those the language's own parser contradicts are left out.
    const fingerprints = (await withGrammarGaps(tree, outcomes, inTests ? inTests(analyzed) : analyzed)).findings.map((f) => f.fingerprint);
    await mkdir(path.dirname(cacheFile), { recursive: true });
    await writeFile(cacheFile, JSON.stringify(fingerprints));
    return { ref: options.ref, commit, fingerprints: new Set(fingerprints) };
  } finally {
    await rm(tree, { recursive: true, force: true });
  }
}
