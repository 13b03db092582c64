import type { Command } from 'commander';
import { parseNumber } from '../../config/flag-values.js';
import { writeStdout } from '../output.js';
import { useBaselineWasm } from '../baseline-wasm.js';

interface StatsFlags {
  readonly project: string;
  readonly dataDir?: string;
  readonly json?: boolean;
  readonly limit: string;
}

export function registerStats(program: Command): void {
  program
    .command('stats')
    .description('show what the project learned from fix outcomes: patterns, deprecations, outcomes per strategy, calibration')
    .option('--project <dir>', 'the crawled project', '.')
    .option('--data-dir <dir>', 'where the embedded database lives (default: <dir>/.roach)')
    .option('--limit <n>', 'patterns and history entries to list', '10')
    .option('--json', 'print JSON')
    .action(async (flags: StatsFlags) => {
      const limit = parseNumber(flags.limit, '--limit', 1, 1000, true);
      useBaselineWasm();
      const [{ withProject }, { formatLearningReport }] = await Promise.all([import('../../main/project-session.js'), import('../../report/learning.js')]);
      const report = await withProject(flags.project, flags.dataDir, (deps) => deps.store.learningReport(deps.project, limit));
      await writeStdout(flags.json ? `${JSON.stringify(report, null, 2)}\n` : formatLearningReport(report));
    });
}
