import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openEmbeddedStore } from '../../src/main/embedded-store.js';
import { crawlWithStore } from '../../src/main/run-crawl.js';
import { resolveCrawlSettings } from '../../src/main/settings.js';
import { migrate } from '../../src/store/migrate.js';
import { createPipelineStore } from '../../src/store/pipeline-store.js';
import { openPostgres } from '../../src/store/postgres.js';
import type { SqlClient } from '../../src/store/sql.js';
import { dropSchema, POSTGRES_URL, postgresAvailable, uniqueSchema } from '../helpers/postgres.js';
import { cleanupTemp, roach, tempDir } from '../helpers/project.js';
import { T } from '../engine/secrets/tokens.js';

afterAll(cleanupTemp);

const pgReachable = await postgresAvailable();

/** The raw values planted in the project; none may surface anywhere Code Roach writes. */
const SECRETS = [T.stripe, T.dbPassword, T.generic, T.slackBot, T.pem, T.pemJson, T.ghp, T.awsSecret, T.akia];

const FILES: Record<string, string> = {
  '.env.production': `STRIPE_KEY=${T.stripe}\nDATABASE_URL=postgres://app:${T.dbPassword}@db.internal:5432/app\n`,
  'config/app.yml': `db:\n  host: db.internal\n  password: ${T.generic}\n`,
  // A secret next to an issue with a safe fix: the fix must not be generated (it would store the file's bytes).
  'src/notify.js': `const slackToken = "${T.slackBot}";\ndebugger;\nexport function post(text) {\n  return fetch("https://slack.com/api/chat.postMessage", { headers: { Authorization: slackToken }, body: text });\n}\n`,
  'src/clean.js': 'export function twice(x) {\n  debugger;\n  return x * 2;\n}\n',
  'deploy/sa.json': `{\n  "type": "service_account",\n  "private_key": "${T.pemJson}"\n}\n`,
  'certs/server.key': `${T.pem}\n`,
  'README.md': `# App\n\nThe old token ${T.ghp} was revoked.\n`,
  'app/settings.py': `AWS_ACCESS_KEY_ID = "${T.akia}"\nAWS_SECRET_ACCESS_KEY = "${T.awsSecret}"\n`,
  'package-lock.json': `{ "packages": { "": { "integrity": "sha512-${T.generic}" } } }\n`,
  // A validation command that prints secrets: its output is stored with the fixes it judged.
  '.roach.yml': 'validation:\n  commands:\n    - name: leaky\n      run: "cat .env.production README.md; exit 1"\n',
};

/** The validation command ran and its (masked) output was stored with the fix. */
async function expectCommandOutputStored(db: SqlClient): Promise<void> {
  const rows = await db.query<{ validation: string }>('SELECT validation::text AS validation FROM fixes');
  const stored = rows.map((r) => r.validation).join('\n');
  expect(stored).toContain('STRIPE_KEY=');
  expect(stored).toContain('The old token');
  expect(leaks(stored)).toEqual([]);
}

async function project(): Promise<string> {
  const dir = await tempDir('roach-secrets-');
  for (const [file, text] of Object.entries(FILES)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), text);
  }
  return dir;
}

/** Every secret in its raw form, hex (bytea) form and JSON-escaped form. */
function leaks(text: string): string[] {
  return SECRETS.filter((s) => text.includes(s) || text.includes(Buffer.from(s).toString('hex')) || text.includes(JSON.stringify(s).slice(1, -1)));
}

async function allFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

/** Every row of every table (in `schema`, or all but the catalogs), as text: the leaks found, by table. */
async function dumpLeaks(db: SqlClient, schema: string | null): Promise<string[]> {
  const tables = await db.query<{ schema: string; name: string }>(
    `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
     WHERE table_type = 'BASE TABLE' AND ($1::text IS NULL AND table_schema NOT IN ('pg_catalog', 'information_schema') OR table_schema = $1)`,
    [schema],
  );
  expect(tables.map((t) => t.name)).toContain('code_roach_issues');
  const found: string[] = [];
  const counts = new Map<string, number>();
  for (const table of tables) {
    const dump = await db.query<{ row: string }>(`SELECT t::text AS row FROM "${table.schema}"."${table.name}" t`);
    counts.set(table.name, dump.length);
    for (const { row } of dump) if (leaks(row).length > 0) found.push(`${table.name}: ${row.slice(0, 120)}`);
  }
  // The dump saw the crawl's rows (RLS or a wrong schema would show empty tables and prove nothing).
  expect(counts.get('code_roach_issues')).toBeGreaterThanOrEqual(10);
  expect(counts.get('fixes')).toBeGreaterThan(0);
  return found;
}

describe('secrets never leave the file they are in', () => {
  it('reports every secret masked, in terminal, JSON and SARIF output, and stores none of them', async () => {
    const dir = await project();
    expect(leaks(FILES['.env.production'] ?? '')).toEqual([T.stripe, T.dbPassword]);
    const json = await roach(['crawl', dir, '--format', 'json', '--no-progress']);
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout) as { findings: { ruleId: string; file: string; fixable: boolean }[]; fixes: { file: string }[]; files: { walked: number } };
    const secretFindings = report.findings.filter((f) => f.ruleId.startsWith('secrets/'));
    expect(secretFindings.map((f) => `${f.file} ${f.ruleId}`).sort()).toEqual([
      '.env.production secrets/database-url',
      '.env.production secrets/stripe',
      'README.md secrets/github',
      'app/settings.py secrets/aws',
      'app/settings.py secrets/aws',
      'certs/server.key secrets/private-key',
      'config/app.yml secrets/generic',
      'deploy/sa.json secrets/gcp',
      'src/notify.js secrets/slack',
    ]);
    expect(secretFindings.every((f) => !f.fixable)).toBe(true);
    // The lock file is not scanned; the clean file still gets its fix, the file with a secret gets none.
    expect(report.findings.some((f) => f.file === 'package-lock.json')).toBe(false);
    expect(report.fixes.map((f) => f.file)).toEqual(['src/clean.js']);
    expect(report.findings.some((f) => f.file === 'src/notify.js' && f.ruleId === 'js/no-debugger')).toBe(true);

    const sarif = await roach(['crawl', dir, '--format', 'sarif', '--no-progress']);
    const terminal = await roach(['crawl', dir, '--no-progress']);
    expect(JSON.parse(sarif.stdout).runs[0].tool.driver.rules.map((r: { id: string }) => r.id)).toContain('secrets/stripe');
    expect(terminal.stdout).toContain('secrets/stripe');
    // Unchanged files, text files included, are not read again.
    const again = JSON.parse((await roach(['crawl', dir, '--format', 'json', '--no-progress'])).stdout) as { files: { analyzed: number; walked: number } };
    expect(again.files).toMatchObject({ analyzed: 0, walked: report.files.walked });
    for (const run of [json, sarif, terminal]) {
      expect(leaks(run.stdout)).toEqual([]);
      expect(leaks(run.stderr)).toEqual([]);
    }

    const opened = await openEmbeddedStore(path.join(dir, '.roach'));
    try {
      expect(await dumpLeaks(opened.db, null)).toEqual([]);
      await expectCommandOutputStored(opened.db);
      const blobs = await opened.db.query<{ n: number }>('SELECT count(*)::int AS n FROM code_roach_blobs');
      expect(blobs[0]?.n).toBeGreaterThan(0);
    } finally {
      await opened.close();
    }
    // Nor in any byte the data directory holds (database pages, WAL, baselines, locks).
    for (const file of await allFiles(path.join(dir, '.roach'))) {
      expect(leaks((await readFile(file)).toString('latin1')), file).toEqual([]);
    }
  }, 120_000);

  it.skipIf(!pgReachable)('stores none of them in PostgreSQL either', async () => {
    const dir = await project();
    const schema = uniqueSchema('roach_secrets');
    const db = await openPostgres({ connectionString: POSTGRES_URL, schema });
    try {
      await migrate(db);
      const settings = await resolveCrawlSettings(dir, { threads: '1', progress: false, format: 'sarif' });
      const run = await crawlWithStore(createPipelineStore(db), settings, { color: false });
      expect(run.report.findings.filter((f) => f.ruleId.startsWith('secrets/'))).toHaveLength(9);
      expect(leaks(run.output)).toEqual([]);
      expect(await dumpLeaks(db, schema)).toEqual([]);
      await expectCommandOutputStored(db);
    } finally {
      await db.close();
      await dropSchema(schema);
    }
  }, 120_000);
});
