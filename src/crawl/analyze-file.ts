import { readFile } from 'node:fs/promises';
import type { FileLanguage, Finding } from '../domain/finding.js';
import { contentHash } from '../domain/fingerprint.js';
import type { SgNode, SgRoot } from '@ast-grep/napi';
import type { Language } from '../domain/finding.js';
import { analyzeParsed, analyzeSource } from '../engine/analyze.js';
import type { ConventionCounts } from '../domain/conventions.js';
import type { ModuleFacts } from '../domain/module-facts.js';
import { searchFiles } from '../engine/batch.js';
import { generatedContentReason } from '../engine/generated.js';
import type { RuleSet } from '../engine/rules.js';
import { maskOtherFindings } from '../engine/secrets/findings.js';
import type { SecretScanner } from '../engine/secrets/scanner.js';
import { ProjectFileError, readProjectFile } from '../io/project-file.js';
import { decodeSource } from '../io/source-file.js';
import { copiedScriptReason } from './generated-code.js';
import type { SkipReason } from './walk.js';

export interface AnalyzeTaskFile {
  readonly path: string;
  readonly absolutePath: string;
  /** `text`: not code; only the secrets scan runs. */
  readonly language: FileLanguage;
  /** Hash stored by the last crawl; equal content is not analyzed again. */
  readonly previousSha256: string | null;
  /** Size seen by the walk: small jobs run without worker threads. Unknown: treated as large. */
  readonly sizeBytes?: number;
  /** Check the content for signs of generated code (engine/generated.ts); absent: not checked. */
  readonly generatedCheck?: boolean;
}

export type FileOutcome =
  | {
      readonly path: string;
      readonly status: 'analyzed';
      readonly sha256: string;
      readonly findings: Finding[];
      readonly syntaxProblems: number;
      /** The grammar failed but the language's own parser accepts the file (see engine/grammar-gap.ts). */
      readonly grammarGap?: string;
      /** Convention rules' counts in this file, kept in its file state (see decisions.ts). */
      readonly conventionCounts?: ConventionCounts;
      /** JavaScript/TypeScript: what flows to and from other modules (see domain/module-facts.ts). */
      readonly moduleFacts?: ModuleFacts;
    }
  | { readonly path: string; readonly status: 'unchanged'; readonly sha256: string }
  | { readonly path: string; readonly status: 'skipped'; readonly reason: SkipReason; readonly detail: string };

const MINIFIED_MIN_BYTES = 2048;
const MINIFIED_AVERAGE_LINE = 250;
const MINIFIED_LONGEST_LINE = 20_000;
const MINIFIED_BANNER_LINE = 500;
/** Text files (scanned for secrets only) up to this size are never treated as minified. */
const COMPACT_TEXT_LIMIT = 65_536;

/**
 * Minified or bundled output is generated, not written: findings in it cannot be fixed at the source
 * and its giant lines make every diff huge. Judged on line lengths only.
 */
export function minifiedReason(text: string): string | null {
  // A `/*!` comment first (minifiers keep those: the license banner of a build) and a long line: a small
  // minified build, such as a custom Modernizr.
  const banner = text.trimStart().startsWith('/*!');
  if (text.length < MINIFIED_MIN_BYTES && !banner) return null;
  let lines = 1;
  let longest = 0;
  let start = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    longest = Math.max(longest, i - start);
    start = i + 1;
    lines++;
  }
  longest = Math.max(longest, text.length - start);
  const average = text.length / lines;
  if (longest > MINIFIED_LONGEST_LINE) return `looks minified or bundled (a line of ${longest} characters)`;
  if (banner && longest > MINIFIED_BANNER_LINE) return `a minified build (a /*! license banner, then a line of ${longest} characters)`;
  if (text.length < MINIFIED_MIN_BYTES) return null;
  if (average > MINIFIED_AVERAGE_LINE) return `looks minified or bundled (${Math.round(average)} characters per line on average)`;
  return null;
}

/** A file read, hashed and decoded, ready for the rules; or its final outcome when there is nothing to analyze. */
type Prepared =
  | { readonly done: FileOutcome }
  | { readonly done: null; readonly file: AnalyzeTaskFile; readonly sha256: string; readonly text: string; readonly bom: boolean };

async function prepare(file: AnalyzeTaskFile, root: string | null): Promise<Prepared> {
  let bytes: Uint8Array;
  try {
    bytes = root === null ? await readFile(file.absolutePath) : await readProjectFile(root, file.absolutePath);
  } catch (error) {
    const reason = error instanceof ProjectFileError ? error.reason : 'unreadable';
    return { done: { path: file.path, status: 'skipped', reason, detail: (error as Error).message } };
  }
  const sha256 = contentHash(bytes);
  if (sha256 === file.previousSha256) return { done: { path: file.path, status: 'unchanged', sha256 } };
  const decoded = decodeSource(bytes);
  if (!decoded.ok) return { done: { path: file.path, status: 'skipped', reason: decoded.reason, detail: decoded.detail } };
  // A small text file on one line is a credential file written compactly (`jq -c` of a service-account
  // key), not a bundle: it is still scanned for secrets.
  const compactText = file.language === 'text' && decoded.text.length <= COMPACT_TEXT_LIMIT;
  const generated = compactText ? null : minifiedReason(decoded.text);
  if (generated) return { done: { path: file.path, status: 'skipped', reason: 'minified', detail: generated } };
  // Head, tail and (for files holding a helper's name) the top-level statements: cheap next to the rules.
  const marked = file.generatedCheck && file.language !== 'text' ? generatedContentReason(decoded.text, file.language) : null;
  if (marked) return { done: { path: file.path, status: 'skipped', reason: 'generated', detail: marked } };
  const copied = file.generatedCheck && file.language === 'javascript' ? copiedScriptReason(file.path, decoded.text) : null;
  if (copied) return { done: { path: file.path, status: 'skipped', reason: 'vendored', detail: copied } };
  return { done: null, file, sha256, text: decoded.text, bom: decoded.info.bom };
}

/**
 * Why a file that does not parse is a template rather than broken code: EJS/ERB tags (`<%= x %>`,
 * `<%- json %>`) in a file named for its output (`padBootstrap.js`, rendered by the server). Asked only of
 * files the grammar failed on, so valid code holding such text in a string is never skipped. Its partial
 * tree would give the rules fragments of code, and a parse-error finding would blame valid source.
 */
function templateTags(text: string): string | null {
  const open = text.indexOf('<%');
  return open >= 0 && text.indexOf('%>', open + 2) > 0 ? 'a template (EJS/ERB <% %> tags) that renders to code, not code the grammar can parse: no parse error reported, only the secrets scan ran' : null;
}

/** The rules' (and the secrets scan's) findings of a prepared file; `tree`: its batch search result. */
function finish(
  prepared: Extract<Prepared, { done: null }>,
  rules: RuleSet,
  secrets: SecretScanner | null,
  tree?: { root: SgRoot; nodes: readonly SgNode[] },
): FileOutcome {
  const { file, sha256, text } = prepared;
  const found = secrets?.scan(text, file.path, file.language, tree?.root) ?? { findings: [], matches: [] };
  if (file.language === 'text') return { path: file.path, status: 'analyzed', sha256, findings: found.findings, syntaxProblems: 0 };
  const input = { text, file: file.path, language: file.language, rules };
  const result = tree ? analyzeParsed(tree.root, input, tree.nodes) : analyzeSource(input);
  // A template's partial tree gives the rules fragments of code: only the secrets scan's findings stand.
  const template = result.syntaxProblems.length > 0 && !result.grammarGap ? templateTags(text) : null;
  if (template) return { path: file.path, status: 'analyzed', sha256, findings: found.findings, syntaxProblems: result.syntaxProblems.length, grammarGap: template };
  const findings = [...maskOtherFindings(result.findings, text, found.matches), ...found.findings];
  const gap = result.grammarGap ? { grammarGap: result.grammarGap } : {};
  const conventions = Object.keys(result.conventionCounts).length > 0 ? { conventionCounts: result.conventionCounts } : {};
  const facts = result.moduleFacts ? { moduleFacts: result.moduleFacts } : {};
  return { path: file.path, status: 'analyzed', sha256, findings, syntaxProblems: result.syntaxProblems.length, ...gap, ...conventions, ...facts };
}

/**
 * Reads, hashes, decodes and analyzes one file. Every failure becomes a skip with its reason. With a
 * secrets scanner, secrets are found too, and every other finding of the file is masked the same way.
 */
export async function analyzeFile(file: AnalyzeTaskFile, rules: RuleSet, secrets: SecretScanner | null = null, root: string | null = null): Promise<FileOutcome> {
  const prepared = await prepare(file, root);
  return prepared.done ?? finish(prepared, rules, secrets);
}

/**
 * Analyzes a batch of files: per language, one ast-grep search over the files on disk matches every
 * combinable rule (compiled once for the batch, see engine/batch.ts). A file is analyzed on its own
 * instead when the search could not stand for it: its text on disk is not what was decoded (a BOM, or
 * it changed in between), or the search did not answer for it. With `root` (every crawl), files are read
 * only inside it (see readProjectFile); without it (tests of the analysis alone), as given.
 */
export async function analyzeFiles(files: readonly AnalyzeTaskFile[], rules: RuleSet, secrets: SecretScanner | null = null, root: string | null = null): Promise<FileOutcome[]> {
  const prepared = await Promise.all(files.map((file) => prepare(file, root)));
  const searchable = new Map<Language, string[]>();
  for (const item of prepared) {
    if (item.done || item.file.language === 'text' || item.bom) continue;
    const language = item.file.language;
    const list = searchable.get(language) ?? [];
    list.push(item.file.absolutePath);
    searchable.set(language, list);
  }
  const trees = new Map<string, SgNode[]>();
  for (const [language, paths] of searchable) {
    const found = await searchFiles(language, rules.matchPlan(language), paths);
    for (const [file, nodes] of found ?? []) trees.set(file, nodes);
  }
  return prepared.map((item) => {
    if (item.done) return item.done;
    const nodes = trees.get(item.file.absolutePath);
    const root = nodes?.[0]?.getRoot();
    // Offsets must refer to the decoded text: only a tree of exactly that text stands for the file.
    if (!nodes || !root || root.root().text() !== item.text) return finish(item, rules, secrets);
    return finish(item, rules, secrets, { root, nodes });
  });
}
