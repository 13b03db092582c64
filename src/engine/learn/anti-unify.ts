import type { SgNode } from '@ast-grep/napi';

/**
 * The generalisation of several AST nodes: the text of the first example with every subtree on which
 * the examples differ replaced by a metavariable, plus what each metavariable stood for in each example.
 */
export interface Generalisation {
  /** An ast-grep pattern, e.g. `parseInt($A)`. */
  readonly pattern: string;
  /** Metavariable names in order of first appearance (without `$`). */
  readonly metavariables: readonly string[];
  /** Per example: metavariable name -> the text it binds there. */
  readonly bindings: readonly Readonly<Record<string, string>>[];
}

interface Hole {
  readonly start: number;
  readonly end: number;
  readonly name: string;
}

const NAMES = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

function metavariableName(index: number): string {
  const letter = NAMES[index % NAMES.length] ?? 'X';
  return index < NAMES.length ? letter : `${letter}${Math.floor(index / NAMES.length)}`;
}

/** Comments are trivia for ast-grep patterns; aligning on them would make every example differ. */
function structuralChildren(node: SgNode): SgNode[] {
  return node.children().filter((child) => child.kind() !== 'comment');
}

/**
 * Anti-unifies nodes (one per example) in the classic way: equal subtrees stay, subtrees of the same
 * kind and arity are aligned child by child, and anything else becomes a metavariable. The same tuple
 * of differing texts reuses one metavariable, so `a == a` and `b == b` give `$A == $A`. Only named
 * nodes can become metavariables (ast-grep cannot match an operator token with `$X`): when tokens
 * differ, the nearest named ancestor is generalised instead. Returns null when even the root would
 * have to be one bare metavariable: such a template says nothing about the code it rewrites.
 */
export function antiUnify(nodes: readonly SgNode[]): Generalisation | null {
  const first = nodes[0];
  if (!first || nodes.length < 2) return null;
  const holes: Hole[] = [];
  const byTexts = new Map<string, string>();
  const bindings = nodes.map((): Record<string, string> => ({}));

  const holeFor = (group: readonly SgNode[]): boolean => {
    const head = group[0];
    if (!head || !group.every((node) => node.isNamed())) return false;
    const texts = group.map((node) => node.text());
    const key = JSON.stringify(texts);
    let name = byTexts.get(key);
    if (!name) {
      name = metavariableName(byTexts.size);
      byTexts.set(key, name);
      texts.forEach((text, i) => {
        const target = bindings[i];
        if (target) target[name as string] = text;
      });
    }
    holes.push({ start: head.range().start.index, end: head.range().end.index, name });
    return true;
  };

  /** Aligns one tuple of nodes; false means "cannot generalise here, the parent must". */
  const align = (group: readonly SgNode[]): boolean => {
    const head = group[0];
    if (!head) return false;
    const text = head.text();
    if (group.every((node) => node.text() === text)) return true;
    const kind = head.kind();
    const children = group.map(structuralChildren);
    const arity = children[0]?.length ?? 0;
    const sameShape = arity > 0 && group.every((node, i) => node.kind() === kind && children[i]?.length === arity);
    if (sameShape) {
      const mark = holes.length;
      const ok = Array.from({ length: arity }, (_unused, c) => children.map((list) => list[c] as SgNode)).every(align);
      if (ok) return true;
      holes.length = mark;
    }
    return holeFor(group);
  };

  const rootHole = (): boolean => holes.length === 1 && holes[0]?.start === first.range().start.index && holes[0].end === first.range().end.index;
  if (!align(nodes) || rootHole()) return null;

  const base = first.range().start.index;
  const source = first.text();
  let pattern = '';
  let cursor = 0;
  for (const hole of [...holes].sort((a, b) => a.start - b.start)) {
    pattern += `${source.slice(cursor, hole.start - base)}$${hole.name}`;
    cursor = hole.end - base;
  }
  pattern += source.slice(cursor);
  const metavariables = [...new Set([...holes].sort((a, b) => a.start - b.start).map((hole) => hole.name))];
  // Holes dropped while backtracking may have left names behind: keep only the ones in the pattern.
  const used = bindings.map((all) => Object.fromEntries(metavariables.map((name) => [name, all[name] ?? ''])));
  return { pattern, metavariables, bindings: used };
}
