import type { SgNode } from '@ast-grep/napi';
import type { TextRegion } from './after-region.js';

/**
 * Turns the human's replacement text into a rewrite template: every subtree of the after-region whose
 * text is what a metavariable bound in the before becomes that metavariable (largest subtrees first),
 * everything else stays literal. Lines after the first lose the match line's indentation, which
 * `instantiateTemplate` adds back where the template is used.
 */
export function abstractRewrite(afterRoot: SgNode, region: TextRegion, bindings: Readonly<Record<string, string>>, indent: string): string {
  const byText = new Map<string, string>();
  for (const [name, text] of Object.entries(bindings)) if (text !== '' && !byText.has(text)) byText.set(text, name);
  const holes: { start: number; end: number; name: string }[] = [];
  const visit = (node: SgNode): void => {
    const { start, end } = node.range();
    if (end.index <= region.start || start.index >= region.end) return;
    const inside = start.index >= region.start && end.index <= region.end;
    const name = inside ? byText.get(node.text()) : undefined;
    if (name) {
      holes.push({ start: start.index, end: end.index, name });
      return;
    }
    for (const child of node.children()) visit(child);
  };
  visit(afterRoot);
  const source = afterRoot.getRoot().root().text();
  let text = '';
  let cursor = region.start;
  for (const hole of holes.sort((a, b) => a.start - b.start)) {
    text += `${source.slice(cursor, hole.start)}$${hole.name}`;
    cursor = hole.end;
  }
  text += source.slice(cursor, region.end);
  if (!indent) return text;
  return text
    .split('\n')
    .map((line, index) => (index > 0 && line.startsWith(indent) ? line.slice(indent.length) : line))
    .join('\n');
}
