import type { SqlClient } from '../sql.js';

/** Where a project cloned from a git URL comes from. */
export interface ProjectRemote {
  readonly gitUrl: string;
  readonly ref: string | null;
}

export async function setProjectRemote(tx: SqlClient, projectId: string, remote: ProjectRemote): Promise<void> {
  await tx.query('UPDATE projects SET git_url = $2, git_ref = $3 WHERE id = $1', [projectId, remote.gitUrl, remote.ref]);
}
