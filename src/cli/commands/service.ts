import path from 'node:path';
import type { Command } from 'commander';
import { parseNumber } from '../../config/flag-values.js';
import { RoachError } from '../../domain/errors.js';
import { isPriority, PRIORITIES } from '../../domain/priority.js';
import { actorName } from '../actor.js';
import { writeStdout } from '../output.js';

interface EnqueueFlags {
  readonly apply?: boolean;
  readonly fix?: boolean;
  readonly threshold?: string;
  readonly priority?: string;
  readonly json?: boolean;
}

// What the commands run is loaded when one runs: listing them (--help) or running another stays quick.
const environment = () => import('../../config/environment.js');
const admin = () => import('../../main/service-admin.js');

function registerEnqueue(program: Command): void {
  const enqueue = program.command('enqueue').description('Put a job on the queues (REDIS_URL); without REDIS_URL it runs in this process.');
  for (const [name, kind, about] of [
    ['crawl', 'codebase-crawl', 'crawl a project: detect, fix, validate, apply (--apply) or queue for review'],
    ['analysis', 'analysis', 'detect issues only (no fixes)'],
  ] as const) {
    enqueue
      .command(name)
      .description(about)
      .argument('<project>', 'a directory, or a registered project id, name or root path')
      .option('--apply', 'apply fixes that reach the threshold')
      .option('--no-fix', 'generate no fixes')
      .option('--threshold <n>', 'confidence (0..1) a fix needs to be applied')
      .option('--priority <p>', `one of ${PRIORITIES.join(', ')}`)
      .option('--json', 'print the job as JSON')
      .action(async (project: string, flags: EnqueueFlags) => {
        if (flags.priority !== undefined && !isPriority(flags.priority)) {
          throw new RoachError('CR_ERR_USAGE', `--priority must be one of ${PRIORITIES.join(', ')}, got "${flags.priority}".`);
        }
        const [{ loadEnvironment }, { enqueueCrawl }] = await Promise.all([environment(), import('../../main/run-enqueue.js')]);
        const outcome = await enqueueCrawl(loadEnvironment(), {
          kind,
          project,
          apply: flags.apply === true,
          generateFixes: flags.fix !== false,
          ...(flags.threshold !== undefined ? { threshold: parseNumber(flags.threshold, '--threshold', 0, 1, false) } : {}),
          ...(flags.priority ? { priority: flags.priority } : {}),
          requestedBy: actorName(),
        });
        const { job } = outcome;
        if (flags.json) return writeStdout(`${JSON.stringify(outcome, null, 2)}\n`);
        const head = outcome.ranHere
          ? `Ran ${kind} job ${job.id} for ${outcome.project.name} in this process: ${job.state}${job.failedReason ? ` (${job.failedReason})` : ''}.`
          : `Enqueued ${kind} job ${job.id} for ${outcome.project.name} (priority ${job.priority}, ${job.state}).`;
        await writeStdout(`${head}\n${outcome.ranHere && job.result ? `${JSON.stringify(job.result, null, 2)}\n` : ''}`);
        if (job.state === 'failed') process.exitCode = 1;
      });
  }
}

function registerJobs(program: Command): void {
  program
    .command('jobs')
    .description('Queue depth per queue, running jobs, and failed jobs with their reasons (needs REDIS_URL).')
    .option('--failed <n>', 'failed jobs to list per queue', '10')
    .option('--json', 'print JSON')
    .action(async (flags: { failed: string; json?: boolean }) => {
      const [{ loadEnvironment }, { readQueueState }] = await Promise.all([environment(), admin()]);
      const env = loadEnvironment();
      if (!env.redis) {
        throw new RoachError('CR_ERR_SERVICE_CONFIG', 'roach jobs reads the shared queues: set REDIS_URL. (Without it, `roach enqueue` runs each job in its own process and prints its outcome.)', { setting: 'REDIS_URL' });
      }
      const limit = parseNumber(flags.failed, '--failed', 0, 1000, true);
      const { counts, failed } = await readQueueState(env.redis, limit);
      if (flags.json) return await writeStdout(`${JSON.stringify({ counts, failed }, null, 2)}\n`);
      const rows = counts.map((c) => `${c.kind.padEnd(16)} ${String(c.waiting).padStart(7)} ${String(c.active).padStart(6)} ${String(c.delayed).padStart(7)} ${String(c.completed).padStart(9)} ${String(c.failed).padStart(6)}`);
      const failures = failed.map((f) => `  ${f.kind} ${f.id} (${f.attemptsMade} attempt(s)): ${f.failedReason ?? 'no reason recorded'}`);
      await writeStdout(
        [`queue            waiting active delayed completed failed`, ...rows, ...(failures.length > 0 ? ['', 'failed jobs:', ...failures] : [])].join('\n') + '\n',
      );
    });
}

function registerDb(program: Command): void {
  const db = program.command('db').description('Database administration.');
  db.command('migrate')
    .description('Bring the database schema up to date (DATABASE_URL, else the embedded store); safe to run from several processes at once.')
    .option('--data-dir <dir>', 'embedded mode: the data directory (default: ROACH_DATA_DIR or ./.roach)')
    .action(async (flags: { dataDir?: string }) => {
      const [{ loadEnvironment }, { migrateDatabase }] = await Promise.all([environment(), admin()]);
      const env = loadEnvironment();
      const { applied, where } = await migrateDatabase(env, flags.dataDir);
      await writeStdout(applied.length > 0 ? `Migrated ${where}: applied ${applied.map((v) => String(v).padStart(4, '0')).join(', ')}.\n` : `${where} is up to date.\n`);
    });
}

function registerHealth(program: Command): void {
  program
    .command('health')
    .description('Check the database, the cache and the queues this environment points at; exits 3 when the database is unusable.')
    .option('--data-dir <dir>', 'embedded mode: the data directory (default: ROACH_DATA_DIR or ./.roach)')
    .option('--json', 'print JSON')
    .action(async (flags: { dataDir?: string; json?: boolean }) => {
      const [{ loadEnvironment }, { queueHealth }, { openService }] = await Promise.all([environment(), admin(), import('../../main/service.js')]);
      const env = loadEnvironment();
      // The queue connection is checked on its own below, so a Redis outage is reported, not thrown.
      const service = await openService(env, { defaultDataDir: path.resolve(flags.dataDir ?? '.roach'), queue: false });
      let health;
      try {
        health = await service.health();
      } finally {
        await service.close();
      }
      const queue = await queueHealth(env);
      const report = { ...health, queue };
      if (flags.json) return writeStdout(`${JSON.stringify(report, null, 2)}\n`);
      const line = (name: string, part: { kind: string; ok: boolean; detail: string }): string => `${name.padEnd(9)} ${part.kind.padEnd(11)} ${part.ok ? 'ok  ' : 'DOWN'}  ${part.detail}`;
      await writeStdout(`${[line('database', report.database), line('cache', report.cache), line('queue', report.queue)].join('\n')}\n`);
      if (!report.database.ok) process.exitCode = 3;
    });
}

/** The service-mode commands: enqueue, jobs, db, health (worker has its own file). */
export function registerServiceCommands(program: Command): void {
  registerHealth(program);
  registerEnqueue(program);
  registerJobs(program);
  registerDb(program);
}
