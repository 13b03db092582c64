import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTemp, tempTree } from '../helpers/project.js';
import { crawlDir } from '../helpers/crawl.js';

afterAll(cleanupTemp);

// The outer fix (drop the double negation) rewrites the range of the inner one (x == NaN): they overlap, so
// one pass applies only the inner (worse) one; the next pass finds the outer finding again, changed by that
// fix (another fingerprint, the same issue), and fixes it.
const NESTED = 'export function check(x) {\n  if (!!(x == NaN)) return 1;\n  return 0;\n}\n';

describe('crawl --apply in passes', () => {
  it('applies a fix that overlapped another in a later pass of the same crawl', async () => {
    const dir = await tempTree('roach-multipass-', { 'src/check.js': NESTED });
    const report = await crawlDir(dir, { apply: true });
    expect(report.fixes.map((f) => `${f.ruleId} ${f.decision}`).sort()).toEqual(['js/no-compare-nan applied', 'js/no-extra-boolean-cast applied']);
    expect(await readFile(path.join(dir, 'src/check.js'), 'utf8')).toBe('export function check(x) {\n  if ((Number.isNaN(x))) return 1;\n  return 0;\n}\n');
  });

  it('without --apply nothing is written, so the overlapping fix waits for the next crawl', async () => {
    const dir = await tempTree('roach-multipass-', { 'src/check.js': NESTED });
    const report = await crawlDir(dir, { fix: true });
    const decisions = report.fixes.map((f) => `${f.ruleId} ${f.decision}`).sort();
    expect(decisions).toEqual(['js/no-compare-nan queued', 'js/no-extra-boolean-cast skipped-overlap']);
    expect(report.fixes.find((f) => f.decision === 'skipped-overlap')?.reason).toMatch(/retried on the next crawl$/);
  });
});

describe('fix validation in test code', () => {
  it('does not call a finding new that a policy hid from the crawl (a rule off in tests)', async () => {
    // py/no-bind-all-interfaces is off in test code, so the crawl reports only the f-string; re-analysis of
    // the fixed file sees both, and must not take the bind for something the fix introduced
    const dir = await tempTree('roach-test-policy-', { 'tests/test_server.py': 'def test_run(app):\n    app.run(host="0.0.0.0", port=2525)\n    print(f"listening")\n' });
    const report = await crawlDir(dir, { fix: true });
    expect(report.fixes.map((f) => `${f.ruleId} ${f.decision}`)).toEqual(['py/no-fstring-without-placeholders queued']);
  });
});
