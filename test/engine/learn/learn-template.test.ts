import { describe, expect, it } from 'vitest';
import { afterRegionOf } from '../../../src/engine/learn/after-region.js';
import { applyLearnedTemplate } from '../../../src/engine/learn/apply-template.js';
import { learnTemplates } from '../../../src/engine/learn/cluster.js';
import type { PatternExample } from '../../../src/engine/learn/cluster.js';
import { learnTemplate } from '../../../src/engine/learn/learn-template.js';
import type { FixExample } from '../../../src/engine/learn/learn-template.js';
import { rankTemplates } from '../../../src/engine/learn/rank.js';

/** An example whose finding is the first occurrence of `node` in `before`; `after` is the whole fixed file. */
function example(before: string, node: string, after: string, language: FixExample['language'] = 'typescript'): FixExample {
  const start = before.indexOf(node);
  if (start < 0) throw new Error(`${node} not in ${before}`);
  return { language, before, start, end: start + node.length, after };
}

function applyAt(source: string, node: string, template: { pattern: string; rewrite: string }, language: FixExample['language'] = 'typescript'): string | null {
  const start = source.indexOf(node);
  return applyLearnedTemplate({ source, language, start, end: start + node.length }, template);
}

describe('learnTemplate (anti-unification)', () => {
  const cases = [
    {
      name: 'adds a radix: differing arguments become one metavariable',
      examples: [
        example('const n = parseInt(input);\n', 'parseInt(input)', 'const n = parseInt(input, 10);\n'),
        example('function f(s) {\n  return parseInt(s.trim());\n}\n', 'parseInt(s.trim())', 'function f(s) {\n  return parseInt(s.trim(), 10);\n}\n'),
      ],
      pattern: 'parseInt($A)',
      rewrite: 'parseInt($A, 10)',
      unseen: { source: 'let z = parseInt(other.value);\n', node: 'parseInt(other.value)', fixed: 'parseInt(other.value, 10)' },
    },
    {
      name: 'a metavariable used twice in the rewrite',
      examples: [
        example('if (x == null) {}\n', 'x == null', 'if (x === null || x === undefined) {}\n'),
        example('while (node.next == null) {}\n', 'node.next == null', 'while (node.next === null || node.next === undefined) {}\n'),
      ],
      pattern: '$A == null',
      rewrite: '$A === null || $A === undefined',
      unseen: { source: 'return a[i] == null;\n', node: 'a[i] == null', fixed: 'a[i] === null || a[i] === undefined' },
    },
    {
      name: 'two metavariables in a statement, indented differently',
      examples: [
        example('function g() {\n  if (ok) {\n    var q = 1;\n  }\n}\n', 'var q = 1;', 'function g() {\n  if (ok) {\n    let q = 1;\n  }\n}\n'),
        example('var total = a + b;\n', 'var total = a + b;', 'let total = a + b;\n'),
      ],
      pattern: 'var $A = $B;',
      rewrite: 'let $A = $B;',
      unseen: { source: '  var s = "x";\n', node: 'var s = "x";', fixed: 'let s = "x";' },
    },
    {
      name: 'a multi-line rewrite is re-indented where it is used',
      examples: [
        example('function a() {\n  fetchIt(url);\n}\n', 'fetchIt(url)', 'function a() {\n  fetchIt(url).catch((error) => {\n    report(error);\n  });\n}\n'),
        example('fetchIt(other());\n', 'fetchIt(other())', 'fetchIt(other()).catch((error) => {\n  report(error);\n});\n'),
      ],
      pattern: 'fetchIt($A)',
      rewrite: 'fetchIt($A).catch((error) => {\n  report(error);\n})',
      unseen: { source: 'if (x) {\n    fetchIt(u2);\n}\n', node: 'fetchIt(u2)', fixed: 'fetchIt(u2).catch((error) => {\n      report(error);\n    })' },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const learned = learnTemplate(c.examples);
      if (!learned.ok) throw new Error(learned.reason);
      expect(learned.template.pattern).toBe(c.pattern);
      expect(learned.template.rewrite).toBe(c.rewrite);
      expect(applyAt(c.unseen.source, c.unseen.node, learned.template)).toBe(c.unseen.fixed);
    });
  }

  it('learns from Python too', () => {
    const learned = learnTemplate([
      example('if x == None:\n    pass\n', 'x == None', 'if x is None:\n    pass\n', 'python'),
      example('y = (a.b == None)\n', 'a.b == None', 'y = (a.b is None)\n', 'python'),
    ]);
    if (!learned.ok) throw new Error(learned.reason);
    expect(learned.template).toMatchObject({ pattern: '$A == None', rewrite: '$A is None' });
  });

  it('refuses one example, unrelated fixes, and changes outside the finding', () => {
    const one = example('parseInt(a);\n', 'parseInt(a)', 'parseInt(a, 10);\n');
    expect(learnTemplate([one])).toMatchObject({ ok: false, reason: expect.stringContaining('two examples') });
    const other = example('parseInt(b);\n', 'parseInt(b)', 'Number(b);\n');
    expect(learnTemplate([one, other]).ok).toBe(false);
    const spill = example('parseInt(c);\nx();\n', 'parseInt(c)', 'parseInt(c, 10);\ny();\n');
    const spilled = example('foo();\nparseInt(c);\n', 'parseInt(c)', 'bar();\nparseInt(c, 10);\n');
    expect(afterRegionOf(spill.before, spill.start, spill.end, spill.after)).toEqual({ start: 0, end: 'parseInt(c, 10)'.length });
    expect(learnTemplate([one, spilled]).ok).toBe(true);
    const sameLine = example('a(); parseInt(c);\n', 'parseInt(c)', 'b(); parseInt(c, 10);\n');
    expect(learnTemplate([one, sameLine]).ok).toBe(true);
    const deleted = example('parseInt(c);\nz();\n', 'parseInt(c)', 'z();\n');
    expect(learnTemplate([one, deleted])).toMatchObject({ ok: false, reason: expect.stringContaining('not confined') });
  });

  it('does not apply a template where its pattern does not match', () => {
    const template = { pattern: 'parseInt($A)', rewrite: 'parseInt($A, 10)' };
    expect(applyAt('parseInt(a, 16);\n', 'parseInt(a, 16)', template)).toBeNull();
  });
});

describe('learnTemplates (clustering) and ranking', () => {
  const tag = (e: FixExample): PatternExample => ({ ...e, ruleId: 'js/radix', patternFingerprint: 'fp', shape: 'parseInt ( $ID )' });
  it('keeps two different human fixes of one pattern as competing templates', () => {
    const clusters = learnTemplates([
      tag(example('parseInt(a);\n', 'parseInt(a)', 'parseInt(a, 10);\n')),
      tag(example('parseInt(b);\n', 'parseInt(b)', 'Number(b);\n')),
      tag(example('parseInt(c.d);\n', 'parseInt(c.d)', 'parseInt(c.d, 10);\n')),
      tag(example('parseInt(e());\n', 'parseInt(e())', 'Number(e());\n')),
      tag(example('parseInt(f);\n', 'parseInt(f)', 'parseInt(f, 10);\n')),
    ]);
    expect(clusters.map((c) => [c.template.rewrite, c.examples.length])).toEqual([
      ['parseInt($A, 10)', 3],
      ['Number($A)', 2],
    ]);
  });
  it('ranks by success record first, then by examples', () => {
    const ranked = rankTemplates([
      { name: 'many examples, rejected', successes: 0, failures: 2, exampleCount: 9 },
      { name: 'untried', successes: 0, failures: 0, exampleCount: 2 },
      { name: 'proven', successes: 3, failures: 0, exampleCount: 2 },
      { name: 'untried, more examples', successes: 0, failures: 0, exampleCount: 3 },
    ]);
    expect(ranked.map((t) => t.name)).toEqual(['proven', 'untried, more examples', 'untried', 'many examples, rejected']);
  });
});
