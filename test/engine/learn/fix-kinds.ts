import type { Language } from '../../../src/domain/finding.js';

/** One human fix of one finding in a small file: the whole file before and after. */
export interface Occurrence {
  readonly before: string;
  readonly after: string;
}

/** A kind of fix the fixture authors made consistently, for the held-back evaluation. */
export interface FixKind {
  readonly name: string;
  readonly ruleId: string;
  readonly language: Language;
  readonly occurrences: readonly Occurrence[];
}

const js = (before: string, after: string): Occurrence => ({ before, after });

/**
 * Fixture fixes: each kind's occurrences sit in different contexts (nesting, indentation, names,
 * neighbouring code); a few are deliberately fixed another way, as real reviewers sometimes do, or
 * have another shape than the training ones (so their pattern fingerprint differs).
 */
export const FIX_KINDS: readonly FixKind[] = [
  {
    name: 'JSON round-trip clone -> structuredClone',
    ruleId: 'js/no-json-deep-clone',
    language: 'javascript',
    occurrences: [
      js('const copy = JSON.parse(JSON.stringify(state));\n', 'const copy = structuredClone(state);\n'),
      js('function f(cfg) {\n  return JSON.parse(JSON.stringify(cfg));\n}\n', 'function f(cfg) {\n  return structuredClone(cfg);\n}\n'),
      js('items.map((item) => JSON.parse(JSON.stringify(item)));\n', 'items.map((item) => structuredClone(item));\n'),
      js('class A {\n  snap() {\n    this.saved = JSON.parse(JSON.stringify(data));\n  }\n}\n', 'class A {\n  snap() {\n    this.saved = structuredClone(data);\n  }\n}\n'),
      js('export default JSON.parse(JSON.stringify(defaults));\n', 'export default structuredClone(defaults);\n'),
      js('if (ok) { out = JSON.parse(JSON.stringify(input)); }\n', 'if (ok) { out = structuredClone(input); }\n'),
      // Another shape (member access): another pattern fingerprint.
      js('const c = JSON.parse(JSON.stringify(this.state));\n', 'const c = structuredClone(this.state);\n'),
    ],
  },
  {
    name: 'innerHTML assignment -> textContent',
    ruleId: 'js/no-inner-html',
    language: 'javascript',
    occurrences: [
      js('el.innerHTML = message;\n', 'el.textContent = message;\n'),
      js('function show(el, text) {\n  el.innerHTML = text;\n}\n', 'function show(el, text) {\n  el.textContent = text;\n}\n'),
      js('if (x) {\n  if (y) {\n    el.innerHTML = label;\n  }\n}\n', 'if (x) {\n  if (y) {\n    el.textContent = label;\n  }\n}\n'),
      js('const f = (el, v) => { el.innerHTML = v; };\n', 'const f = (el, v) => { el.textContent = v; };\n'),
      js('el.innerHTML = name; // greet\n', 'el.textContent = name; // greet\n'),
      // A reviewer who preferred replaceChildren: the learned template cannot reproduce this one.
      js('el.innerHTML = node;\n', 'el.replaceChildren(node);\n'),
    ],
  },
  {
    name: 'document.write -> append to body',
    ruleId: 'js/no-document-write',
    language: 'javascript',
    occurrences: [
      js('document.write(banner);\n', 'document.body.append(banner);\n'),
      js('function ad(html) {\n  document.write(html);\n}\n', 'function ad(html) {\n  document.body.append(html);\n}\n'),
      js('if (debug) document.write(trace);\n', 'if (debug) document.body.append(trace);\n'),
      js('window.onload = () => {\n  document.write(footer);\n};\n', 'window.onload = () => {\n  document.body.append(footer);\n};\n'),
      js('try {\n  document.write(msg);\n} catch (e) {}\n', 'try {\n  document.body.append(msg);\n} catch (e) {}\n'),
    ],
  },
  {
    name: 'requests without timeout -> timeout=10',
    ruleId: 'py/no-requests-without-timeout',
    language: 'python',
    occurrences: [
      js('r = requests.get(url)\n', 'r = requests.get(url, timeout=10)\n'),
      js('def fetch(endpoint):\n    return requests.get(endpoint)\n', 'def fetch(endpoint):\n    return requests.get(endpoint, timeout=10)\n'),
      js('class C:\n    def load(self):\n        data = requests.get(self_url).json()\n', 'class C:\n    def load(self):\n        data = requests.get(self_url, timeout=10).json()\n'),
      js('for u in urls:\n    pages.append(requests.get(u))\n', 'for u in urls:\n    pages.append(requests.get(u, timeout=10))\n'),
      js('if ok:\n    resp = requests.get(target)\n', 'if ok:\n    resp = requests.get(target, timeout=10)\n'),
      // Two arguments: another shape, so another pattern fingerprint.
      js('requests.post(url, data)\n', 'requests.post(url, data, timeout=10)\n'),
    ],
  },
  {
    name: '"is" with a literal -> ==',
    ruleId: 'py/no-is-literal',
    language: 'python',
    occurrences: [
      js('if mode is "fast":\n    go()\n', 'if mode == "fast":\n    go()\n'),
      js('ok = kind is "user"\n', 'ok = kind == "user"\n'),
      js('def f(state):\n    return state is "done"\n', 'def f(state):\n    return state == "done"\n'),
      js('while step is "init":\n    step = advance()\n', 'while step == "init":\n    step = advance()\n'),
      js('assert level is "debug"\n', 'assert level == "debug"\n'),
    ],
  },
  {
    name: 'for-in over an array -> for-of',
    ruleId: 'js/no-for-in-array',
    language: 'javascript',
    occurrences: [
      js('const xs = [1, 2];\nfor (const i in xs) {\n  use(i);\n}\n', 'const xs = [1, 2];\nfor (const i of xs) {\n  use(i);\n}\n'),
      js('const ys = [3];\nfor (const k in ys) {\n  use(k);\n}\n', 'const ys = [3];\nfor (const k of ys) {\n  use(k);\n}\n'),
      js('const zs = [4];\nfor (const j in zs) {\n  use(j);\n}\n', 'const zs = [4];\nfor (const j of zs) {\n  use(j);\n}\n'),
      // Another loop body: the whole loop is the finding, so its shape and fingerprint differ.
      js('const ws = [5];\nfor (const n in ws) {\n  total += n;\n}\n', 'const ws = [5];\nfor (const n of ws) {\n  total += n;\n}\n'),
    ],
  },
];
