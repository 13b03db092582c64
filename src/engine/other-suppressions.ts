/**
 * Other tools' inline suppressions, read as the project's decisions about rules that ours repeat. Their
 * rule names are mapped to our rule ids (domain/rule-names.ts for ESLint, suppression-names.ts for the
 * others); a name we do not know suppresses nothing. Only comment nodes (and Java annotation nodes) are
 * read, never source text.
 */
import type { SgNode } from '@ast-grep/napi';
import type { Language } from '../domain/finding.js';
import { builtInRulesForEslint } from '../domain/rule-names.js';
import type { Category } from '../domain/severity.js';
import { goLinter, goRulesForGosecTest, javaRulesForWarning, pythonRulesForBanditTest, pythonRulesForCode, pythonRulesForPylint } from './suppression-names.js';
import { placeOf } from './suppression-model.js';
import type { Suppression, SuppressionTool } from './suppression-model.js';

/** Texts without any of these have no other tool's suppression (the fast path of suppressionsOf). */
export const OTHER_TOOL_MARKERS: Readonly<Record<Language, readonly string[]>> = Object.freeze({
  javascript: ['eslint', 'oxlint', 'nosemgrep'],
  typescript: ['eslint', 'oxlint', 'nosemgrep'],
  tsx: ['eslint', 'oxlint', 'nosemgrep'],
  python: ['noqa', 'NOQA', 'nosec', 'nosemgrep', 'pylint'],
  go: ['nolint', 'nosec', 'nosemgrep'],
  java: ['SuppressWarnings', 'nosemgrep'],
});

export interface FileContext {
  readonly text: string;
  readonly lineCount: number;
  /** Block `eslint-disable` (`oxlint-disable`) comments not yet closed by an `eslint-enable` (`oxlint-enable`). */
  readonly state: { readonly openBlocks: Suppression[] };
}

const SECURITY: ReadonlySet<Category> = new Set(['security']);

/** `// x`, `# x`, `/* x *\/` -> `x`. The node is already known to be a comment. */
export function commentBody(text: string): string {
  if (text.startsWith('/*')) return text.slice(2, text.endsWith('*/') ? -2 : undefined).replace(/^\s*\*/gm, '').trim();
  if (text.startsWith('//')) return text.slice(2).trim();
  if (text.startsWith('#')) return text.slice(1).trim();
  return text.trim();
}

type Scope = Pick<Suppression, 'rules' | 'categories'>;

function suppression(tool: SuppressionTool, node: SgNode, fromLine: number, toLine: number, scope: Scope): Suppression {
  return { tool, fromLine, toLine, ...scope, reason: null, comment: placeOf(node) };
}

/** Whether nothing but white space precedes the comment on its line. */
function standsAlone(text: string, offset: number): boolean {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return text.slice(lineStart, offset).trim() === '';
}

/** The comment's line, or, for a comment on a line of its own, through the end of the statement or declaration after it. */
function linesOfAttached(node: SgNode, text: string): { fromLine: number; toLine: number } {
  const { start, end } = node.range();
  if (!standsAlone(text, start.index)) return { fromLine: start.line, toLine: start.line };
  let next = node.next();
  while (next && String(next.kind()).includes('comment')) next = next.next();
  // Go wraps a block's statements in a statement_list: the statement is its first child.
  if (next?.kind() === 'statement_list') next = next.children().find((child) => child.isNamed() && !String(child.kind()).includes('comment')) ?? next;
  return { fromLine: start.line, toLine: next ? next.range().end.line : end.line + 1 };
}

function mapped(names: readonly string[], map: (name: string) => readonly string[]): ReadonlySet<string> {
  return new Set(names.flatMap(map));
}

/** `a, b -- why` -> [a, b]: ESLint's rule lists end at an optional `--` description. */
function eslintNames(rest: string): string[] {
  const [list = ''] = rest.split(/(?:^|\s)--(?:\s|$)/);
  return list.split(/[\s,]+/).filter(Boolean);
}

/** `no-empty: 0, quotes: [2, "double"]` -> the rules set to off (`0`, `"off"`, `["off", ...]`). */
export function rulesTurnedOff(config: string): string[] {
  const entries: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < config.length; i++) {
    const char = config.charAt(i);
    if (quote) {
      if (char === quote) quote = null;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '[' || char === '{') depth++;
    else if (char === ']' || char === '}') depth--;
    else if (char === ',' && depth === 0) {
      entries.push(config.slice(start, i));
      start = i + 1;
    }
  }
  entries.push(config.slice(start));
  return entries.flatMap((entry) => {
    const colon = entry.indexOf(':');
    if (colon < 0) return [];
    const name = entry.slice(0, colon).trim().replace(/^["']|["']$/g, '');
    const value = entry.slice(colon + 1).trim().replace(/^\[\s*/, '').split(/[\s,\]]/)[0]?.replace(/^["']|["']$/g, '');
    return name && (value === '0' || value === 'off') ? [name] : [];
  });
}

/** ESLint's directives, and oxlint's, which reads the same forms under its own prefix too. */
const ESLINT_DIRECTIVE = /^(eslint|oxlint)(-disable-next-line|-disable-line|-disable|-enable|)(?=\s|$)\s*(.*)$/s;

/**
 * oxlint names a rule by its plugin (`eslint/no-debugger`, `typescript/no-explicit-any`, `unicorn/x`);
 * ESLint's names for the same rules are what rule-names.ts maps.
 */
function eslintNameOfOxlint(name: string): string {
  if (name.startsWith('eslint/')) return name.slice('eslint/'.length);
  if (name.startsWith('typescript/')) return `@typescript-eslint/${name.slice('typescript/'.length)}`;
  return name;
}

function eslintSuppression(node: SgNode, body: string, context: FileContext): Suppression[] {
  const match = ESLINT_DIRECTIVE.exec(body);
  if (!match) return [];
  const [, prefix = 'eslint', form = '', rest = ''] = match;
  const tool: SuppressionTool = prefix === 'oxlint' ? 'oxlint' : 'eslint';
  const directive = `eslint${form}`;
  const { start, end } = node.range();
  const names = eslintNames(rest).map((name) => (tool === 'oxlint' ? eslintNameOfOxlint(name) : name));
  const scope: Scope = { rules: names.length > 0 ? mapped(names, builtInRulesForEslint) : null, categories: null };
  if (directive === 'eslint-disable-line') return [suppression(tool, node, start.line, start.line, scope)];
  if (directive === 'eslint-disable-next-line') return [suppression(tool, node, end.line + 1, end.line + 1, scope)];
  // ESLint reads the block forms only from block comments; oxlint reads `// oxlint-disable` too.
  if (tool === 'eslint' && !node.text().startsWith('/*')) return [];
  if (directive === 'eslint') {
    if (tool === 'oxlint') return [];
    const [config = ''] = rest.split(/\s--(?:\s|$)/);
    const off = rulesTurnedOff(config);
    return off.length > 0 ? [suppression('eslint', node, 0, context.lineCount, { rules: mapped(off, builtInRulesForEslint), categories: null })] : [];
  }
  const blocks = context.state.openBlocks;
  if (directive === 'eslint-disable') {
    blocks.push(suppression(tool, node, start.line, context.lineCount, scope));
    return [];
  }
  // eslint-enable: closes the blocks it names (all of them without names); a disable-all block stays open
  // when only some rules are re-enabled (erring on the side of the project's decision).
  const closed: Suppression[] = [];
  const enabled = scope.rules;
  for (const block of blocks.splice(0)) {
    // each tool's enable closes only its own blocks
    if (block.tool !== tool) blocks.push(block);
    else if (enabled === null) closed.push({ ...block, toLine: start.line });
    else if (block.rules === null) blocks.push(block);
    else {
      const ending = [...block.rules].filter((id) => enabled.has(id));
      const staying = [...block.rules].filter((id) => !enabled.has(id));
      if (ending.length > 0) closed.push({ ...block, rules: new Set(ending), toLine: start.line });
      if (staying.length > 0) blocks.push({ ...block, rules: new Set(staying) });
    }
  }
  return closed;
}

const NOSEMGREP = /(?:^|\s)nosemgrep(?:\s*:\s*([\w.\-/]+(?:\s*,\s*[\w.\-/]+)*))?/;

/** `nosemgrep` on the finding's line, or alone on the line before it; without ids, every security finding there. */
function semgrepSuppression(node: SgNode, body: string, text: string): Suppression[] {
  const match = NOSEMGREP.exec(body);
  if (!match) return [];
  const ids = match[1]?.split(/\s*,\s*/) ?? [];
  const { start } = node.range();
  const toLine = standsAlone(text, start.index) ? start.line + 1 : start.line;
  // Semgrep's ids are not ours: an id suppresses only a rule of exactly that id.
  return [suppression('semgrep', node, start.line, toLine, ids.length > 0 ? { rules: new Set(ids), categories: null } : { rules: null, categories: SECURITY })];
}

const CODE_LIST = '([A-Z]+[0-9]+(?:[\\s,]+[A-Z]+[0-9]+)*)';
const NOQA = new RegExp(`(?:^|[\\s#])noqa(?::\\s*${CODE_LIST})?`, 'i');
const NOSEC = new RegExp(`(?:^|[\\s#])#?nosec(?:\\s*:?\\s*${CODE_LIST})?`, 'i');
const NOLINT = /^nolint(?::([\w,-]+))?(?=\s|$)/;

function codes(list: string | undefined): string[] {
  return list ? list.split(/[\s,]+/).filter(Boolean) : [];
}

/** Ruff's and flake8's file-level exemption: `# ruff: noqa`, `# ruff: noqa: E722`, `# flake8: noqa`. */
const FILE_NOQA = new RegExp(`^(?:ruff|flake8)\\s*:\\s*noqa(?::\\s*${CODE_LIST})?\\s*$`, 'i');

const PYLINT = /pylint\s*:\s*(disable-next|disable|skip-file)\b(?:\s*=\s*([\w-]+(?:\s*,\s*[\w-]+)*))?/;

/**
 * Pylint's `# pylint: disable=bare-except` as pylint scopes it: at the end of a code line, that line; on a
 * line of its own, from there to the end of the block or statement it sits in (the module: the rest of
 * the file); `disable-next=`, the next line; `skip-file` or `disable=all`, every rule there.
 */
function pylintSuppression(node: SgNode, body: string, text: string, lineCount: number): Suppression[] {
  const match = PYLINT.exec(body);
  if (!match) return [];
  const line = node.range().start.line;
  if (match[1] === 'skip-file') return [suppression('pylint', node, 0, lineCount, { rules: null, categories: null })];
  const names = codes(match[2]);
  const all = names.some((name) => pythonRulesForPylint(name) === 'all');
  const scope: Scope = all ? { rules: null, categories: null } : { rules: new Set(names.flatMap((name) => pythonRulesForPylint(name) as readonly string[])), categories: null };
  if (match[1] === 'disable-next') return [suppression('pylint', node, line + 1, line + 1, scope)];
  if (!standsAlone(text, node.range().start.index)) return [suppression('pylint', node, line, line, scope)];
  const parent = node.parent();
  const toLine = !parent || parent.kind() === 'module' ? lineCount : parent.range().end.line;
  return [suppression('pylint', node, line, toLine, scope)];
}

function pythonSuppressions(node: SgNode, body: string, text: string, lineCount: number): Suppression[] {
  const line = node.range().start.line;
  const out: Suppression[] = [...pylintSuppression(node, body, text, lineCount)];
  const fileWide = FILE_NOQA.exec(body);
  if (fileWide) {
    const listed = codes(fileWide[1]);
    return [...out, suppression('noqa', node, 0, lineCount, { rules: listed.length > 0 ? mapped(listed, pythonRulesForCode) : null, categories: null })];
  }
  const noqa = NOQA.exec(body);
  if (noqa) {
    const listed = codes(noqa[1]);
    out.push(suppression('noqa', node, line, line, { rules: listed.length > 0 ? mapped(listed, pythonRulesForCode) : null, categories: null }));
  }
  const nosec = NOSEC.exec(body);
  if (nosec) {
    const listed = codes(nosec[1]);
    out.push(suppression('nosec', node, line, line, listed.length > 0 ? { rules: mapped(listed, pythonRulesForBanditTest), categories: null } : { rules: null, categories: SECURITY }));
  }
  return out;
}

function goSuppressions(node: SgNode, body: string, text: string): Suppression[] {
  const { fromLine, toLine } = linesOfAttached(node, text);
  const out: Suppression[] = [];
  const nolint = NOLINT.exec(body);
  if (nolint) {
    const linters = nolint[1]?.split(',').filter(Boolean) ?? [];
    if (linters.length === 0 || linters.includes('all')) out.push(suppression('nolint', node, fromLine, toLine, { rules: null, categories: null }));
    else {
      const found = linters.map(goLinter);
      const ids = new Set(found.flatMap((linter) => linter.ids));
      const categories = new Set(found.flatMap((linter) => linter.categories));
      if (ids.size > 0) out.push(suppression('nolint', node, fromLine, toLine, { rules: ids, categories: null }));
      if (categories.size > 0) out.push(suppression('nolint', node, fromLine, toLine, { rules: null, categories }));
    }
  }
  // gosec's own annotation: `// #nosec` or `// #nosec G204 -- why`.
  const nosec = /^#nosec(?=\s|$)\s*((?:G\d{3}[\s,]*)*)/.exec(body);
  if (nosec) {
    const listed = codes(nosec[1]);
    out.push(suppression('nosec', node, fromLine, toLine, listed.length > 0 ? { rules: mapped(listed, goRulesForGosecTest), categories: null } : { rules: null, categories: SECURITY }));
  }
  return out;
}

/** Another tool's suppressions in one comment node. */
export function otherToolSuppression(node: SgNode, body: string, language: Language, context: FileContext): Suppression[] {
  const semgrep = semgrepSuppression(node, body, context.text);
  switch (language) {
    case 'javascript':
    case 'typescript':
    case 'tsx':
      return [...eslintSuppression(node, body, context), ...semgrep];
    case 'python':
      return [...pythonSuppressions(node, body, context.text, context.lineCount), ...semgrep];
    case 'go':
      return [...goSuppressions(node, body, context.text), ...semgrep];
    case 'java':
      return semgrep;
  }
}

const SUPPRESS_WARNINGS = /^(java\.lang\.)?SuppressWarnings$/;

/**
 * Java's `@SuppressWarnings("...")`, scoped to the declaration it annotates: `"all"` covers every rule,
 * other names the rules they are known to stand for (and a rule of exactly that id).
 */
export function javaSuppressions(root: SgNode): Suppression[] {
  const out: Suppression[] = [];
  for (const annotation of root.findAll({ rule: { kind: 'annotation' } })) {
    const name = annotation.field('name')?.text() ?? '';
    if (!SUPPRESS_WARNINGS.test(name)) continue;
    const names = annotation.findAll({ rule: { kind: 'string_fragment' } }).map((n) => n.text());
    const modifiers = annotation.parent();
    const declaration = modifiers?.kind() === 'modifiers' ? modifiers.parent() : null;
    if (!declaration) continue;
    const { start, end } = declaration.range();
    const scope: Scope = names.includes('all') ? { rules: null, categories: null } : { rules: new Set([...names, ...names.flatMap(javaRulesForWarning)]), categories: null };
    out.push(suppression('java', annotation, start.line, end.line, scope));
  }
  return out;
}
