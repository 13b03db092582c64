import path from 'node:path';
import type { Command } from 'commander';
import { RoachError } from '../../domain/errors.js';
import { writeStdout } from '../output.js';


export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Run the REST API (HOST, PORT; DATABASE_URL or the embedded store in ROACH_DATA_DIR; JWT_SECRET or JWKS_URL for tokens).')
    .action(async () => {
      const [{ loadEnvironment }, { startServer }] = await Promise.all([import('../../config/environment.js'), import('../../main/run-serve.js')]);
      const server = await startServer(loadEnvironment(), { logger: true });
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGTERM', stop);
          process.off('SIGINT', stop);
          server.close().then(resolve, resolve);
        };
        process.on('SIGTERM', stop);
        process.on('SIGINT', stop);
      });
    });

  program
    .command('api-key')
    .description('Create an API key for the organization ROACH_ORG (the way in before any user exists); the key is shown once.')
    .argument('<name>', 'what the key is for')
    .option('--role <role>', 'admin, member or viewer', 'admin')
    .option('--data-dir <dir>', 'embedded mode: the data directory (default: ROACH_DATA_DIR or ./.roach)')
    .action(async (name: string, flags: { role: string; dataDir?: string }) => {
      if (flags.role !== 'admin' && flags.role !== 'member' && flags.role !== 'viewer') {
        throw new RoachError('CR_ERR_USAGE', `--role must be admin, member or viewer, got "${flags.role}".`);
      }
      const [{ loadEnvironment }, { newApiKey }, { openService }] = await Promise.all([import('../../config/environment.js'), import('../../api/auth.js'), import('../../main/service.js')]);
      const env = loadEnvironment();
      const service = await openService(env, { defaultDataDir: path.resolve(flags.dataDir ?? '.roach'), queue: false });
      try {
        const secret = newApiKey();
        await service.tenants.createApiKey({
          organizationId: service.organization.id,
          name,
          prefix: secret.prefix,
          keyHash: secret.keyHash,
          role: flags.role,
          projectIds: [],
          createdBy: null,
        });
        await writeStdout(`${secret.key}\n`);
      } finally {
        await service.close();
      }
    });
}
