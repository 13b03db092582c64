import { access, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CrawlPhase } from '../crawl/crawl.js';

/**
 * TEST ONLY (ROACH_TEST_CHECKPOINT_DIR). Fault tests stop a worker's crawl job at a known phase
 * instead of guessing with timers: for every phase a job enters, the worker writes
 * `<dir>/<job id>.<attempt>.<phase>.reached`; when `<dir>/pause-<phase>` exists it then waits,
 * until the test deletes that file, holding one database connection in an open transaction as
 * a crawl writing its results does. While it waits the test cuts the connections, kills or
 * signals the process; a cut connection then fails the attempt when it resumes, every time.
 */
export interface TestCheckpoints {
  reach(phase: CrawlPhase, jobId: string, attempt: number): Promise<void>;
}

export interface TestCheckpointOptions {
  readonly dir: string;
  /** Runs `wait` with a database connection held (in the worker: inside a transaction). */
  readonly hold: (wait: () => Promise<void>) => Promise<void>;
  /** A pause nobody releases fails the job after this long instead of hanging it. */
  readonly maxWaitMs?: number;
}

const POLL_MS = 25;

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

/** The marker a worker writes when job `jobId`'s attempt enters `phase` (tests wait for it). */
export function reachedMarker(dir: string, jobId: string, attempt: number, phase: CrawlPhase): string {
  return path.join(dir, `${jobId.replace(/[^\w-]/g, '_')}.${attempt}.${phase}.reached`);
}

/** The file whose presence pauses every job that enters `phase`. */
export function pauseFile(dir: string, phase: CrawlPhase): string {
  return path.join(dir, `pause-${phase}`);
}

export function createTestCheckpoints(options: TestCheckpointOptions): TestCheckpoints {
  const maxWaitMs = options.maxWaitMs ?? 120_000;
  return {
    async reach(phase, jobId, attempt) {
      const marker = reachedMarker(options.dir, jobId, attempt, phase);
      const announce = async (): Promise<void> => {
        // Written whole, then renamed: a test never reads half a marker.
        await writeFile(`${marker}.tmp`, JSON.stringify({ pid: process.pid, jobId, attempt, phase }));
        await rename(`${marker}.tmp`, marker);
      };
      const pause = pauseFile(options.dir, phase);
      if (!(await exists(pause))) {
        await announce();
        return;
      }
      await options.hold(async () => {
        await announce();
        const deadline = Date.now() + maxWaitMs;
        while (await exists(pause)) {
          if (Date.now() > deadline) throw new Error(`test checkpoint ${phase}: ${pause} was not removed within ${maxWaitMs} ms`);
          await sleep(POLL_MS);
        }
      });
    },
  };
}
