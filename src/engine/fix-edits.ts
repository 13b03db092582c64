import type { NapiConfig, SgNode } from '@ast-grep/napi';
import type { RuleFile } from './rule-schema.js';
import type { Edit, Language, TemplateFix } from '../domain/finding.js';
import type { RuleMatch } from './combine.js';
import { inIndentStyle, inQuoteStyle, inSemicolonStyle, indentUnitOf, isTerminableStatement, quoteStyleOf, semicolonStyleOf } from './fix-style.js';
import type { DeclaredStyle, SemicolonStyle } from './fix-style.js';
import { jsImportEditOf } from './js-imports.js';
import { envVarOf } from './env-var-fix.js';
import { parameterizedArguments } from './sql-parameterize.js';
import { splitCommandEdits } from './command-split.js';
import { escapedFormatOf } from './python-format-escaped.js';
import { expandTemplate } from './template.js';

/**
 * The edits of a rule's template fix: the matched node rewritten (string literals of the template quoted as
 * the file quotes its strings), and, when the fix names an `addImport`
 * line the file lacks, that line added after the file's imports. The edits are one fix: planned, applied
 * and rolled back together. Two fixes of a file that add the same import insert at the same point, so the
 * planner applies one and leaves the other for the next pass, which finds the import there.
 */
export function templateFixOf({ node, rule, prefix }: RuleMatch, file: string, source: string, language: Language, declared: DeclaredStyle = {}): TemplateFix | null {
  const fix = chosenFix(rule.definition, node);
  if (!fix) return null;
  const parameterize = rule.definition.fix?.parameterize;
  if (parameterize) return parameterizedFixOf(node, node.getMatch(prefix + parameterize), file, language, declared, fix.safety);
  const splitCommand = rule.definition.fix?.splitCommand;
  if (splitCommand) return splitCommandFixOf(node, node.getMatch(prefix + splitCommand), file, language, declared, fix.safety);
  const env = envVarOf(rule.definition.fix?.envVar, node, prefix);
  const format = escapedFormatFor(rule.definition.fix?.escapeFormat, node, prefix);
  if (env === null || format === null) return null;
  const companions = env ? { companions: [env.companion] } : {};
  const preset = { ...(env ? { ENV_VAR: env.name } : {}), ...(format ?? {}) };
  // bindings derived here are not the match's: a learned copy of this template would have nothing to fill them with
  const template = env || format ? null : fix.template;
  const range = node.range();
  // only a template with a string literal of its own asks how the file quotes (a whole-tree count)
  const quoted = /["']/.test(fix.template) ? inQuoteStyle(fix.template, quoteStyleOf(node.getRoot().root(), language) ?? declared.quotes ?? null) : fix.template;
  const indented = quoted.includes('\n') ? inIndentStyle(quoted, indentUnitOf(source) ?? declared.indent ?? null) : quoted;
  const expanded = expandTemplate(indented, node, source, prefix, preset);
  // only a template with a `;` of its own, or a whole statement, asks how the file ends statements (a parse)
  const statement = JS_LANGUAGES.has(language) && isTerminableStatement(node);
  const semicolons = (): SemicolonStyle | null => semicolonStyleOf(node.getRoot().root(), language) ?? declared.semicolons ?? null;
  const text = statement || (JS_LANGUAGES.has(language) && fix.template.includes(';')) ? inSemicolonStyle(expanded, semicolons(), language, statement) : expanded;
  const edit: Edit = text === '' ? deletionOf(node, file, source) : { file, start: range.start.index, end: range.end.index, text };
  if (!fix.addImport) return { edits: [edit], safety: fix.safety, template, ...companions };
  const importEdit = JS_LANGUAGES.has(language)
    ? jsImportEditOf(node.getRoot().root(), typeof fix.addImport === 'string' ? { esm: fix.addImport, commonjs: fix.addImport } : fix.addImport, file, language, semicolons())
    : typeof fix.addImport === 'string'
      ? importEditOf(node.getRoot().root(), fix.addImport, file, language)
      : undefined;
  // A language whose imports this does not place gets no fix rather than one that does not compile.
  if (importEdit === undefined) return null;
  return { edits: importEdit ? [importEdit, edit] : [edit], safety: fix.safety, template, ...companions };
}

/**
 * A query call's SQL argument made constant text with placeholders and the values after it. Its template is
 * null: the edit depends on the driver and the SQL, so an approved one is no reusable template.
 */
function parameterizedFixOf(call: SgNode, sql: SgNode | null, file: string, language: Language, declared: DeclaredStyle, safety: TemplateFix['safety']): TemplateFix | null {
  if (!sql || !JS_LANGUAGES.has(language)) return null;
  const text = parameterizedArguments(call, sql, quoteOf(call, language, declared));
  if (text === null) return null;
  return { edits: [{ file, start: sql.range().start.index, end: sql.range().end.index, text }], safety, template: null };
}

/** A shell command run as a program and its arguments, without a shell; a template as null as the one above. */
function splitCommandFixOf(call: SgNode, command: SgNode | null, file: string, language: Language, declared: DeclaredStyle, safety: TemplateFix['safety']): TemplateFix | null {
  if (!command || !JS_LANGUAGES.has(language)) return null;
  const edits = splitCommandEdits(call, command, file, quoteOf(call, language, declared));
  return edits ? { edits, safety, template: null } : null;
}

function quoteOf(node: SgNode, language: Language, declared: DeclaredStyle): "'" | '"' {
  return (quoteStyleOf(node.getRoot().root(), language) ?? declared.quotes ?? 'single') === 'single' ? "'" : '"';
}

/** `$FORMAT` and `$ARGS` of a fix that declares `escapeFormat`: undefined when it does not, null when unbound or built otherwise. */
function escapedFormatFor(metavariable: string | undefined, node: SgNode, prefix: string): { FORMAT: string; ARGS: string } | null | undefined {
  if (metavariable === undefined) return undefined;
  const text = node.getMatch(prefix + metavariable);
  const format = text ? escapedFormatOf(text) : null;
  return format ? { FORMAT: format.format, ARGS: format.args } : null;
}

type FixDefinition = NonNullable<RuleFile['fix']>;

/**
 * The fix's spelling for this match: the first variant whose `when` matches the node (with the rule's
 * utils), else the fix's own template. A rule that only matches in the combined pass (a prefixed rule,
 * see combine.ts) keeps its utils unprefixed here, as `when` is checked on the node alone.
 */
function chosenFix(definition: RuleFile, node: SgNode): Pick<FixDefinition, 'template' | 'safety' | 'addImport'> | null {
  const fix = definition.fix;
  if (!fix) return null;
  for (const variant of fix.variants ?? []) {
    const config = { rule: variant.when, ...(definition.utils ? { utils: definition.utils } : {}) } as NapiConfig;
    if (node.matches(config)) {
      if (variant.template === null) return null;
      const addImport = variant.addImport ?? fix.addImport;
      return { template: variant.template, safety: variant.safety ?? fix.safety, ...(addImport ? { addImport } : {}) };
    }
  }
  return fix;
}

const JS_LANGUAGES: ReadonlySet<Language> = new Set(['javascript', 'typescript', 'tsx']);

const OPENING = new Set(['{', '(', '[']);
const CLOSING = new Set(['}', ')', ']']);

/**
 * Removing a node (an empty template) removes what holds it alone: the expression statement of an
 * expression (`process.env.X = '0';` with its `;`), and one separating comma of a list element (an
 * object's pair, an argument), so `{ a: 1, b: false }` becomes `{ a: 1 }`, never `{ a: 1, }` or `{ , }`;
 * the only element of a bracketed list leaves `{}`. A block left empty in Python fails re-parsing.
 */
function deletionOf(node: SgNode, file: string, source: string): Edit {
  const parent = node.parent();
  const target = parent && parent.kind() === 'expression_statement' && parent.children().filter((child) => child.isNamed()).length === 1 ? parent : node;
  let { index: start } = target.range().start;
  let { index: end } = target.range().end;
  const next = target.next();
  const previous = target.prev();
  if (next && next.text() === ',') {
    end = next.range().end.index;
    while (source[end] === ' ' || source[end] === '\t') end++;
  } else if (previous && previous.text() === ',') {
    start = previous.range().start.index;
  } else if (previous && next && OPENING.has(previous.text()) && CLOSING.has(next.text()) && source.slice(previous.range().end.index, next.range().start.index).trim() === target.text()) {
    // the only element: `{ hsts: false }` becomes `{}`
    start = previous.range().end.index;
    end = next.range().start.index;
  }
  return wholeLineDeletion(file, source, start, end);
}

/**
 * A deletion that would leave a line holding only white space takes the whole line with it, so
 * removing `debugger;` does not leave an indented blank line behind.
 */
function wholeLineDeletion(file: string, source: string, start: number, end: number): Edit {
  const lineStart = source.lastIndexOf('\n', start - 1) + 1;
  const newline = source.indexOf('\n', end);
  const lineEnd = newline < 0 ? source.length : newline + 1;
  const before = source.slice(lineStart, start);
  const after = source.slice(end, newline < 0 ? source.length : newline).replace(/\r$/, '');
  if (before.trim() === '' && after.trim() === '') return { file, start: lineStart, end: lineEnd, text: '' };
  return { file, start, end, text: '' };
}

const IMPORT_KINDS: Partial<Record<Language, ReadonlySet<string>>> = {
  python: new Set(['import_statement', 'import_from_statement', 'future_import_statement']),
  java: new Set(['import_declaration']),
};

const normalized = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** Whether the file's own comments and docstrings, which an import must come after, start with this node. */
function isPreamble(node: SgNode, language: Language): boolean {
  const kind = String(node.kind());
  if (kind.includes('comment') || kind === 'package_declaration') return true;
  // a module docstring: a string alone in a statement
  return language === 'python' && kind === 'expression_statement' && node.children().length === 1 && node.child(0)?.kind() === 'string';
}

/** The module a Python import statement names (`django.utils.html` of `from django.utils.html import x`). */
function moduleOf(node: SgNode): string | null {
  if (node.kind() === 'import_from_statement') return node.field('module_name')?.text() ?? null;
  return node.kind() === 'import_statement' ? (node.field('name')?.text().split(/\s/)[0] ?? null) : null;
}

/**
 * Where isort would put a Python `from m import x`: among the file's `from` imports of the same top-level
 * package, before the first whose module sorts after `m` (else after the last of them); null when the file
 * imports nothing of that package, so the line goes after its imports.
 */
function sortedPlace(imports: readonly SgNode[], wanted: string, file: string, line: string): Edit | null {
  const module = /^from (\S+) import /.exec(wanted)?.[1];
  if (!module) return null;
  const top = module.split('.')[0];
  const family = imports.filter((node) => node.kind() === 'import_from_statement' && moduleOf(node)?.split('.')[0] === top);
  const after = family.find((node) => (moduleOf(node) ?? '') > module);
  if (after) return { file, start: after.range().start.index, end: after.range().start.index, text: `${line}\n` };
  const last = family[family.length - 1];
  return last ? { file, start: last.range().end.index, end: last.range().end.index, text: `\n${line}` } : null;
}

/** Whether a Python `from m import a, b` statement brings in the one name `from m import b` wants. */
function importsSameName(node: SgNode, wanted: string): boolean {
  const parts = /^from (\S+) import (\w+)$/.exec(wanted);
  if (!parts || node.kind() !== 'import_from_statement' || node.field('module_name')?.text() !== parts[1]) return false;
  // `a as b` binds b, not a: only plain names count
  return node.children().some((child) => child.kind() === 'dotted_name' && child.text() === parts[2] && child.range().start.index > (node.field('module_name')?.range().end.index ?? 0));
}

/**
 * The insertion that adds `line` after the file's last import (or, without imports, after its leading
 * comments, docstring and package line); null when the file already has it; undefined for a language whose
 * imports this does not know.
 */
function importEditOf(root: SgNode, line: string, file: string, language: Language): Edit | null | undefined {
  const kinds = IMPORT_KINDS[language];
  if (!kinds) return undefined;
  const top = root.children();
  const imports = top.filter((child) => kinds.has(String(child.kind())));
  const wanted = normalized(line);
  // `import java.security.*;` brings SecureRandom in too
  const wildcard = language === 'java' ? wanted.replace(/\.[A-Za-z_$][\w$]*;$/, '.*;') : null;
  if (imports.some((node) => normalized(node.text()) === wanted || normalized(node.text()) === wildcard)) return null;
  if (language === 'python' && imports.some((node) => importsSameName(node, wanted))) return null;
  const sorted = language === 'python' ? sortedPlace(imports, wanted, file, line) : null;
  if (sorted) return sorted;
  const last = imports[imports.length - 1];
  if (last) return { file, start: last.range().end.index, end: last.range().end.index, text: `\n${line}` };
  const first = top.find((child) => !isPreamble(child, language));
  if (!first) return null;
  const at = first.range().start.index;
  const after = top.filter((child) => child.range().end.index <= at && isPreamble(child, language)).pop();
  // after a package line or docstring a blank line; before the first statement, the line and a blank line
  if (after && String(after.kind()) === 'package_declaration') return { file, start: after.range().end.index, end: after.range().end.index, text: `\n\n${line}` };
  return { file, start: at, end: at, text: `${line}\n${language === 'java' ? '\n' : ''}` };
}
