import { describe, expect, it } from 'vitest';
import { loadRules } from '../../src/engine/rules.js';
import { fixedFindings } from '../../src/git/history.js';

const rules = await loadRules();
const CLONE = 'JSON.parse(JSON.stringify(a))';

function fixed(before: string, after: string): string[] {
  return fixedFindings(before, after, 'x.js', 'javascript', rules).map((e) => `${e.ruleId}@${e.start}:${e.before.slice(e.start, e.end)}`);
}

describe('fixedFindings: which findings a change fixed', () => {
  const cases: { name: string; before: string; after: string; expected: string[] }[] = [
    { name: 'a rewritten finding', before: `x = ${CLONE};\n`, after: 'x = structuredClone(a);\n', expected: [`js/no-json-deep-clone@4:${CLONE}`] },
    {
      name: 'the second of two identical findings, not the first',
      before: `x = ${CLONE};\ny = ${CLONE};\n`,
      after: `x = ${CLONE};\ny = structuredClone(a);\n`,
      expected: [`js/no-json-deep-clone@${`x = ${CLONE};\ny = `.length}:${CLONE}`],
    },
    { name: 'nothing when lines move but the finding stays', before: `x = ${CLONE};\n`, after: `// moved\n\nx = ${CLONE};\n`, expected: [] },
    { name: 'nothing when the finding is deleted with its line', before: `x = ${CLONE};\nz();\n`, after: 'z();\n', expected: [] },
    { name: 'nothing when the change breaks the syntax', before: `x = ${CLONE};\n`, after: 'x = structuredClone(a;\n', expected: [] },
    { name: 'nothing when the rewrite still has the finding', before: `x = ${CLONE};\n`, after: `x = JSON.parse(JSON.stringify(b));\n`, expected: [] },
  ];
  for (const c of cases) it(c.name, () => expect(fixed(c.before, c.after)).toEqual(c.expected));
});
