import type { SgNode } from '@ast-grep/napi';

/** `$$$NAME` (a list of nodes) or `$NAME` (one node) inside a fix template. */
const PLACEHOLDER = /\$\$\$([A-Z_][A-Z0-9_]*)|\$([A-Z_][A-Z0-9_]*)/g;

/**
 * Fills a template from named bindings. Single bindings are stored under NAME and list bindings
 * under `$$NAME`, which is how `analyzeSource` records them; an unknown name expands to nothing,
 * as ast-grep does.
 */
export function instantiateTemplate(template: string, bindings: Readonly<Record<string, string>>, indent = ''): string {
  const fill = (text: string): string =>
    text.replace(PLACEHOLDER, (_whole, list: string | undefined, single: string | undefined) =>
      list !== undefined ? (bindings[`$$${list}`] ?? '') : (bindings[single ?? ''] ?? ''),
    );
  if (!indent) return fill(template);
  // Only the template's own line breaks get the indentation: bound text is a slice of the source
  // and already carries the indentation it has there. (Placeholders never span a line break.)
  return template
    .split('\n')
    .map((line, index) => {
      const filled = fill(line);
      return index === 0 || filled.length === 0 ? filled : indent + filled;
    })
    .join('\n');
}

/** Indentation of the line on which `offset` sits. */
export function lineIndent(source: string, offset: number): string {
  const lineStart = source.lastIndexOf('\n', offset - 1) + 1;
  let end = lineStart;
  while (end < source.length && (source[end] === ' ' || source[end] === '\t')) end++;
  return source.slice(lineStart, end);
}

/**
 * Expands a rule's fix template against one match, re-indenting extra lines to the match's line.
 * `prefix` is what the rule's metavariable names carry in the match (see combine.ts); `preset` binds names
 * the engine derives rather than the match (`ENV_VAR`).
 */
export function expandTemplate(template: string, node: SgNode, source: string, prefix = '', preset: Readonly<Record<string, string>> = {}): string {
  const bindings: Record<string, string> = { ...preset };
  for (const match of template.matchAll(PLACEHOLDER)) {
    const [, list, single] = match;
    if (single && bindings[single] === undefined) bindings[single] = node.getMatch(prefix + single)?.text() ?? '';
    if (list && bindings[`$$${list}`] === undefined) {
      const nodes = node.getMultipleMatches(prefix + list);
      const first = nodes[0];
      const last = nodes[nodes.length - 1];
      bindings[`$$${list}`] = first && last ? source.slice(first.range().start.index, last.range().end.index) : '';
    }
  }
  return instantiateTemplate(template, bindings, lineIndent(source, node.range().start.index));
}
