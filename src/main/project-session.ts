import path from 'node:path';
import type { FixActionDeps } from '../fixes/fix-actions.js';
import type { PipelineStore } from '../crawl/ports.js';
import { openEmbeddedStore } from './embedded-store.js';
import { dataDirFor, requireDirectory } from './project-dirs.js';

/** Shared buffers for a session of a few queries (see PgliteOptions): ample for one project's fixes and patterns. */
const SESSION_SHARED_BUFFERS_MIB = 16;

/** Opens the store of a crawled project for review and rollback commands, and closes it after `work`. */
export async function withProject<T>(dir: string, dataDirFlag: string | undefined, work: (deps: FixActionDeps<PipelineStore>) => Promise<T>): Promise<T> {
  const root = await requireDirectory(dir);
  const opened = await openEmbeddedStore(dataDirFor(root, dataDirFlag), { sharedBuffersMiB: SESSION_SHARED_BUFFERS_MIB });
  try {
    const project = await opened.store.ensureProject(root, path.basename(root));
    return await work({ store: opened.store, project, root });
  } finally {
    await opened.close();
  }
}
