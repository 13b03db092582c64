import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { ServiceEnvironment } from '../config/environment.js';
import { RoachError } from '../domain/errors.js';
import type { Priority } from '../domain/priority.js';
import type { JobInfo } from '../queue/ports.js';
import type { Project } from '../store/repositories/tenancy.js';
import { dedupeKeys } from '../queue/dedupe-keys.js';
import { createAttributionStore } from '../store/developer-store.js';
import { projectFolder } from '../io/project-root.js';
import { createJobHandlers } from './job-handlers.js';
import { openService } from './service.js';
import type { Service } from './service.js';

export interface EnqueueCrawlRequest {
  readonly kind: 'codebase-crawl' | 'analysis';
  /** A directory (registered on first use) or a registered project's id, name or root path. */
  readonly project: string;
  readonly apply: boolean;
  readonly generateFixes: boolean;
  readonly threshold?: number;
  readonly priority?: Priority;
  readonly requestedBy: string;
}

export interface EnqueueOutcome {
  readonly project: Project;
  readonly job: JobInfo;
  /** False: the job waits in the shared queue for a worker. True: it already ran in this process. */
  readonly ranHere: boolean;
}

async function isDirectory(candidate: string): Promise<boolean> {
  return stat(candidate).then((info) => info.isDirectory(), () => false);
}

async function resolveProject(service: Service, ref: string): Promise<Project> {
  const org = service.organization;
  const absolute = path.resolve(ref);
  if (await isDirectory(absolute)) {
    const real = await projectFolder(absolute);
    return service.tenants.registerProject(org.id, real, path.basename(real));
  }
  if (await stat(absolute).then(() => true, () => false)) throw new RoachError('CR_ERR_NOT_A_DIRECTORY', `${absolute} is not a folder: a project is a directory.`, { project: ref });
  const found = await service.tenants.findProject(org.id, ref);
  if (!found) throw new RoachError('CR_ERR_NOT_FOUND', `No directory ${absolute} and no project "${ref}" in organization ${org.slug}.`, { project: ref });
  return found;
}

/**
 * Composition root of `roach enqueue`: with REDIS_URL the job goes on the shared queue for the
 * workers; without it (embedded mode) the same catalogue entry runs in this process, with the same
 * payload checks, retries and timeout, and this returns when it has finished.
 */
export async function enqueueCrawl(env: ServiceEnvironment, request: EnqueueCrawlRequest): Promise<EnqueueOutcome> {
  const absolute = path.resolve(request.project);
  const defaultDataDir = (await isDirectory(absolute)) ? path.join(absolute, '.roach') : path.resolve('.roach');
  const service = await openService(env, { defaultDataDir });
  try {
    const project = await resolveProject(service, request.project);
    const base = { organizationId: project.organizationId, projectId: project.id, requestedBy: request.requestedBy };
    const payload =
      request.kind === 'analysis'
        ? base
        : { ...base, apply: request.apply, generateFixes: request.generateFixes, ...(request.threshold !== undefined ? { threshold: request.threshold } : {}) };
    const enqueued = await service.queue.enqueue(request.kind, payload, {
      ...(request.priority ? { priority: request.priority } : {}),
      // One crawl of a project at a time: a second request while one waits or runs joins it.
      dedupeKey: dedupeKeys.projectCrawl(project.organizationId, project.id),
    });
    if (service.queue.kind === 'bullmq') {
      return { project, job: (await service.queue.job(request.kind, enqueued.id)) as JobInfo, ranHere: false };
    }
    const handlers = createJobHandlers({ pipeline: service.pipeline, tenants: service.tenants, webhookSecret: env.webhookSecret, outbound: env.outbound, gitAllowFile: env.git.allowFile, attribution: createAttributionStore(service.db), analysisLimits: env.analysis });
    const finished = new Promise<void>((resolve) => {
      const worker = service.queue.work(
        { [request.kind]: handlers[request.kind] },
        {
          concurrency: 1,
          ratePerMinute: 1_000,
          onEvent: (event) => {
            if (event.type === 'completed' || (event.type === 'failed' && event.final)) void worker.close(0).then(resolve);
          },
        },
      );
    });
    await finished;
    return { project, job: (await service.queue.job(request.kind, enqueued.id)) as JobInfo, ranHere: true };
  } finally {
    await service.close();
  }
}
