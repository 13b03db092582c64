import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../api/app.js';
import { createMetrics, instrumentJobHandlers } from '../api/metrics.js';
import type { ServiceEnvironment } from '../config/environment.js';
import { createAttributionStore, createDeveloperStore } from '../store/developer-store.js';
import { createJobHandlers } from './job-handlers.js';
import { openService } from './service.js';

export interface RunningServer {
  readonly app: FastifyInstance;
  readonly address: string;
  /** Stops accepting requests, lets running ones finish, then closes the stores. */
  close(): Promise<void>;
}

/** Composition root of `roach serve`: the service's stores, cache and queue behind the REST API. */
export async function startServer(env: ServiceEnvironment, options: { logger: boolean }): Promise<RunningServer> {
  const service = await openService(env, { defaultDataDir: path.resolve('.roach'), applicationName: 'code-roach-api' });
  try {
    const metrics = createMetrics({ queue: service.queue });
    const app = await buildApp(
      {
        tenants: service.tenants,
        pipeline: service.pipeline,
        developers: createDeveloperStore(service.db),
        queue: service.queue,
        cache: service.cache,
        settings: env.api,
        outbound: env.outbound,
        // Embedded mode clones into its data directory unless ROACH_WORKSPACE_DIR says otherwise.
        git: {
          workspaceDir: env.git.workspaceDir ?? (env.database.kind === 'embedded' ? path.join(env.database.dataDir ?? path.resolve('.roach'), 'workspace') : null),
          allowFile: env.git.allowFile,
        },
        metrics: { collector: metrics, token: env.metricsToken },
        health: () => service.health(),
      },
      { logger: options.logger },
    );
    // Embedded mode has no separate workers: the server runs the queued jobs itself, one at a time
    // (the embedded database is one connection).
    const worker =
      service.queue.kind === 'in-process'
        ? service.queue.work(
            instrumentJobHandlers(
              createJobHandlers({ pipeline: service.pipeline, tenants: service.tenants, webhookSecret: env.webhookSecret, outbound: env.outbound, gitAllowFile: env.git.allowFile, attribution: createAttributionStore(service.db), analysisLimits: env.analysis }),
              metrics,
            ),
            { concurrency: 1, ratePerMinute: 1_000 },
          )
        : null;
    const address = await app.listen({ host: env.api.host, port: env.api.port });
    return {
      app,
      address,
      async close() {
        try {
          await app.close();
          await worker?.close(30_000);
        } finally {
          await service.close();
        }
      },
    };
  } catch (error) {
    await service.close();
    throw error;
  }
}
