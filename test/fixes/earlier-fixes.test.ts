import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { contentHash } from '../../src/domain/fingerprint.js';
import { earlierQueuedFixes } from '../../src/fixes/earlier-fixes.js';
import type { FixFileRecord, StoredFix } from '../../src/fixes/ports.js';
import { cleanupTemp, tempTree } from '../helpers/project.js';

afterAll(cleanupTemp);

const SOURCE = "app.get('/a', (req, res) => {\n  res.redirect(req.query.next);\n});\n";
const at = SOURCE.indexOf('req.query.next');

function fix(id: string, file: string): StoredFix {
  return {
    id, issueId: 'i', crawlId: 'c', ruleId: 'js/no-open-redirect', patternFingerprint: 'p', strategy: 'llm', safety: 'unsafe',
    edits: [{ file, start: at, end: at + 'req.query.next'.length, text: "'/'" }], template: null, diff: '', confidence: 0.5, validation: [],
    status: 'pending', statusReason: null, explanation: 'Home instead.', generationCostUsd: 0.0002, createdAt: '', decidedBy: null,
    filePaths: [file], issueFingerprint: 'f', filePath: file, line: 2, severity: 'medium', message: 'm',
  } as StoredFix;
}

describe('earlierQueuedFixes', () => {
  it('gives the waiting fixes of earlier crawls with their replacements, leaving out those proposed now and those whose file changed', async () => {
    const root = await tempTree('roach-earlier-', { 'src/a.js': SOURCE, 'src/b.js': SOURCE });
    const record = (file: string, created = false): FixFileRecord => ({ path: file, originalBytes: Buffer.from(SOURCE), originalSha256: contentHash(Buffer.from(SOURCE)), fixedSha256: 'x', ...(created ? { created } : {}) });
    const fixes = [fix('f1', 'src/a.js'), fix('f2', 'src/b.js'), fix('f3', 'src/a.js')];
    const files: Record<string, FixFileRecord[]> = { f1: [record('src/a.js'), record('.env.example', true)], f2: [record('src/b.js')], f3: [record('src/a.js')] };
    const store = { listFixes: async () => fixes, fixFiles: async (_p: unknown, id: string) => files[id] ?? [] };
    await writeFile(path.join(root, 'src/b.js'), `${SOURCE}// edited since\n`);
    const earlier = await earlierQueuedFixes(store, { organizationId: 'o', projectId: 'p' }, root, new Set(['f3']));
    expect(earlier).toEqual([
      {
        fixId: 'f1', ruleId: 'js/no-open-redirect', file: 'src/a.js', line: 2, strategy: 'llm', safety: 'unsafe', confidence: 0.5, decision: 'queued', reason: null,
        explanation: 'Home instead.', generationCostUsd: 0.0002,
        replacements: [{ file: 'src/a.js', startLine: 2, startColumn: 16, endLine: 2, endColumn: 30, text: "'/'" }],
      },
    ]);
  });
});
