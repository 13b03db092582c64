import { access, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { approveFix, recoverInterruptedFixes, rollbackFix } from '../../src/fixes/fix-actions.js';
import { crawlDir, inProject } from '../helpers/crawl.js';
import { cleanupTemp, tempTree } from '../helpers/project.js';

afterAll(cleanupTemp);

// a credential the secrets scanner does not recognise as a key format, so the file may be fixed
const CONFIG = "const mysql = require('mysql');\n\nconst adminPassword = 'Adm1n-2024x';\nmodule.exports = { adminPassword };\n";
const FIXED = "const mysql = require('mysql');\n\nconst adminPassword = process.env.ADMIN_PASSWORD;\nmodule.exports = { adminPassword };\n";
const MAILER = "const smtpPassword = 'Sm7p-Pa55x';\nmodule.exports = { smtpPassword };\n";

const exists = (file: string): Promise<boolean> =>
  access(file).then(
    () => true,
    () => false,
  );

describe('a fix with a second file (a hard-coded credential moved to the environment)', () => {
  it('creates .env.example with the variable, as one unit with the source edit, and rolling back deletes it again', async () => {
    const dir = await tempTree('roach-second-file-', { 'src/config.js': CONFIG });
    const report = await crawlDir(dir, { apply: true });
    const fix = report.fixes.find((f) => f.ruleId === 'js/no-hardcoded-credentials');
    // unsafe: the program now needs the variable set wherever it runs, so a reviewer decides
    expect(fix?.decision).toBe('queued');
    expect(await exists(path.join(dir, '.env.example'))).toBe(false);

    const approved = await inProject(dir, (deps) => approveFix(deps, fix?.fixId ?? '', 'tester'));
    expect(approved.status).toBe('applied');
    expect(approved.diff).toContain('+++ b/.env.example');
    expect(await readFile(path.join(dir, 'src/config.js'), 'utf8')).toBe(FIXED);
    expect(await readFile(path.join(dir, '.env.example'), 'utf8')).toBe('ADMIN_PASSWORD=\n');

    const rolledBack = await inProject(dir, (deps) => rollbackFix(deps, fix?.fixId ?? '', 'tester'));
    expect(rolledBack.status).toBe('rolled_back');
    expect(await readFile(path.join(dir, 'src/config.js'), 'utf8')).toBe(CONFIG);
    expect(await exists(path.join(dir, '.env.example'))).toBe(false);
  });

  it('appends to an existing .env.example in its own line endings, once per variable, and rolls back to its exact bytes', async () => {
    const example = 'DATABASE_URL=postgres://localhost/app\r\nSMTP_PASSWORD=\r\n# no final line break';
    const dir = await tempTree('roach-second-file-', { 'src/config.js': CONFIG, 'src/mailer.js': MAILER, '.env.example': example });
    const report = await crawlDir(dir, {});
    const fixes = report.fixes.filter((f) => f.ruleId === 'js/no-hardcoded-credentials');
    expect(fixes.map((f) => f.file).sort()).toEqual(['src/config.js', 'src/mailer.js']);

    // SMTP_PASSWORD is documented already: that fix touches its own file only
    const mailer = await inProject(dir, (deps) => approveFix(deps, fixes.find((f) => f.file === 'src/mailer.js')?.fixId ?? '', 'tester'));
    expect(mailer.edits.map((e) => e.file)).toEqual(['src/mailer.js']);
    expect(await readFile(path.join(dir, '.env.example'), 'utf8')).toBe(example);

    const configId = fixes.find((f) => f.file === 'src/config.js')?.fixId ?? '';
    await inProject(dir, (deps) => approveFix(deps, configId, 'tester'));
    expect(await readFile(path.join(dir, '.env.example'), 'utf8')).toBe(`${example}\r\nADMIN_PASSWORD=\r\n`);
    await inProject(dir, (deps) => rollbackFix(deps, configId, 'tester'));
    expect(await readFile(path.join(dir, '.env.example'), 'utf8')).toBe(example);
  });

  it('applied by one crawl in two files, gives .env.example both lines: the second fix appends to what the first created', async () => {
    const dir = await tempTree('roach-second-file-', { 'src/config.js': CONFIG, 'src/mailer.js': MAILER });
    // a threshold this low applies unsafe fixes without evidence: only to see both land in one crawl
    const report = await crawlDir(dir, { apply: true, threshold: '0.1' });
    const decisions = report.fixes.filter((f) => f.ruleId === 'js/no-hardcoded-credentials').map((f) => f.decision);
    expect(decisions).toEqual(['applied', 'applied']);
    expect(await readFile(path.join(dir, '.env.example'), 'utf8')).toBe('ADMIN_PASSWORD=\nSMTP_PASSWORD=\n');
    expect(await readFile(path.join(dir, 'src/mailer.js'), 'utf8')).toBe('const smtpPassword = process.env.SMTP_PASSWORD;\nmodule.exports = { smtpPassword };\n');
  });

  it('refuses to apply when someone created .env.example with the line since, and leaves both files alone', async () => {
    const dir = await tempTree('roach-second-file-', { 'src/config.js': CONFIG });
    const report = await crawlDir(dir, {});
    const fixId = report.fixes.find((f) => f.ruleId === 'js/no-hardcoded-credentials')?.fixId ?? '';
    await writeFile(path.join(dir, '.env.example'), 'ADMIN_PASSWORD=\n');
    await expect(inProject(dir, (deps) => approveFix(deps, fixId, 'tester'))).rejects.toThrow(/\.env\.example was created since the fix was made and has its lines already/);
    expect(await readFile(path.join(dir, 'src/config.js'), 'utf8')).toBe(CONFIG);
    expect(await readFile(path.join(dir, '.env.example'), 'utf8')).toBe('ADMIN_PASSWORD=\n');
  });

  it('appends its line when another fix created .env.example in the meantime', async () => {
    const dir = await tempTree('roach-second-file-', { 'src/config.js': CONFIG, 'src/mailer.js': MAILER });
    const report = await crawlDir(dir, {});
    const ids = ['src/config.js', 'src/mailer.js'].map((file) => report.fixes.find((f) => f.file === file)?.fixId ?? '');
    for (const id of ids) await inProject(dir, (deps) => approveFix(deps, id, 'tester'));
    expect(await readFile(path.join(dir, '.env.example'), 'utf8')).toBe('ADMIN_PASSWORD=\nSMTP_PASSWORD=\n');
    // the second fix was rebased onto the file the first created: rolling it back keeps the first's line
    await inProject(dir, (deps) => rollbackFix(deps, ids[1] ?? '', 'tester'));
    expect(await readFile(path.join(dir, '.env.example'), 'utf8')).toBe('ADMIN_PASSWORD=\n');
  });

  it('a fix interrupted before its new file was written is settled as not applied', async () => {
    const dir = await tempTree('roach-second-file-', { 'src/config.js': CONFIG });
    const report = await crawlDir(dir, {});
    const fixId = report.fixes.find((f) => f.ruleId === 'js/no-hardcoded-credentials')?.fixId ?? '';
    await inProject(dir, async (deps) => {
      await deps.store.setFixStatus(deps.project, fixId, 'applying', null, 'tester');
      expect(await recoverInterruptedFixes(deps)).toBe(1);
      expect((await deps.store.getFix(deps.project, fixId))?.status).toBe('failed_apply');
      expect((await deps.store.getFix(deps.project, fixId))?.statusReason).toContain('files: original, original');
    });
  });
});
