import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/domain/finding.js';
import type { PipelineStore } from '../../src/crawl/ports.js';
import type { ProjectRef } from '../../src/domain/project-ref.js';
import { migrate } from '../../src/store/migrate.js';
import { openPglite } from '../../src/store/pglite.js';
import { createPipelineStore } from '../../src/store/pipeline-store.js';
import { openPostgres } from '../../src/store/postgres.js';
import { projectRef } from '../../src/store/repositories/tenancy.js';
import type { Database } from '../../src/store/sql.js';
import { createTenantStore } from '../../src/store/tenant-store.js';
import type { TenantStore } from '../../src/store/tenant-store.js';
import { withTenant } from '../../src/store/tenant.js';
import { dropSchema, POSTGRES_URL, postgresAvailable, uniqueSchema } from '../helpers/postgres.js';
import { evalFinding } from '../helpers/findings.js';

const finding = (file: string, n: number): Finding => evalFinding(file, n);

const pgReachable = await postgresAvailable();
const schema = uniqueSchema();
const backends = [
  { name: 'PGlite', open: () => openPglite(null), skip: false },
  { name: 'PostgreSQL', open: () => openPostgres({ connectionString: POSTGRES_URL, schema }), skip: !pgReachable },
];

describe.each(backends)('tenancy on $name', ({ open, skip }) => {
  let db: Database;
  let store: PipelineStore;
  let tenants: TenantStore;
  let a: ProjectRef;
  let b: ProjectRef;

  beforeAll(async () => {
    if (skip) return;
    db = await open();
    await migrate(db);
    store = createPipelineStore(db);
    tenants = createTenantStore(db);
    const orgA = await tenants.ensureOrganization('acme', 'Acme');
    const orgB = await tenants.ensureOrganization('globex', 'Globex');
    a = projectRef(await tenants.registerProject(orgA.id, '/srv/acme/api', 'api'));
    b = projectRef(await tenants.registerProject(orgB.id, '/srv/globex/web', 'web'));
    for (const project of [a, b]) {
      const crawl = await store.startCrawl(project, {});
      await store.upsertIssues(project, crawl, [finding('x.js', 1), finding('x.js', 2)]);
    }
  });
  afterAll(async () => {
    if (skip) return;
    await db.close();
    if (db.kind === 'postgres') await dropSchema(schema);
  });

  it.skipIf(skip)('keeps members and roles per organization', async () => {
    const alice = await tenants.ensureUser('auth0|alice', 'alice@acme.test', 'Alice');
    const bob = await tenants.ensureUser('auth0|bob', null, null);
    await tenants.setMembership(a.organizationId, alice, 'owner');
    await tenants.setMembership(a.organizationId, bob, 'viewer');
    await tenants.setMembership(b.organizationId, bob, 'admin');
    await tenants.setMembership(a.organizationId, bob, 'member');
    expect((await tenants.members(a.organizationId)).map((m) => [m.subject, m.role])).toEqual([
      ['auth0|alice', 'owner'],
      ['auth0|bob', 'member'],
    ]);
    expect(await tenants.roleOf(b.organizationId, bob)).toBe('admin');
    expect(await tenants.roleOf(b.organizationId, alice)).toBeNull();
    await expect(withTenant(db, a.organizationId, (tx) => tx.query("INSERT INTO memberships (organization_id, user_id, role) VALUES ($1, $2, 'root')", [a.organizationId, alice]))).rejects.toThrow(/check/i);
  });

  it.skipIf(skip)('finds projects only inside their organization', async () => {
    expect((await tenants.findProject(a.organizationId, '/srv/acme/api'))?.id).toBe(a.projectId);
    expect((await tenants.findProject(a.organizationId, 'api'))?.id).toBe(a.projectId);
    expect(await tenants.findProject(a.organizationId, b.projectId)).toBeNull();
    expect(await tenants.findProject(a.organizationId, '/srv/globex/web')).toBeNull();
    expect((await tenants.projects(b.organizationId)).map((p) => p.name)).toEqual(['web']);
  });

  it.skipIf(skip)('a forged project reference (organization A, project of B) reads nothing and writes nothing', async () => {
    const forged: ProjectRef = { organizationId: a.organizationId, projectId: b.projectId };
    expect(await store.openIssues(forged)).toEqual([]);
    expect((await store.fileStates(forged)).size).toBe(0);
    await expect(store.startCrawl(forged, {})).rejects.toThrow(/row-level security/);
    expect(await store.openIssues(b)).toHaveLength(2);
  });

  it.skipIf(skip)('row-level security hides and refuses other tenants rows to a raw query', async () => {
    const seen = await withTenant(db, a.organizationId, (tx) =>
      tx.query<{ project_id: string; n: string | number }>('SELECT project_id, count(*) AS n FROM code_roach_issues GROUP BY project_id'),
    );
    expect(seen.map((row) => [row.project_id, Number(row.n)])).toEqual([[a.projectId, 2]]);
    const orgs = await withTenant(db, b.organizationId, (tx) => tx.query<{ slug: string }>('SELECT slug FROM organizations'));
    expect(orgs.map((o) => o.slug)).toEqual(['globex']);
    await expect(
      withTenant(db, a.organizationId, (tx) => tx.query(`UPDATE projects SET organization_id = $1 WHERE id = $2`, [b.organizationId, a.projectId])),
    ).rejects.toThrow(/row-level security/);
    // Without a tenant set, the tenant role sees nothing at all.
    const none = await db.transaction(async (tx) => {
      await tx.exec('SET LOCAL ROLE roach_tenant');
      return tx.query('SELECT id FROM code_roach_issues');
    });
    expect(none).toEqual([]);
    await expect(withTenant(db, "x'; DROP TABLE projects; --", async () => 1)).rejects.toThrow(/No organization/);
  });

  it.skipIf(skip)('keeps API keys (hash lookup across tenants, revocation) and the audit log per organization', async () => {
    const key = await tenants.createApiKey({ organizationId: a.organizationId, name: 'ci', prefix: 'rk_abc', keyHash: 'h1', role: 'member', projectIds: [a.projectId], createdBy: null });
    expect(key).toMatchObject({ name: 'ci', role: 'member', projectIds: [a.projectId], lastUsedAt: null });
    expect(await tenants.useApiKey('h1')).toMatchObject({ id: key.id, organizationId: a.organizationId });
    expect((await tenants.apiKeys(a.organizationId))[0]?.lastUsedAt).not.toBeNull();
    expect(await tenants.apiKeys(b.organizationId)).toEqual([]);
    expect(await tenants.revokeApiKey(b.organizationId, key.id)).toBe(false);
    expect(await tenants.revokeApiKey(a.organizationId, key.id)).toBe(true);
    expect(await tenants.useApiKey('h1')).toBeNull();
    for (let i = 0; i < 3; i++) {
      await tenants.recordAudit({ organizationId: a.organizationId, actor: 'user:x', action: `POST /x/${i}`, target: null, outcome: 'success', statusCode: 201, requestId: `r${i}`, ip: '127.0.0.1', details: {} });
    }
    await tenants.recordAudit({ organizationId: b.organizationId, actor: 'user:y', action: 'POST /y', target: null, outcome: 'failure', statusCode: 403, requestId: 'ry', ip: null, details: {} });
    const first = await tenants.auditPage(a.organizationId, 2, null);
    expect(first.items.map((i) => i.action)).toEqual(['POST /x/2', 'POST /x/1']);
    const second = await tenants.auditPage(a.organizationId, 2, first.nextCursor);
    expect(second.items.map((i) => i.action)).toEqual(['POST /x/0']);
    expect(second.nextCursor).toBeNull();
    expect(await tenants.organizationOfProject(b.projectId)).toBe(b.organizationId);
  });

  it.skipIf(skip)('pages issues by cursor with no gaps and no repeats', async () => {
    const crawl = await store.startCrawl(a, {});
    await store.upsertIssues(a, crawl, Array.from({ length: 23 }, (_, i) => finding('page.js', 100 + i)));
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await tenants.pageIssues(a, { limit: 10, cursor });
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(25);
    expect(new Set(seen).size).toBe(25);
    await expect(tenants.pageIssues(a, { limit: 10, cursor: 'garbage' })).rejects.toThrow(/cursor/);
  });
});
