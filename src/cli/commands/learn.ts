import type { Command } from 'commander';
import { RoachError } from '../../domain/errors.js';
import { parseNumber } from '../../config/flag-values.js';
import type { LearnResult } from '../../main/run-learn.js';
import { writeStdout } from '../output.js';

interface LearnFlags {
  readonly dir: string;
  readonly dataDir?: string;
  readonly fromHistory?: boolean;
  readonly since?: string;
  readonly maxCommits: string;
  readonly export?: string;
  readonly json?: boolean;
}

function summary(result: LearnResult): string {
  const lines: string[] = [];
  if (result.learning) {
    const { learning } = result;
    lines.push(`Mined ${result.minedCommits} new commit(s) (${result.skippedCommits} mined before): ${learning.examples} fixed finding(s).`);
    lines.push(`Learned ${learning.clusters.length} template(s); best fix of ${learning.promoted.length} pattern(s):`);
    for (const cluster of learning.clusters) {
      lines.push(`  ${cluster.ruleId}  ${cluster.template.pattern}  ->  ${cluster.template.rewrite}  (${cluster.examples.length} examples)`);
    }
  }
  if (result.exported) {
    lines.push(`Exported ${result.exported.written.length} rule file(s):`, ...result.exported.written.map((file) => `  ${file}`));
    for (const skip of result.exported.skipped) lines.push(`  not exported: ${skip.ruleId} ${skip.pattern}: ${skip.reason}`);
  }
  return `${lines.join('\n')}\n`;
}

export function registerLearn(program: Command): void {
  program
    .command('learn')
    .description('learn fix templates from how this project fixed its findings (git history), or export them as rule files')
    .option('--dir <dir>', 'the project', '.')
    .option('--data-dir <dir>', 'where the embedded database lives (default: <dir>/.roach)')
    .option('--from-history', 'mine commits that fixed findings (only commits not mined before)')
    .option('--since <ref>', 'with --from-history: only commits after this ref')
    .option('--max-commits <n>', 'with --from-history: at most this many new commits per run', '500')
    .option('--export <dir>', 'write every learned template as a rule file with test cases (checked by `roach rules test <dir>`)')
    .option('--json', 'print JSON')
    .action(async (flags: LearnFlags) => {
      if (!flags.fromHistory && !flags.export) throw new RoachError('CR_ERR_USAGE', 'roach learn needs --from-history, --export <dir>, or both.');
      if (flags.since !== undefined && !flags.fromHistory) throw new RoachError('CR_ERR_USAGE', '--since only applies with --from-history.');
      const { runLearn } = await import('../../main/run-learn.js');
      const result = await runLearn({
        dir: flags.dir,
        dataDir: flags.dataDir,
        fromHistory: flags.fromHistory === true,
        since: flags.since,
        maxCommits: parseNumber(flags.maxCommits, '--max-commits', 1, 100_000, true),
        exportDir: flags.export,
      });
      if (!flags.json) return writeStdout(summary(result));
      const learning = result.learning && {
        examples: result.learning.examples,
        templates: result.learning.clusters.map((c) => ({ ruleId: c.ruleId, patternFingerprint: c.patternFingerprint, ...c.template, examples: c.examples.length })),
      };
      await writeStdout(`${JSON.stringify({ minedCommits: result.minedCommits, skippedCommits: result.skippedCommits, learning, exported: result.exported }, null, 2)}\n`);
    });
}
