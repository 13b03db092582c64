import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toSarif } from '../../src/report/sarif.js';
import { crawlDir } from '../helpers/crawl.js';
import { cleanupTemp, tempTree } from '../helpers/project.js';

afterAll(cleanupTemp);

const ROUTE = "const express = require('express');\nconst dao = require('../dao/user');\nconst router = express.Router();\nrouter.get('/user', (req, res) => {\n  const id = req.query.id;\n  dao.getByUserId(id).then((rows) => res.json(rows));\n});\nmodule.exports = router;\n";
const DAO = "const mysql = require('mysql');\nconst db = mysql.createConnection({});\nfunction getByUserId(userId) {\n  const sql = \"SELECT * FROM users WHERE id = '\" + userId + \"'\";\n  return db.query(sql);\n}\nmodule.exports = { getByUserId };\n";

describe('a crawl follows untrusted data across modules', () => {
  it('reports the sink in the data-access module, and keeps its issues in step with the callers on later crawls', async () => {
    const dir = await tempTree('roach-modules-', { 'routes/user.js': ROUTE, 'dao/user.js': DAO, 'dao/unrelated.js': 'module.exports = (a) => a + 1;\n' });
    const first = await crawlDir(dir, { fix: false });
    const sql = first.findings.filter((f) => f.ruleId === 'js/no-sql-injection');
    expect(sql.map((f) => [f.file, f.range.startLine + 1, f.severity])).toEqual([['dao/user.js', 5, 'critical']]);
    expect(sql[0]?.message).toContain('Untrusted data from req.query.id (routes/user.js line 5)');

    // SARIF: the code flow's locations are in both files
    const sarif = toSarif(first, '0.0.0');
    const flow = sarif.runs[0]?.results.find((r) => r.ruleId === 'js/no-sql-injection')?.codeFlows?.[0]?.threadFlows[0]?.locations ?? [];
    expect(flow.map((l) => [l.location.physicalLocation.artifactLocation.uri, l.location.physicalLocation.region.startLine])).toEqual([
      ['routes/user.js', 5],
      ['routes/user.js', 5],
      ['routes/user.js', 6],
      ['dao/user.js', 3],
      ['dao/user.js', 4],
      ['dao/user.js', 5],
    ]);

    // nothing changed: nothing analyzed, the issue stays open
    const same = await crawlDir(dir, { fix: false });
    expect(same.files.analyzed).toBe(0);
    expect(same.findings.filter((f) => f.ruleId === 'js/no-sql-injection')).toHaveLength(1);

    // only the caller changes and stops passing request data: the unchanged data-access module's issue resolves
    await writeFile(path.join(dir, 'routes/user.js'), ROUTE.replace('req.query.id', 'Number(req.query.id)'));
    const fixed = await crawlDir(dir, { fix: false });
    expect(fixed.findings.filter((f) => f.ruleId === 'js/no-sql-injection')).toEqual([]);
    expect(fixed.resolvedIssues).toBe(1);
    expect(fixed.files.analyzed).toBe(2);

    // and it comes back when the caller does
    await writeFile(path.join(dir, 'routes/user.js'), ROUTE);
    const again = await crawlDir(dir, { fix: false });
    expect(again.findings.filter((f) => f.ruleId === 'js/no-sql-injection').map((f) => f.file)).toEqual(['dao/user.js']);
  }, 120_000);

  it('honours a suppression at the sink and reports nothing in a project without the caller', async () => {
    const suppressed = DAO.replace('  return db.query(sql);', '  // roach-ignore-next-line js/no-sql-injection -- ids are checked by the gateway\n  return db.query(sql);');
    const quiet = await crawlDir(await tempTree('roach-modules-', { 'routes/user.js': ROUTE, 'dao/user.js': suppressed }), { fix: false });
    expect(quiet.findings.filter((f) => f.ruleId === 'js/no-sql-injection')).toEqual([]);
    const alone = await crawlDir(await tempTree('roach-modules-', { 'dao/user.js': DAO }), { fix: false });
    expect(alone.findings.filter((f) => f.ruleId === 'js/no-sql-injection')).toEqual([]);
  }, 120_000);

  it('follows a TypeScript path alias of the tsconfig, and joins anew when the aliases change', async () => {
    const route = "import express from 'express';\nimport * as dao from '@/dao/user';\nconst router = express.Router();\nrouter.get('/user', (req, res) => {\n  dao.getByUserId(req.query.id as string);\n});\nexport default router;\n";
    const daoTs = "import mysql from 'mysql';\nconst db = mysql.createConnection({});\nexport function getByUserId(userId: string) {\n  const sql = \"SELECT * FROM users WHERE id = '\" + userId + \"'\";\n  return db.query(sql);\n}\n";
    const tsconfig = (target: string): string => `{\n  // aliases\n  "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["${target}"], }, },\n}\n`;
    const dir = await tempTree('roach-modules-', { 'tsconfig.json': tsconfig('src/*'), 'src/routes/user.ts': route, 'src/dao/user.ts': daoTs });
    const first = await crawlDir(dir, { fix: false });
    const sql = first.findings.filter((f) => f.ruleId === 'js/no-sql-injection');
    expect(sql.map((f) => [f.file, f.range.startLine + 1])).toEqual([['src/dao/user.ts', 5]]);
    expect(sql[0]?.message).toContain('Untrusted data from req.query.id (src/routes/user.ts line 5)');

    // only the tsconfig changes (no source file does): the alias names another folder and the flow is gone
    await writeFile(path.join(dir, 'tsconfig.json'), tsconfig('lib/*'));
    const moved = await crawlDir(dir, { fix: false });
    expect(moved.findings.filter((f) => f.ruleId === 'js/no-sql-injection')).toEqual([]);
    expect(moved.resolvedIssues).toBe(1);
  }, 120_000);
});
