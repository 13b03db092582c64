import type { SgNode, SgRoot } from '@ast-grep/napi';

/**
 * The innermost named node spanning exactly [start, end): the node a rule matched, where a wrapper of
 * the same extent (an expression statement without a semicolon) would otherwise hide its kind.
 */
export function namedNodeAt(root: SgRoot, start: number, end: number): SgNode | null {
  let node: SgNode = root.root();
  let found: SgNode | null = null;
  for (;;) {
    const { start: from, end: to } = node.range();
    if (from.index === start && to.index === end && node.isNamed()) found = node;
    const child = node.children().find((c) => c.range().start.index <= start && c.range().end.index >= end);
    if (!child) return found;
    node = child;
  }
}
