import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../src/store/pglite.js';
import { cleanupTemp, roach, tempTree } from '../helpers/project.js';

afterAll(cleanupTemp);

describe('a data directory migrated by a newer Code Roach', () => {
  it('is refused with a clear error, and the command ends instead of hanging', async () => {
    const dir = await tempTree('roach-newer-', { 'src/a.js': 'var a = 1;\nmodule.exports = a;\n' });
    expect((await roach(['crawl', dir, '--no-progress', '--no-fix'])).code).toBe(0);
    const db = await openPglite(path.join(dir, '.roach', 'pgdata'));
    await db.query("INSERT INTO schema_migrations (version, name, checksum) VALUES (9999, 'from_the_future', 'x')");
    await db.close();
    // before the fix the crawl printed this error and then never exited (the opened database kept it alive)
    const crawl = await roach(['crawl', dir, '--no-progress', '--no-fix']);
    expect(crawl.code).toBe(3);
    expect(crawl.stderr).toContain('The database is at migration 9999, newer than this Code Roach knows');
    expect(crawl.stderr).toContain('[CR_ERR_STORE_NEWER]');
  }, 120_000);
});
