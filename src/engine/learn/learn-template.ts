import { parse } from '@ast-grep/napi';
import type { SgRoot } from '@ast-grep/napi';
import type { Language } from '../../domain/finding.js';
import { astGrepLang } from '../languages.js';
import { instantiateTemplate, lineIndent } from '../template.js';
import { afterRegionOf } from './after-region.js';
import { antiUnify } from './anti-unify.js';
import { bindLearnedPattern } from './apply-template.js';
import { namedNodeAt } from './node-at.js';
import { abstractRewrite } from './rewrite.js';

/**
 * One human fix of one finding: the whole file before and after, and the finding's matched node in
 * the before. The after may differ elsewhere too (a commit); only the node's own lines are used.
 */
export interface FixExample {
  readonly language: Language;
  readonly before: string;
  readonly start: number;
  readonly end: number;
  readonly after: string;
}

/** A rewrite over a finding's node: match `pattern` there, then write `rewrite` with its bindings. */
export interface LearnedTemplate {
  readonly language: Language;
  readonly pattern: string;
  readonly rewrite: string;
  readonly metavariables: readonly string[];
}

export type LearnOutcome = { readonly ok: true; readonly template: LearnedTemplate } | { readonly ok: false; readonly reason: string };

interface Prepared {
  readonly example: FixExample;
  readonly beforeRoot: SgRoot;
  readonly afterRoot: SgRoot;
  readonly region: { start: number; end: number };
  readonly humanAfter: string;
  readonly indent: string;
}

function prepare(example: FixExample): Prepared | string {
  const region = afterRegionOf(example.before, example.start, example.end, example.after);
  if (!region) return 'the change is not confined to the finding\'s lines';
  const lang = astGrepLang(example.language);
  return {
    example,
    beforeRoot: parse(lang, example.before),
    afterRoot: parse(lang, example.after),
    region,
    humanAfter: example.after.slice(region.start, region.end),
    indent: lineIndent(example.before, example.start),
  };
}

function sameBindings(a: Readonly<Record<string, string>> | null, b: Readonly<Record<string, string>>): boolean {
  return a !== null && Object.entries(b).every(([name, text]) => a[name] === text);
}

/**
 * Learns one rewrite template from two or more fixes of the same pattern by anti-unification (see
 * `antiUnify`), then checks it the strict way: the pattern must match every example's node with the
 * same bindings, and the rewrite must reproduce every human after exactly. Anything less is refused,
 * with the reason, because a template that is wrong on its own training data would be wrong later.
 */
export function learnTemplate(examples: readonly FixExample[]): LearnOutcome {
  if (examples.length < 2) return { ok: false, reason: 'a template needs at least two examples' };
  const language = examples[0]?.language;
  if (!language || examples.some((e) => e.language !== language)) return { ok: false, reason: 'examples are in different languages' };
  const prepared: Prepared[] = [];
  for (const example of examples) {
    const ready = prepare(example);
    if (typeof ready === 'string') return { ok: false, reason: ready };
    prepared.push(ready);
  }
  const nodes = prepared.map((p) => namedNodeAt(p.beforeRoot, p.example.start, p.example.end));
  if (nodes.some((node) => node === null)) return { ok: false, reason: 'a finding range is not one syntax node' };
  if (prepared.every((p) => p.humanAfter === p.example.before.slice(p.example.start, p.example.end))) {
    return { ok: false, reason: 'the examples do not change the finding' };
  }
  const general = antiUnify(nodes.filter((node) => node !== null));
  if (!general) return { ok: false, reason: 'the examples share no structure' };
  const matched = prepared.every((p, i) => sameBindings(bindLearnedPattern(p.beforeRoot, p.example.start, p.example.end, general.pattern), general.bindings[i] ?? {}));
  if (!matched) return { ok: false, reason: `the generalised pattern ${JSON.stringify(general.pattern)} does not match its own examples` };
  const reproduces = (rewrite: string): boolean =>
    prepared.every((p, i) => instantiateTemplate(rewrite, general.bindings[i] ?? {}, p.indent) === p.humanAfter);
  for (const [i, p] of prepared.entries()) {
    const rewrite = abstractRewrite(p.afterRoot.root(), p.region, general.bindings[i] ?? {}, p.indent);
    if (reproduces(rewrite)) return { ok: true, template: { language, pattern: general.pattern, rewrite, metavariables: general.metavariables } };
  }
  return { ok: false, reason: 'no rewrite over the shared pattern reproduces every human fix' };
}
