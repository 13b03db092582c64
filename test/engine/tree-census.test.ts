import { parse } from '@ast-grep/napi';
import type { NapiConfig, SgNode, SgRoot } from '@ast-grep/napi';
import { describe, expect, it } from 'vitest';
import type { Language } from '../../src/domain/finding.js';
import type { CompiledRule } from '../../src/engine/compiled-rule.js';
import { astGrepLang } from '../../src/engine/languages.js';
import { loadRules } from '../../src/engine/rules.js';
import { treeCensus } from '../../src/engine/tree-census.js';

const pack = await loadRules();

/** The census's searches one at a time, as analyze.ts ran them before they shared a walk. */
function searchedAlone(root: SgRoot, rules: readonly CompiledRule[]): { problems: unknown[]; conforming: Record<string, number> } {
  const top = root.root();
  const place = (node: SgNode, kind: string, expected: string | null): unknown => [node.range().start.index, node.range().end.index, kind, expected];
  const errors = top.findAll({ rule: { kind: 'ERROR', not: { inside: { kind: 'ERROR', stopBy: 'end' } } } }).map((node) => place(node, 'error', null));
  const missing = top
    .findAll({ rule: { regex: '^$' } })
    .filter((node) => !node.isNamed())
    .map((node) => place(node, 'missing', String(node.kind())));
  const conforming: Record<string, number> = {};
  for (const rule of rules) {
    const convention = rule.definition.convention;
    if (convention) conforming[rule.definition.id] = top.findAll({ rule: convention.conforming, ...(rule.definition.utils ? { utils: rule.definition.utils } : {}) } as NapiConfig).length;
  }
  return { problems: [...errors, ...missing], conforming };
}

function census(root: SgRoot, rules: readonly CompiledRule[]): { problems: unknown[]; conforming: Record<string, number> } {
  const { problems, conforming } = treeCensus(root, rules);
  return {
    problems: problems.map((p) => [p.range.startOffset, p.range.endOffset, p.kind, p.expected]),
    conforming: Object.fromEntries([...conforming].map(([rule, count]) => [rule.definition.id, count])),
  };
}

function rule(id: string, conforming: Record<string, unknown>, utils?: Record<string, unknown>): CompiledRule {
  const definition = { id, languages: ['javascript'], severity: 'low', category: 'style', message: id, doc: { rationale: 'r', bad: 'b', good: 'g' }, rule: { kind: 'identifier' }, convention: { conforming, threshold: 0.9, minimum: 1 }, ...(utils ? { utils } : {}) };
  return { definition: definition as CompiledRule['definition'], sourceFile: `${id}.yml`, config: { rule: definition.rule } as NapiConfig, metavariables: [], taint: null };
}

describe('treeCensus', () => {
  const texts: [Language, string][] = [
    ['javascript', 'var a = 1;\nlet b = 2;\nconst c = 3 ** 2;\nx **= 2;\n'],
    ['javascript', 'foo(1;\nlet y = (;\n'],
    ['javascript', 'if (a { let b = [1, 2; }\nconst = ;\n'],
    ['javascript', 'function f() { return 2 ** (let x = 1); }\n'],
    ['typescript', 'let a: number = 1;\ntype T = <in out U>() => U;\nexport type * from "./t";\nconst b = 2 ** 3;\n'],
    ['tsx', 'const a = <div>{x ** 2}</div>;\nlet b = <p>;\n'],
    ['python', 'def f(:\n  return 1\nx = [1, 2\n'],
    ['go', 'package main\nfunc main() { x := 1\n'],
    ['java', 'class A { void f() { int x = ; } }\n'],
  ];

  it('finds in one walk what each search finds alone: syntax problems in order, conforming nodes per convention rule of the pack', () => {
    const problemKinds: string[] = [];
    for (const [language, text] of texts) {
      const rules = pack.forLanguage(language);
      const root = parse(astGrepLang(language), text);
      const alone = searchedAlone(root, rules);
      const expected = { ...alone, problems: [...alone.problems].sort((a, b) => (a as number[])[0]! - (b as number[])[0]!) };
      expect(census(root, rules), `${language}: ${text}`).toEqual(expected);
      problemKinds.push(...alone.problems.map((p) => (p as string[])[2]!));
    }
    // The texts hold both kinds of problem, so the tags are seen to work on ERROR and MISSING nodes.
    expect(new Set(problemKinds)).toEqual(new Set(['error', 'missing']));
  });

  it('keeps conforming rules apart: their metavariables and utils do not meet, and one node can count for several', () => {
    const rules = [
      rule('t/lexical', { kind: 'lexical_declaration', has: { stopBy: 'end', matches: 'literal' } }, { literal: { kind: 'number' } }),
      rule('t/declared', { pattern: 'let $A = $B' }),
      rule('t/same-util-name', { kind: 'lexical_declaration', has: { stopBy: 'end', matches: 'literal' } }, { literal: { kind: 'string' } }),
      rule('t/binding', { pattern: 'let $A = $A' }),
    ];
    const root = parse(astGrepLang('javascript'), 'let a = 1;\nlet b = "s";\nconst c = d;\nlet e = e;\n');
    expect(census(root, rules)).toEqual(searchedAlone(root, rules));
    expect(census(root, rules).conforming).toEqual({ 't/lexical': 1, 't/declared': 3, 't/same-util-name': 1, 't/binding': 1 });
  });
});
