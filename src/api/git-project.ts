import path from 'node:path';
import { RoachError } from '../domain/errors.js';
import { checkGitRef, checkGitRemote, cloneRemote } from '../git/remote.js';
import type { Project } from '../store/ports.js';
import type { ApiDeps } from './context.js';

/**
 * A project from a git URL: the remote is checked (protocols, no credentials, no private hosts), cloned
 * without hooks into this server's workspace (one folder per organization), and registered with its
 * remote so each crawl fetches first.
 */
export async function registerGitProject(deps: ApiDeps, organizationId: string, body: { name: string; gitUrl: string; ref?: string | undefined }): Promise<Project> {
  const workspaceDir = deps.git?.workspaceDir;
  if (!workspaceDir) throw new RoachError('CR_ERR_SERVICE_CONFIG', 'This server has no workspace directory (ROACH_WORKSPACE_DIR): projects cannot be cloned from git URLs.', { setting: 'ROACH_WORKSPACE_DIR' });
  const policy = { allowFile: deps.git.allowFile, outbound: deps.outbound };
  const url = await checkGitRemote(body.gitUrl, policy);
  const ref = body.ref === undefined ? null : checkGitRef(body.ref);
  const dir = await cloneRemote(url, ref, path.join(path.resolve(workspaceDir), organizationId), policy);
  const project = await deps.tenants.registerProject(organizationId, dir, body.name);
  await deps.tenants.setProjectRemote(organizationId, project.id, { gitUrl: url, ref });
  return { ...project, gitUrl: url, gitRef: ref };
}
