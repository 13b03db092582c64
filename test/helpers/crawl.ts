import type { CrawlReport } from '../../src/pipeline/crawl-report.js';
import { runCrawl } from '../../src/main/run-crawl.js';
import { resolveCrawlSettings } from '../../src/main/settings.js';
import type { CrawlFlags } from '../../src/main/settings.js';
import { withProject } from '../../src/main/project-session.js';
import type { FixActionDeps } from '../../src/pipeline/fix-actions.js';

/** Runs a crawl in-process through the same composition root as `roach crawl`. */
export async function crawlDir(dir: string, flags: CrawlFlags = {}): Promise<CrawlReport> {
  const settings = await resolveCrawlSettings(dir, { progress: false, threads: '1', ...flags });
  const result = await runCrawl(settings, { color: false });
  return result.report;
}

export function inProject<T>(dir: string, work: (deps: FixActionDeps) => Promise<T>): Promise<T> {
  return withProject(dir, undefined, work);
}
