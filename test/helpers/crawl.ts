import type { CrawlReport } from '../../src/crawl/crawl-report.js';
import { runCrawl } from '../../src/main/run-crawl.js';
import { resolveCrawlSettings } from '../../src/main/settings.js';
import type { CrawlFlags } from '../../src/main/settings.js';
import { withProject } from '../../src/main/project-session.js';
import type { FixActionDeps } from '../../src/fixes/fix-actions.js';
import type { PipelineStore } from '../../src/crawl/ports.js';

/** Runs a crawl in-process through the same composition root as `roach crawl`. */
export async function crawlDir(dir: string, flags: CrawlFlags = {}): Promise<CrawlReport> {
  const settings = await resolveCrawlSettings(dir, { progress: false, threads: '1', ...flags });
  const result = await runCrawl(settings, { color: false });
  return result.report;
}

export function inProject<T>(dir: string, work: (deps: FixActionDeps<PipelineStore>) => Promise<T>): Promise<T> {
  return withProject(dir, undefined, work);
}
