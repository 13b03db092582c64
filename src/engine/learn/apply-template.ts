import { parse } from '@ast-grep/napi';
import type { SgRoot } from '@ast-grep/napi';
import type { Language } from '../../domain/finding.js';
import { astGrepLang } from '../languages.js';
import { instantiateTemplate, lineIndent } from '../template.js';
import { namedNodeAt } from './node-at.js';

const METAVARIABLE = /\$([A-Z][A-Z0-9_]*)/g;

/**
 * Binds a learned pattern at exactly [start, end) of a parsed file: the node there (or one of the
 * same extent) must match the whole pattern. Returns metavariable -> text, or null when it does not.
 */
export function bindLearnedPattern(root: SgRoot, start: number, end: number, pattern: string): Record<string, string> | null {
  const node = namedNodeAt(root, start, end);
  if (!node) return null;
  let match;
  try {
    match = node.find(pattern);
  } catch {
    return null;
  }
  if (!match || match.range().start.index !== start || match.range().end.index !== end) return null;
  const bindings: Record<string, string> = {};
  for (const [, name] of pattern.matchAll(METAVARIABLE)) {
    if (name === undefined || bindings[name] !== undefined) continue;
    const bound = match.getMatch(name);
    if (!bound) return null;
    bindings[name] = bound.text();
  }
  return bindings;
}

export interface TemplateTarget {
  readonly source: string;
  readonly language: Language;
  readonly start: number;
  readonly end: number;
}

/** The text a learned template puts in place of [start, end), or null when its pattern does not match there. */
export function applyLearnedTemplate(target: TemplateTarget, template: { readonly pattern: string; readonly rewrite: string }): string | null {
  const root = parse(astGrepLang(target.language), target.source);
  const bindings = bindLearnedPattern(root, target.start, target.end, template.pattern);
  if (!bindings) return null;
  return instantiateTemplate(template.rewrite, bindings, lineIndent(target.source, target.start));
}
