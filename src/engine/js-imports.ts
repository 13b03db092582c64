import { parse } from '@ast-grep/napi';
import type { SgNode } from '@ast-grep/napi';
import type { Edit, Language } from '../domain/finding.js';
import { inSemicolonStyle } from './fix-style.js';
import type { SemicolonStyle } from './fix-style.js';
import { astGrepLang } from './languages.js';

/**
 * Imports that JavaScript and TypeScript fixes add: `import … from '…'` in an ES module, `const … =
 * require('…')` in a CommonJS one, placed after the file's last import (or after its hashbang, directives
 * and leading comments). A file that gives no sign of its module system gets no fix: the wrong form does
 * not run. A name the line binds that the file already declares otherwise would clash: no fix either.
 */

export type ModuleSystem = 'esm' | 'commonjs';

/** The module system a file is written in, from its name and its own top-level statements; null: no sign. */
export function moduleSystemOf(root: SgNode, file: string, language: Language): ModuleSystem | null {
  if (/\.m[jt]s$/.test(file)) return 'esm';
  if (/\.c[jt]s$/.test(file)) return 'commonjs';
  const top = root.children();
  if (top.some((node) => node.kind() === 'import_statement' || node.kind() === 'export_statement')) return 'esm';
  if (top.some(isRequire)) return 'commonjs';
  // TypeScript sources are written with import syntax whatever they compile to
  return language === 'typescript' || language === 'tsx' ? 'esm' : null;
}

/** `const x = require('y')`, `var { a } = require('y')`, `const z = require('y').z` at the top level. */
function isRequire(node: SgNode): boolean {
  if (node.kind() !== 'lexical_declaration' && node.kind() !== 'variable_declaration') return false;
  return node.children().some((declarator) => {
    const value = declarator.field('value');
    return value !== null && /^require\(/.test(value.text());
  });
}

/** The local names a top-level statement binds. */
function boundNames(node: SgNode): string[] {
  const kind = String(node.kind());
  if (kind === 'export_statement') {
    const declaration = node.field('declaration');
    return declaration ? boundNames(declaration) : [];
  }
  if (kind === 'import_statement') {
    const clause = node.children().find((child) => child.kind() === 'import_clause');
    if (!clause) return [];
    return clause.children().flatMap((child) => {
      if (child.kind() === 'identifier') return [child.text()];
      if (child.kind() === 'namespace_import') return child.children().filter((n) => n.kind() === 'identifier').map((n) => n.text());
      if (child.kind() === 'named_imports') {
        return child.children().filter((n) => n.kind() === 'import_specifier').map((n) => (n.field('alias') ?? n.field('name'))?.text() ?? '');
      }
      return [];
    });
  }
  if (kind === 'lexical_declaration' || kind === 'variable_declaration') {
    return node.children().flatMap((declarator) => {
      const name = declarator.field('name');
      if (!name) return [];
      if (name.kind() === 'identifier') return [name.text()];
      return name
        .findAll({ rule: { any: [{ kind: 'shorthand_property_identifier_pattern' }, { kind: 'identifier', not: { inside: { kind: 'pair_pattern', field: 'key' } } }] } })
        .map((n) => n.text());
    });
  }
  if (kind === 'function_declaration' || kind === 'class_declaration' || kind === 'generator_function_declaration') {
    const name = node.field('name');
    return name ? [name.text()] : [];
  }
  return [];
}

// `import a from 'a'` is there already whether or not it ends with `;`
const normalized = (text: string): string => text.replace(/\s+/g, ' ').replace(/"/g, "'").trim().replace(/;$/, '');

/** The hashbang, directives ('use strict') and comments an import must come after. */
function isPreamble(node: SgNode): boolean {
  const kind = String(node.kind());
  if (kind === 'hash_bang_line' || kind === 'comment') return true;
  return kind === 'expression_statement' && node.children().length <= 2 && node.child(0)?.kind() === 'string';
}

/**
 * The insertion of `line` (the form for the file's module system, ended in the file's `semicolons` style)
 * after the file's imports; null when the file has it already; undefined when the module system is unknown
 * or a name it binds would clash.
 */
export function jsImportEditOf(
  root: SgNode,
  forms: { readonly esm: string; readonly commonjs: string },
  file: string,
  language: Language,
  semicolons: SemicolonStyle | null = null,
): Edit | null | undefined {
  const system = moduleSystemOf(root, file, language);
  if (!system) return undefined;
  const line = inSemicolonStyle(forms[system], semicolons, language, true);
  const top = root.children();
  const imports = top.filter((node) => node.kind() === 'import_statement' || isRequire(node));
  if (imports.some((node) => normalized(node.text()) === normalized(line))) return null;
  const wanted = boundNames(parse(astGrepLang(language), line).root().children()[0] ?? root);
  const declared = new Set(top.flatMap(boundNames));
  if (wanted.some((name) => declared.has(name))) return undefined;
  const last = imports[imports.length - 1];
  if (last) return { file, start: last.range().end.index, end: last.range().end.index, text: `\n${line}` };
  const preamble = top.filter((node, index) => isPreamble(node) && top.slice(0, index).every(isPreamble)).pop();
  if (preamble) return { file, start: preamble.range().end.index, end: preamble.range().end.index, text: `\n${line}` };
  return { file, start: 0, end: 0, text: `${line}\n` };
}
