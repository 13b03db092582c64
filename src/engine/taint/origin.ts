import type { SgNode } from '@ast-grep/napi';

/*
 * For taint rules whose sink only cares where a URL points (a redirect: the `origin` option of a taint
 * section): which parts of a value built from pieces can still change its scheme and host.
 */

/** The operands of a left-nested `a + b + c` chain, in order. */
export function concatenated(node: SgNode): SgNode[] {
  if (node.kind() !== 'binary_expression' || node.field('operator')?.text() !== '+') return [node];
  const left = node.field('left');
  const right = node.field('right');
  return [...(left ? concatenated(left) : []), ...(right ? [right] : [])];
}

/** `'a'` / `"a"` -> `a` (escapes left as written: only `/`, `?` and `#` matter here). */
export function unquoted(text: string): string {
  return text.length >= 2 ? text.slice(1, -1) : text;
}

/**
 * Whether the fixed start of a URL already decides its origin: a scheme and host followed by a path,
 * query or fragment (`https://x/`, `//x/`), a root-relative path (`/a`, not `//`), a query or fragment
 * (`?`, `#`), or a relative path segment (`a/`).
 */
export function originEnded(fixed: string): boolean {
  return /^([a-z][a-z0-9+.-]*:)?\/\/[^/\\?#]+[/?#]/i.test(fixed) || /^\/[^/\\]/.test(fixed) || /^[?#]/.test(fixed) || /^[^/\\:?#]+[/?#]/.test(fixed);
}

const OWN_ADDRESS = /^((window|document|self|top)\.)?((document\.)?location(\.href)?|document\.URL)$/;
const OWN_PATH = /^((window|document|self|top)\.)?(document\.)?location\.pathname$/;

/**
 * The fixed text that the page's own address, or its path, stands for where a URL is built from it: the
 * whole address starts with this page's scheme and host and at least a `/` (its origin is ended, so what
 * follows only picks a path or query); its path is taken as a path of this site (`/`, a value that ends
 * no origin by itself, so `location.pathname + next` still lets `next` choose a `//host`). A path that
 * itself starts with `//` reaches the page only through a server route that matches such a path.
 */
export function ownAddressPrefix(node: SgNode): string | null {
  const expression = node.kind() === 'template_substitution' ? node.namedChildren()[0] : node;
  const text = expression?.text() ?? '';
  if (OWN_ADDRESS.test(text)) return 'https://this.page/';
  if (OWN_PATH.test(text)) return '/';
  return null;
}

/** `new URL(location.href)`, `new URL(document.URL)`: the page's own address as a URL object. */
export function isOwnAddressUrl(value: SgNode | undefined): boolean {
  if (value?.kind() !== 'new_expression' || value.field('constructor')?.text() !== 'URL') return false;
  const [address] = value.field('arguments')?.namedChildren() ?? [];
  return address !== undefined && OWN_ADDRESS.test(address.text());
}
