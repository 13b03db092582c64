/**
 * The project's own decisions about our rules (issue 13 point 3b/3c), applied to a crawl's findings:
 * - a core ESLint rule the project's ESLint configuration turns off for every file turns off its
 *   equivalent built-in rule(s) (the configuration is read as data, see engine/eslint-config.ts);
 * - a style rule with a `convention` section whose findings are at least `threshold` of findings plus
 *   conforming nodes across the project is the project's practice, not N mistakes: its findings are
 *   dropped and the report carries one convention note instead.
 * `.roach.yml` respect.enforce keeps a rule reported in full. (Other tools' inline suppressions are
 * applied in the engine, per file: engine/other-suppressions.ts.)
 */
import path from 'node:path';
import type { ConventionCounts } from '../domain/conventions.js';
import type { Finding } from '../domain/finding.js';
import { builtInRulesForEslint } from '../domain/rule-names.js';
import { rulesOffInData, rulesOffInJavaScript, rulesOffInJsonOrYaml } from '../engine/eslint-config.js';
import type { RuleSet } from '../engine/rules.js';
import { readProjectFile } from '../io/project-file.js';
import { BIOME_CONFIG_FILES, eslintRulesOffInBiomeText } from './biome-config.js';
import { GOLANGCI_CONFIG_FILES, gosecExcludesInText } from './golangci-config.js';
import { configFolders } from './scoped-configs.js';

export interface RuleOff {
  readonly rule: string;
  readonly eslintRule: string;
}

export interface EslintConfigDecision {
  /** The configuration files read in the root folder (`package.json` for `eslintConfig`); empty without one. */
  readonly file: string;
  /** Built-in rules turned off, with the ESLint rule that turned each off. */
  readonly rulesOff: readonly RuleOff[];
  /** Configurations of sub-folders (a monorepo's packages, a `server/` beside a `client/`): off only under their folder. */
  readonly scoped?: readonly ScopedConfigDecision[];
}

export interface ScopedConfigDecision {
  /** The folder, relative to the root, with `/` separators and no trailing slash. */
  readonly folder: string;
  /** The configuration files read there, relative to the root. */
  readonly file: string;
  readonly rulesOff: readonly RuleOff[];
}

export interface ConventionNote {
  readonly rule: string;
  /** The rule's findings across the project, and the nodes written the way it wants. */
  readonly violating: number;
  readonly conforming: number;
  readonly message: string;
}

/** What the crawl needs, read once per crawl from the root (see loadDecisionFacts). */
export interface DecisionOptions {
  readonly eslintConfig: EslintConfigDecision | null;
  readonly conventions: boolean;
  readonly enforce: readonly string[];
}

export interface ProjectDecisions {
  readonly eslintConfig: EslintConfigDecision | null;
  readonly conventions: readonly ConventionNote[];
  /** Rule ids whose findings are dropped. */
  readonly off: ReadonlySet<string>;
  /** Rule ids whose findings are dropped under a folder (its own linter configuration). */
  readonly offUnder: readonly { readonly folder: string; readonly rules: ReadonlySet<string> }[];
  /** Stable text of `off` and `offUnder`, kept per file: a file analyzed under other decisions is analyzed again. */
  readonly key: string;
}

/** ESLint's own lookup order in the root folder: flat configuration first, then the legacy files. */
const CONFIG_FILES: readonly { readonly name: string; readonly read: (text: string) => string[] | null }[] = [
  ...['eslint.config.js', 'eslint.config.mjs', 'eslint.config.cjs'].map((name) => ({ name, read: (text: string) => rulesOffInJavaScript(text, 'javascript') })),
  ...['eslint.config.ts', 'eslint.config.mts', 'eslint.config.cts'].map((name) => ({ name, read: (text: string) => rulesOffInJavaScript(text, 'typescript') })),
  ...['.eslintrc.js', '.eslintrc.cjs'].map((name) => ({ name, read: (text: string) => rulesOffInJavaScript(text, 'javascript') })),
  ...['.eslintrc.yaml', '.eslintrc.yml', '.eslintrc.json', '.eslintrc'].map((name) => ({ name, read: rulesOffInJsonOrYaml })),
  { name: 'package.json', read: (text: string) => eslintConfigOfPackage(text) },
];

function eslintConfigOfPackage(text: string): string[] | null {
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch {
    return null;
  }
  const config = typeof manifest === 'object' && manifest !== null ? (manifest as Record<string, unknown>).eslintConfig : undefined;
  return config === undefined ? null : rulesOffInData(config);
}

/** Configuration files are small; a huge one is not read. */
const CONFIG_LIMIT_BYTES = 512 * 1024;

async function configText(root: string, name: string): Promise<string | null> {
  const bytes = await readProjectFile(root, path.join(root, name)).catch(() => null);
  return bytes && bytes.length <= CONFIG_LIMIT_BYTES ? bytes.toString('utf8') : null;
}

/**
 * The first of a linter's configuration files (in its lookup order) found in a folder and read to a value;
 * null without one. `read` gives null for a file that says nothing (or does not parse): the next is tried.
 */
async function firstConfig<T>(
  root: string,
  folder: string,
  files: readonly { readonly name: string; readonly read: (text: string, name: string) => T | null | Promise<T | null> }[],
): Promise<{ file: string; value: T } | null> {
  for (const { name: base, read } of files) {
    const name = path.posix.join(folder, base);
    const text = await configText(root, name);
    const value = text === null ? null : await read(text, name);
    if (value !== null) return { file: name, value };
  }
  return null;
}

const BIOME_FILES = BIOME_CONFIG_FILES.map((name) => ({ name, read: (text: string, file: string) => eslintRulesOffInBiomeText(file, text) }));
const GOLANGCI_FILES = GOLANGCI_CONFIG_FILES.map((name) => ({ name, read: gosecExcludesInText }));

/** A folder's linter configurations (ESLint's, Biome's, golangci-lint's gosec excludes) as the built-in rules they turn off; null without any. */
async function folderRulesOff(root: string, folder: string): Promise<{ file: string; rulesOff: RuleOff[] } | null> {
  const found = [await firstConfig(root, folder, CONFIG_FILES), await firstConfig(root, folder, BIOME_FILES)].filter((config) => config !== null);
  const golangci = await firstConfig(root, folder, GOLANGCI_FILES);
  if (found.length === 0 && !golangci) return null;
  const rulesOff = [...found.flatMap(({ value }) => value.flatMap((eslintRule) => builtInRulesForEslint(eslintRule).map((rule) => ({ rule, eslintRule })))), ...(golangci?.value ?? [])];
  const unique = [...new Map(rulesOff.map((entry) => [entry.rule, entry])).values()];
  return { file: [...found.map((config) => config.file), ...(golangci ? [golangci.file] : [])].join(', '), rulesOff: unique };
}

/**
 * The project's linter configurations (ESLint's, and Biome's, which projects use instead or beside it;
 * golangci-lint's gosec excludes for Go), as the built-in rules they turn off; null without any.
 * `eslintRule` names the linter's own check (`gosec:G401` for golangci-lint's). The root folder's apply
 * everywhere; those of sub-folders up to two levels deep (see scoped-configs.ts) only under their folder,
 * as ESLint applies a package's configuration to the package.
 */
export async function loadEslintDecision(root: string): Promise<EslintConfigDecision | null> {
  const atRoot = await folderRulesOff(root, '');
  const scoped: ScopedConfigDecision[] = [];
  const names = new Set([...CONFIG_FILES.map((config) => config.name), ...BIOME_CONFIG_FILES, ...GOLANGCI_CONFIG_FILES]);
  for (const folder of await configFolders(root, names)) {
    const found = await folderRulesOff(root, folder);
    if (found && found.rulesOff.length > 0) scoped.push({ folder, ...found });
  }
  if (!atRoot && scoped.length === 0) return null;
  return { file: atRoot?.file ?? '', rulesOff: atRoot?.rulesOff ?? [], ...(scoped.length > 0 ? { scoped } : {}) };
}

/** Reads what the decisions need from the project root, as `.roach.yml` respect asks. */
export async function loadDecisionFacts(root: string, respect: { readonly eslintConfig: boolean; readonly conventions: boolean; readonly enforce: readonly string[] }): Promise<DecisionOptions> {
  return { eslintConfig: respect.eslintConfig ? await loadEslintDecision(root) : null, conventions: respect.conventions, enforce: respect.enforce };
}

/** The convention rules whose practice the project contradicts consistently, from every file's counts. */
export function conventionNotes(rules: RuleSet, counts: Iterable<ConventionCounts>): ConventionNote[] {
  const totals = new Map<string, { violating: number; conforming: number }>();
  for (const fileCounts of counts) {
    for (const [rule, { violating, conforming }] of Object.entries(fileCounts)) {
      const total = totals.get(rule) ?? { violating: 0, conforming: 0 };
      totals.set(rule, { violating: total.violating + violating, conforming: total.conforming + conforming });
    }
  }
  const notes: ConventionNote[] = [];
  for (const [rule, { violating, conforming }] of [...totals].sort(([a], [b]) => a.localeCompare(b))) {
    const convention = rules.byId(rule)?.definition.convention;
    if (!convention || violating + conforming < convention.minimum || violating / (violating + conforming) < convention.threshold) continue;
    const share = Math.floor((1000 * violating) / (violating + conforming)) / 10;
    notes.push({
      rule,
      violating,
      conforming,
      message: `The project writes this consistently the other way (${violating} of ${violating + conforming}, ${share}%): taken as its convention, reported once instead of ${violating} findings. Enable it with .roach.yml respect.enforce.`,
    });
  }
  return notes;
}

/** The crawl's decisions from the loaded facts and every file's convention counts. */
export function decideProject(options: DecisionOptions | undefined, rules: RuleSet, counts: Iterable<ConventionCounts>): ProjectDecisions {
  if (!options) return { eslintConfig: null, conventions: [], off: new Set(), offUnder: [], key: '' };
  const enforced = new Set(options.enforce);
  const conventions = options.conventions ? conventionNotes(rules, counts).filter((note) => !enforced.has(note.rule)) : [];
  const eslintOff = (options.eslintConfig?.rulesOff ?? []).map((entry) => entry.rule).filter((rule) => !enforced.has(rule));
  const off = new Set([...eslintOff, ...conventions.map((note) => note.rule)]);
  const offUnder = (options.eslintConfig?.scoped ?? []).map((config) => ({ folder: config.folder, rules: new Set(config.rulesOff.map((entry) => entry.rule).filter((rule) => !enforced.has(rule))) }));
  const key = [[...off].sort().join(','), ...offUnder.map(({ folder, rules }) => `${folder}:${[...rules].sort().join(',')}`)].join(';');
  return { eslintConfig: options.eslintConfig, conventions, off, offUnder, key };
}

/** The findings the project's decisions leave. */
export function respectDecisions<T extends Pick<Finding, 'ruleId' | 'file'>>(findings: readonly T[], decisions: ProjectDecisions): T[] {
  const offHere = (finding: T): boolean => decisions.offUnder.some(({ folder, rules }) => rules.has(finding.ruleId) && finding.file.startsWith(`${folder}/`));
  return decisions.off.size === 0 && decisions.offUnder.length === 0 ? [...findings] : findings.filter((finding) => !decisions.off.has(finding.ruleId) && !offHere(finding));
}
