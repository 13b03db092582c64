import type { Command } from 'commander';
import type { CrawlFlags } from '../../main/settings.js';
import { ERROR_CATALOGUE } from '../../domain/errors.js';
import { writeStdout } from '../output.js';

export function registerCrawl(program: Command): void {
  program
    .command('crawl')
    .description('Crawl a directory: detect issues, generate and validate fixes, apply the confident ones (--apply), queue the rest for review.')
    .argument('[dir]', 'directory to crawl', '.')
    .option('--apply', 'write fixes whose confidence reaches the threshold')
    .option('--format <format>', 'report format: terminal, json or sarif', 'terminal')
    .option('--fail-on <severity>', 'exit with code 1 when an issue at or above this severity is found (critical, high, medium, low)')
    .option('--threshold <n>', 'confidence (0..1) a fix needs to be applied; default from .roach.yml or 0.9')
    .option('--no-fix', 'detect and report only: generate no fixes')
    .option('--validate-with-tests', "run the project's own test command on an isolated copy to validate fixes")
    .option('--inherit-env', "give the project's validation and test commands this shell's whole environment (default: PATH, HOME, locale and CI only)")
    .option('--data-dir <dir>', 'where the embedded database lives (default: <dir>/.roach)')
    .option('--config <file>', 'config file (default: <dir>/.roach.yml)')
    .option('--threads <n>', 'analysis worker threads (default: one per core)')
    .option('--no-progress', 'no progress bar, even on a terminal')
    .option('--baseline <ref>', 'issues that existed at the merge-base with <ref> (git) are "existing"; --fail-on counts only new ones')
    .option('--changed-since <ref>', 'crawl only files changed since the merge-base with <ref> (committed, staged, unstaged or untracked)')
    .option('--adapters <names>', 'also run these analyzer adapters this time (comma-separated: eslint, oxlint, typescript)')
    .option('--import-sarif <file>', 'import a SARIF 2.1.0 file (Semgrep, CodeQL, ...); repeatable', (file: string, files: string[] = []) => [...files, file])
    .action(async (dir: string, flags: CrawlFlags) => {
      const [{ default: cliProgress }, { runCrawl }, { resolveCrawlSettings }] = await Promise.all([import('cli-progress'), import('../../main/run-crawl.js'), import('../../main/settings.js')]);
      const settings = await resolveCrawlSettings(dir, flags);
      const bar =
        settings.progress && process.stderr.isTTY
          ? new cliProgress.SingleBar({ stream: process.stderr, format: 'analyzing {bar} {value}/{total} files', hideCursor: true }, cliProgress.Presets.shades_classic)
          : null;
      let started = false;
      try {
        const run = await runCrawl(settings, {
          color: process.stdout.isTTY === true,
          // the fix phase's checks and tests can take minutes: say what runs, on a terminal or in a log
          onStatus: settings.progress
            ? (message) => {
                if (started) bar?.stop();
                started = false;
                process.stderr.write(`${message}\n`);
              }
            : undefined,
          onProgress: bar
            ? (done, total) => {
                if (!started) {
                  bar.start(total, 0);
                  started = true;
                }
                bar.update(done);
              }
            : undefined,
        });
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- set by the progress callback during the crawl
        if (started) bar?.stop();
        // On stderr too, so a JSON or SARIF report on stdout stays parseable and the warning is seen.
        for (const problem of run.report.ruleProblems ?? []) process.stderr.write(`warning: skipped a rule file: ${problem.message}\n`);
        for (const warning of run.report.warnings ?? []) process.stderr.write(`warning: ${warning.path}: ${warning.message}\n`);
        await writeStdout(run.output);
        if (run.gateFailed) process.exitCode = ERROR_CATALOGUE.CR_ERR_FINDINGS_AT_THRESHOLD.exit;
      } finally {
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- set by the progress callback during the crawl
        if (started) bar?.stop();
      }
    });
}
