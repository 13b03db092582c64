import { Command, CommanderError } from 'commander';
import { isRoachError } from '../domain/errors.js';
import { TOOL_VERSION } from '../config/version.js';
import { registerCrawl } from './commands/crawl.js';
import { registerLearn } from './commands/learn.js';
import { registerReview } from './commands/review.js';
import { registerRollback } from './commands/rollback.js';
import { registerRules } from './commands/rules.js';
import { registerServiceCommands } from './commands/service.js';
import { registerWorker } from './commands/worker.js';
import { registerServe } from './commands/serve.js';
import { registerStats } from './commands/stats.js';

/** Exit code for failures that are bugs, not bad input (sysexits EX_SOFTWARE). */
const EXIT_INTERNAL = 70;

/**
 * Every command loads what it runs only when it runs (dynamic imports in its action): `--help`, `--version`
 * and each command pay for their own modules, not for the engine, the database and the HTTP server at once.
 */
export async function main(argv: readonly string[]): Promise<void> {
  const program = new Command()
    .name('roach')
    .description('Code Roach: finds issues in a codebase, fixes what it is sure of, queues the rest for review.')
    .version(TOOL_VERSION)
    .exitOverride()
    .showHelpAfterError();
  registerCrawl(program);
  registerReview(program);
  registerRollback(program);
  registerRules(program);
  registerLearn(program);
  registerWorker(program);
  registerServe(program);
  registerStats(program);
  registerServiceCommands(program);
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    if (isRoachError(error)) {
      process.stderr.write(`roach: ${error.message} [${error.code}]\n`);
      process.exitCode = error.exitCode;
      return;
    }
    process.stderr.write(`roach: internal error: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = EXIT_INTERNAL;
  }
}

await main(process.argv);
