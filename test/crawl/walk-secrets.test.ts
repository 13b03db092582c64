import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProjectConfig } from '../../src/config/load.js';
import { walkTree } from '../../src/crawl/walk.js';
import { cleanupTemp, tempDir } from '../helpers/project.js';
import { crawlDir } from '../helpers/crawl.js';
import { T } from '../engine/secrets/tokens.js';

afterAll(cleanupTemp);

async function tree(files: Record<string, string | Uint8Array>): Promise<string> {
  const dir = await tempDir('roach-walk-secrets-');
  for (const [file, body] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), body);
  }
  return dir;
}

describe('text files in the walk', () => {
  it('lists text files as `text` only when asked, honouring .gitignore, exclude, include and the size limit', async () => {
    const dir = await tree({
      '.gitignore': 'ignored.env\n',
      '.env': 'A=1\n',
      'ignored.env': 'A=1\n',
      'config/app.yml': 'a: 1\n',
      'vendor/x.yml': 'a: 1\n',
      'big.json': `{"a": "${'x'.repeat(5000)}"}\n`,
      'package-lock.json': '{}\n',
      'logo.png': new Uint8Array([137, 80, 78, 71, 0, 0]),
      'src/a.js': 'export {};\n',
    });
    const options = { root: dir, include: [], exclude: ['vendor/'], maxFileSizeBytes: 1000 };
    const without = await walkTree(options);
    expect(without.files.map((f) => f.path)).toEqual(['src/a.js']);
    const withText = await walkTree({ ...options, textFiles: true });
    expect(withText.files.map((f) => `${f.path} ${f.language}`)).toEqual(['.env text', 'config/app.yml text', 'src/a.js javascript']);
    expect(withText.skipped).toEqual([expect.objectContaining({ path: 'big.json', reason: 'too-large' })]);
    const included = await walkTree({ ...options, include: ['config/'], textFiles: true });
    expect(included.files.map((f) => f.path)).toEqual(['config/app.yml']);
  });
});

describe('secrets in a crawl', () => {
  it('skips binary and invalid UTF-8 text files with a reason, never crashing', async () => {
    const dir = await tree({
      'data.txt': new Uint8Array([65, 0, 66, 67]),
      'latin1.properties': new Uint8Array([0x70, 0x3d, 0xe9, 0x0a]),
      '.env': `STRIPE=${T.stripe}\n`,
    });
    const report = await crawlDir(dir, { fix: false });
    expect(report.files.skipped.map((s) => `${s.path} ${s.reason}`).sort()).toEqual(['data.txt binary', 'latin1.properties invalid-utf8']);
    expect(report.findings.map((f) => `${f.file} ${f.ruleId}`)).toEqual(['.env secrets/stripe']);
  });

  it('scans a compact one-line credential file that the minified check would skip as code', async () => {
    const key = JSON.stringify({ type: 'service_account', project_id: 'p', private_key_id: 'k', private_key: T.pemJson.replaceAll('\\n', '\n'), client_email: 'ci@p.iam.gserviceaccount.com', padding: 'x'.repeat(2000) });
    const dir = await tree({ 'deploy/sa.json': key, 'public/app.js': `var a=${JSON.stringify('y'.repeat(3000))};` });
    const report = await crawlDir(dir, { fix: false });
    expect(report.findings.map((f) => `${f.file} ${f.ruleId}`)).toEqual(['deploy/sa.json secrets/gcp']);
    expect(report.files.skipped.map((s) => `${s.path} ${s.reason}`)).toEqual(['public/app.js minified']);
  });

  it('is switched off, or narrowed, by .roach.yml', async () => {
    const files = { '.env': `STRIPE=${T.stripe}\n`, 'legacy/.env': `STRIPE=${T.stripe}\n`, 'src/a.js': `export const k = "${T.stripe}";\n` };
    const off = await tree({ ...files, '.roach.yml': 'secrets:\n  enabled: false\n' });
    const offReport = await crawlDir(off, { fix: false });
    expect(offReport.files.walked).toBe(1);
    expect(offReport.findings.filter((f) => f.ruleId.startsWith('secrets/'))).toEqual([]);

    const narrowed = await tree({ ...files, '.roach.yml': 'secrets:\n  exclude: ["legacy/"]\nrules:\n  disabled: []\n' });
    const narrowedReport = await crawlDir(narrowed, { fix: false });
    expect(narrowedReport.findings.filter((f) => f.ruleId.startsWith('secrets/')).map((f) => f.file).sort()).toEqual(['.env', 'src/a.js']);
  });

  it('names the field of a malformed secrets section', async () => {
    const dir = await tree({ '.roach.yml': 'secrets:\n  enable: true\n' });
    await expect(loadProjectConfig(dir, undefined)).rejects.toMatchObject({ code: 'CR_ERR_CONFIG_INVALID', message: expect.stringContaining('secrets') });
  });
});
