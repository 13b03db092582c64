import type { SqlClient } from '../sql.js';

/** What an organization admin decides per project, beyond what the repository's own config says. */
export interface ProjectSettings {
  /** Service mode: the repository's commands may run (in the sandbox) during crawl jobs. */
  readonly repositoryCommands: boolean;
}

/** The project's settings, or null when there is no such project (in the organization acted as). */
export async function projectSettings(tx: SqlClient, projectId: string): Promise<ProjectSettings | null> {
  const [row] = await tx.query<{ repository_commands: boolean }>('SELECT repository_commands FROM projects WHERE id = $1', [projectId]);
  return row ? { repositoryCommands: row.repository_commands } : null;
}

/** Changes the given settings; null when there is no such project. */
export async function updateProjectSettings(tx: SqlClient, projectId: string, change: Partial<ProjectSettings>): Promise<ProjectSettings | null> {
  const [row] = await tx.query<{ repository_commands: boolean }>(
    'UPDATE projects SET repository_commands = coalesce($2, repository_commands) WHERE id = $1 RETURNING repository_commands',
    [projectId, change.repositoryCommands ?? null],
  );
  return row ? { repositoryCommands: row.repository_commands } : null;
}
