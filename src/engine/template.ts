import type { SgNode } from '@ast-grep/napi';

/** `$$$NAME` (a list of nodes) or `$NAME` (one node) inside a fix template. */
const PLACEHOLDER = /\$\$\$([A-Z_][A-Z0-9_]*)|\$([A-Z_][A-Z0-9_]*)/g;

/**
 * Fills a template from named bindings. Single bindings are stored under NAME and list bindings
 * under `$$NAME`, which is how `analyzeSource` records them; an unknown name expands to nothing,
 * as ast-grep does.
 */
export function instantiateTemplate(template: string, bindings: Readonly<Record<string, string>>, indent = ''): string {
  const filled = template.replace(PLACEHOLDER, (_whole, list: string | undefined, single: string | undefined) =>
    list !== undefined ? (bindings[`$$${list}`] ?? '') : (bindings[single ?? ''] ?? ''),
  );
  if (!indent || !filled.includes('\n')) return filled;
  return filled
    .split('\n')
    .map((line, index) => (index === 0 || line.length === 0 ? line : indent + line))
    .join('\n');
}

/** Indentation of the line on which `offset` sits. */
export function lineIndent(source: string, offset: number): string {
  const lineStart = source.lastIndexOf('\n', offset - 1) + 1;
  let end = lineStart;
  while (end < source.length && (source[end] === ' ' || source[end] === '\t')) end++;
  return source.slice(lineStart, end);
}

/** Expands a rule's fix template against one match, re-indenting extra lines to the match's line. */
export function expandTemplate(template: string, node: SgNode, source: string): string {
  const bindings: Record<string, string> = {};
  for (const match of template.matchAll(PLACEHOLDER)) {
    const [, list, single] = match;
    if (single && bindings[single] === undefined) bindings[single] = node.getMatch(single)?.text() ?? '';
    if (list && bindings[`$$${list}`] === undefined) {
      const nodes = node.getMultipleMatches(list);
      const first = nodes[0];
      const last = nodes[nodes.length - 1];
      bindings[`$$${list}`] = first && last ? source.slice(first.range().start.index, last.range().end.index) : '';
    }
  }
  return instantiateTemplate(template, bindings, lineIndent(source, node.range().start.index));
}
