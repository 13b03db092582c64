import type { Command } from 'commander';
import { writeStdout } from '../output.js';
import { actorName } from '../actor.js';
import { useBaselineWasm } from '../baseline-wasm.js';

export function registerRollback(program: Command): void {
  program
    .command('rollback')
    .description('restore the exact original bytes of an applied fix (refused when the file changed since)')
    .argument('<fix-id>')
    .option('--dir <dir>', 'the crawled project', '.')
    .option('--data-dir <dir>', 'where the embedded database lives (default: <dir>/.roach)')
    .action(async (fixId: string, flags: { dir: string; dataDir?: string }) => {
      useBaselineWasm();
      const [{ rollbackFix }, { withProject }] = await Promise.all([import('../../fixes/fix-actions.js'), import('../../main/project-session.js')]);
      const fix = await withProject(flags.dir, flags.dataDir, (deps) => rollbackFix(deps, fixId, actorName()));
      await writeStdout(`Rolled back fix ${fix.id.slice(0, 8)}: restored ${fix.filePaths.join(', ')}.\n`);
    });
}
