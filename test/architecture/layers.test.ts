import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/project.js';

const run = promisify(execFile);
const CLI = path.join(REPO_ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const CONFIG = path.join(REPO_ROOT, '.dependency-cruiser.mjs');

interface Violation {
  readonly from: string;
  readonly to: string;
  readonly rule: { readonly name: string };
}

/** Exit code of the layer check as `npm run lint` runs it (err output: non-zero on any violation). */
async function lintExitCode(cwd: string): Promise<number> {
  return run(process.execPath, [CLI, 'src', '--config', CONFIG, '--output-type', 'err'], { cwd }).then(
    () => 0,
    (error: { code?: number }) => error.code ?? -1,
  );
}

/** The project's layer rules over `src/` under `cwd`: every violation as "rule: from -> to". */
async function violations(cwd: string): Promise<string[]> {
  const { stdout } = await run(process.execPath, [CLI, 'src', '--config', CONFIG, '--output-type', 'json'], { cwd, maxBuffer: 64 * 1024 * 1024 });
  const parsed = JSON.parse(stdout) as { summary: { violations: Violation[] } };
  return parsed.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`).sort();
}

/** Wrong-way imports, one per rule, and the right-way imports beside them that must stay allowed. */
const PROBE: Record<string, string> = {
  'src/domain/leak.ts': "import { open } from '../store/db.js';\nexport const leak = open;\n",
  'src/domain/pure.ts': "import { NAME } from './name.js';\nexport const pure = NAME;\n",
  'src/domain/name.ts': "export const NAME = 'x';\n",
  'src/store/db.ts': "import type { CrawlStore } from '../crawl/ports.js';\nimport { NAME } from '../domain/name.js';\nexport const open = (s?: CrawlStore): string => NAME + String(s);\n",
  'src/store/reach.ts': "import { walk } from '../crawl/walk.js';\nexport const reach = walk;\n",
  'src/crawl/ports.ts': 'export interface CrawlStore { readonly id: string }\n',
  'src/crawl/walk.ts': "import { open } from '../store/db.js';\nexport const walk = open;\n",
  'src/fixes/plan.ts': "import { walk } from '../crawl/walk.js';\nimport { learn } from '../learning/learn.js';\nexport const plan = [walk, learn];\n",
  'src/learning/learn.ts': "export const learn = 1;\n",
  'src/validation/check.ts': "import { plan } from '../fixes/plan.js';\nexport const check = plan;\n",
  'src/io/copy.ts': "import { a } from '../engine/a.js';\nimport { NAME } from '../domain/name.js';\nexport const copy = [a, NAME];\n",
  'src/engine/a.ts': "import { b } from './b.js';\nexport const a = (): number => b() + 1;\n",
  'src/engine/b.ts': "import { a } from './a.js';\nexport const b = (): number => a() - 1;\n",
  'src/cli/command.ts': "import { open } from '../store/db.js';\nimport { JOBS } from '../queue/catalogue.js';\nexport const command = [open, JOBS];\n",
  'src/queue/catalogue.ts': "export const JOBS = ['crawl'];\n",
  'src/api/app.ts': "import { VERSION } from '../main/version.js';\nexport const app = VERSION;\n",
  'src/main/version.ts': "export const VERSION = '1';\n",
  'src/integrations/git/clone.ts': "import { guard } from '../notify/guard.js';\nimport { net } from '../net/guard.js';\nexport const clone = [guard, net];\n",
  'src/integrations/notify/guard.ts': "export const guard = 1;\n",
  'src/integrations/net/guard.ts': "export const net = 1;\n",
};

describe('layer rules (dependency-cruiser, run by npm run lint)', () => {
  let probe = '';

  beforeAll(async () => {
    probe = await mkdtemp(path.join(tmpdir(), 'roach-layers-'));
    await writeFile(path.join(probe, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext' }, include: ['src'] }));
    for (const [file, text] of Object.entries(PROBE)) {
      await mkdir(path.dirname(path.join(probe, file)), { recursive: true });
      await writeFile(path.join(probe, file), text);
    }
  });
  afterAll(async () => {
    if (probe) await rm(probe, { recursive: true, force: true });
  });

  it('fails on wrong-way imports, naming the rule each one breaks, and lets the right-way ones pass', async () => {
    expect(await lintExitCode(probe)).not.toBe(0);
    expect(await violations(probe)).toEqual(
      [
        'api-does-not-import-main: src/api/app.ts -> src/main/version.ts',
        'capabilities-know-no-infrastructure: src/crawl/walk.ts -> src/store/db.ts',
        'cli-goes-through-main: src/cli/command.ts -> src/queue/catalogue.ts',
        'cli-goes-through-main: src/cli/command.ts -> src/store/db.ts',
        'capability-order: src/fixes/plan.ts -> src/learning/learn.ts',
        'crawl-is-on-top-of-the-capabilities: src/fixes/plan.ts -> src/crawl/walk.ts',
        'domain-is-pure: src/domain/leak.ts -> src/store/db.ts',
        'io-is-plumbing: src/io/copy.ts -> src/engine/a.ts',
        'validation-does-not-fix: src/validation/check.ts -> src/fixes/plan.ts',
        'infrastructure-uses-ports-only: src/store/reach.ts -> src/crawl/walk.ts',
        'integrations-are-independent: src/integrations/git/clone.ts -> src/integrations/notify/guard.ts',
        'no-circular: src/engine/a.ts -> src/engine/b.ts',
      ].sort(),
    );
  }, 60_000);

  it('finds no violation in the real src/', async () => {
    expect(await violations(REPO_ROOT)).toEqual([]);
    expect(await lintExitCode(REPO_ROOT)).toBe(0);
  }, 120_000);
});
