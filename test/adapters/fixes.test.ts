import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { crawlDir } from '../helpers/crawl.js';
import { cleanupTemp } from '../helpers/project.js';
import { writeProject } from './adapter-project.js';

afterEach(cleanupTemp);

const CONFIG = "export default [{ rules: { 'prefer-const': 'error', 'no-useless-escape': 'error' } }];\n";
const APP = 'export function total(items) {\n  let sum = 0;\n  const re = "a\\.b";\n  return items.length + sum + re;\n}\n';

describe('fixes an adapter supplies', () => {
  it('go through validation and decision: the safe ESLint fix is applied with --apply, the unsafe suggestion waits for review', async () => {
    const root = await writeProject({ 'eslint.config.js': CONFIG, 'src/app.js': APP });
    const report = await crawlDir(root, { adapters: 'eslint', apply: true });
    const decisions = new Map(report.fixes.map((fix) => [fix.ruleId, fix]));
    expect(decisions.get('eslint/prefer-const')).toMatchObject({ safety: 'safe', decision: 'applied', strategy: 'rule-template' });
    expect(decisions.get('eslint/no-useless-escape')).toMatchObject({ safety: 'unsafe', decision: 'queued' });
    const written = await readFile(path.join(root, 'src/app.js'), 'utf8');
    expect(written).toBe(APP.replace('let sum', 'const sum'));

    // The next crawl sees the changed file: ESLint no longer reports prefer-const, so that issue is resolved.
    const next = await crawlDir(root, { adapters: 'eslint', fix: false });
    expect(next.findings.map((f) => f.ruleId)).toEqual(['eslint/no-useless-escape']);
  });
});
