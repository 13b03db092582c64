import { findInFiles, parse } from '@ast-grep/napi';
import type { NapiConfig, SgNode } from '@ast-grep/napi';
import type { Language } from '../domain/finding.js';
import { astGrepLang, languageGlobs } from './languages.js';
import type { MatchPlan } from './combine.js';

/** What ast-grep found in one file of a batch: its tree's nodes that the combined config matched. */
export type BatchMatches = Map<string, SgNode[]>;

const batchConfigs = new WeakMap<MatchPlan, NapiConfig>();

/**
 * The combined config plus the tree's root node, so every file searched answers (even with no match):
 * a file that does not answer was not searched, and the caller analyzes it on its own.
 */
function batchConfig(language: Language, plan: MatchPlan, combined: NapiConfig): NapiConfig {
  let config = batchConfigs.get(plan);
  if (!config) {
    const rootKind = String(parse(astGrepLang(language), '').root().kind());
    const [anyRule, ...optional] = (combined.rule as { all: { any: unknown[] }[] }).all;
    config = { ...combined, rule: { all: [{ any: [...(anyRule?.any ?? []), { kind: rootKind }] }, ...optional] } as NapiConfig['rule'] };
    batchConfigs.set(plan, config);
  }
  return config;
}

/**
 * Runs a language's combined rule config over files on disk with ast-grep's own file search: the
 * config is compiled once for the whole batch (per-file `findAll` calls compile it every time, and
 * compiling the rules' regexes cost more than matching), and files are parsed on ast-grep's threads.
 * Returns the matched nodes per absolute path; null when the plan has nothing combined.
 */
export async function searchFiles(language: Language, plan: MatchPlan, paths: readonly string[]): Promise<BatchMatches | null> {
  if (!plan.combined || paths.length === 0) return null;
  const matcher = batchConfig(language, plan, plan.combined.config);
  const found: BatchMatches = new Map();
  let answered = 0;
  let settle: () => void = () => undefined;
  const allAnswered = new Promise<void>((resolve) => (settle = resolve));
  let expected = Number.POSITIVE_INFINITY;
  const searched = await findInFiles(astGrepLang(language), { paths: [...paths], matcher, languageGlobs: languageGlobs(language) }, (error, nodes) => {
    answered++;
    const first = nodes[0];
    if (!error && first) {
      const file = first.getRoot().filename();
      found.set(file, [...(found.get(file) ?? []), ...nodes]);
    }
    if (answered >= expected) settle();
  });
  // Callbacks may still arrive after the search resolves with the number of files that matched.
  expected = searched;
  if (answered >= expected) settle();
  await allAnswered;
  return found;
}
