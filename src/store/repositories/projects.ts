import type { CrawlSummaryStats } from '../../crawl/ports.js';
import type { ProjectRef } from '../../domain/project-ref.js';
import { RoachError } from '../../domain/errors.js';
import type { SqlClient } from '../sql.js';
import { foreignOverlappingProjects, lockProjectRoots } from './tenancy.js';

/** Embedded mode has one organization; the service registers real ones. */
export const LOCAL_ORGANIZATION_SLUG = 'local';

export async function ensureProject(db: SqlClient, rootPath: string, name: string): Promise<ProjectRef> {
  return db.transaction(async (tx) => {
    const [org] = await tx.query<{ id: string }>(
      `INSERT INTO organizations (slug, name) VALUES ($1, $2)
       ON CONFLICT (slug) DO UPDATE SET name = organizations.name RETURNING id`,
      [LOCAL_ORGANIZATION_SLUG, 'Local'],
    );
    if (!org) throw new Error('ensureProject: organization upsert returned no row');
    // One organization per folder, here too (see TenantStore.registerProject).
    await lockProjectRoots(tx);
    if ((await foreignOverlappingProjects(tx, org.id, rootPath)).length > 0) {
      throw new RoachError('CR_ERR_PROJECT_PATH_TAKEN', `${rootPath} (or a folder inside or around it) is already a project of another organization.`, { path: rootPath });
    }
    const [project] = await tx.query<{ id: string }>(
      `INSERT INTO projects (organization_id, name, root_path) VALUES ($1, $2, $3)
       ON CONFLICT (organization_id, root_path) DO UPDATE SET name = projects.name RETURNING id`,
      [org.id, name, rootPath],
    );
    if (!project) throw new Error('ensureProject: project upsert returned no row');
    return { organizationId: org.id, projectId: project.id };
  });
}

export async function startCrawl(db: SqlClient, project: ProjectRef, options: Record<string, unknown>): Promise<string> {
  const jobId = typeof options.jobId === 'string' ? options.jobId : null;
  if (jobId) {
    // A retried job: the attempt it replaces died (killed worker, lost connection) while 'running'.
    await db.query(
      `UPDATE crawls SET status = 'failed', error = 'interrupted; the job was retried', finished_at = now()
       WHERE project_id = $1 AND job_id = $2 AND status = 'running'`,
      [project.projectId, jobId],
    );
  }
  const [row] = await db.query<{ id: string }>(
    `INSERT INTO crawls (project_id, status, options, job_id) VALUES ($1, 'running', $2, $3) RETURNING id`,
    [project.projectId, JSON.stringify(options), jobId],
  );
  if (!row) throw new Error('startCrawl: insert returned no row');
  return row.id;
}

export async function finishCrawl(db: SqlClient, crawlId: string, stats: CrawlSummaryStats): Promise<void> {
  await db.query(`UPDATE crawls SET status = 'completed', stats = $2, finished_at = now() WHERE id = $1`, [crawlId, JSON.stringify(stats)]);
}

export async function failCrawl(db: SqlClient, crawlId: string, error: string): Promise<void> {
  await db.query(`UPDATE crawls SET status = 'failed', error = $2, finished_at = now() WHERE id = $1`, [crawlId, error]);
}
