import { afterAll, beforeAll } from 'vitest';
import type { PipelineStore } from '../../src/crawl/ports.js';
import type { ProjectRef } from '../../src/domain/project-ref.js';
import { migrate } from '../../src/store/migrate.js';
import { openPglite } from '../../src/store/pglite.js';
import { createPipelineStore } from '../../src/store/pipeline-store.js';
import { openPostgres } from '../../src/store/postgres.js';
import type { Database } from '../../src/store/sql.js';
import { dropSchema, POSTGRES_URL, postgresAvailable, uniqueSchema } from './postgres.js';

export interface StoreBackend {
  readonly name: string;
  readonly open: () => Promise<Database>;
  /** No PostgreSQL server outside CI (under CI=true postgresAvailable throws instead). */
  readonly skip: boolean;
  /** The PostgreSQL schema to drop afterwards; null for PGlite. */
  readonly schema: string | null;
}

/** The store backends a conformance suite runs on: in-memory PGlite, and PostgreSQL in a unique schema. */
export async function storeBackends(): Promise<StoreBackend[]> {
  const schema = uniqueSchema();
  const reachable = await postgresAvailable();
  return [
    { name: 'PGlite', open: () => openPglite(null), skip: false, schema: null },
    { name: 'PostgreSQL', open: () => openPostgres({ connectionString: POSTGRES_URL, schema }), skip: !reachable, schema },
  ];
}

export interface StoreUnderTest {
  db: Database;
  store: PipelineStore;
  project: ProjectRef;
}

/** Opens and migrates the backend before the suite's tests, with one project, and cleans up after them. */
export function useStore(backend: StoreBackend, rootPath: string): StoreUnderTest {
  const handle = {} as StoreUnderTest;
  beforeAll(async () => {
    if (backend.skip) return;
    handle.db = await backend.open();
    await migrate(handle.db);
    handle.store = createPipelineStore(handle.db);
    handle.project = await handle.store.ensureProject(rootPath, rootPath.split('/').pop() ?? rootPath);
  });
  afterAll(async () => {
    if (backend.skip) return;
    await handle.db.close();
    if (backend.schema) await dropSchema(backend.schema);
  });
  return handle;
}
