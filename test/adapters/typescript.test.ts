import { afterEach, describe, expect, it } from 'vitest';
import { typescriptAdapter } from '../../src/adapters/typescript.js';
import { roachRejection } from '../helpers/errors.js';
import { cleanupTemp } from '../helpers/project.js';
import { adapterInput, writeProject } from './adapter-project.js';

afterEach(cleanupTemp);

const TRUSTED = { trustProjectCode: true } as const;

const TSCONFIG = JSON.stringify({ compilerOptions: { strict: true, noEmit: true, target: 'ES2022', module: 'ES2022', types: [] }, include: ['src'] });

describe('TypeScript adapter', () => {
  it('reports compiler diagnostics of the changed files as ts/TS<code> findings', async () => {
    const root = await writeProject({
      'tsconfig.json': TSCONFIG,
      'src/lib.ts': 'export function twice(n: number): number {\n  return n * 2;\n}\n',
      'src/app.ts': "import { twice } from './lib.js';\n\nconst label: string = twice(2);\nexport const out = twice('3') + label;\n",
      'src/clean.ts': 'export const ok: number = 1;\n',
    });
    const outcome = await typescriptAdapter(TRUSTED).run(adapterInput(root, ['src/app.ts', 'src/clean.ts']));
    expect(outcome.status).toBe('ran');
    expect(outcome.detail).toMatch(/^bundled typescript 5\.9\.3 with tsconfig\.json: 2 file\(s\) checked/);
    expect(outcome.findings.map((f) => [f.ruleId, f.file, f.range.startLine, f.snippet])).toEqual([
      ['ts/TS2322', 'src/app.ts', 2, 'label'],
      ['ts/TS2345', 'src/app.ts', 3, "'3'"],
    ]);
    expect(outcome.findings[0]).toMatchObject({ category: 'bug', severity: 'medium', engines: ['ts'] });
    expect(outcome.findings[0]?.message).toMatch(/Type 'number' is not assignable to type 'string'/);
  });

  it('only reports on the files this crawl analyzed', async () => {
    const root = await writeProject({ 'tsconfig.json': TSCONFIG, 'src/bad.ts': 'export const x: string = 1;\n', 'src/ok.ts': 'export const y = 1;\n' });
    const outcome = await typescriptAdapter(TRUSTED).run(adapterInput(root, ['src/ok.ts']));
    expect(outcome.findings).toEqual([]);
  });

  it('is skipped without a tsconfig.json, and fails on one that does not parse', async () => {
    const plain = await writeProject({ 'src/a.ts': 'export const a = 1;\n' });
    expect(await typescriptAdapter(TRUSTED).run(adapterInput(plain, ['src/a.ts']))).toMatchObject({ status: 'skipped' });
    const broken = await writeProject({ 'tsconfig.json': '{ "compilerOptions": { "target": "ES1999" } }', 'src/a.ts': 'export const a = 1;\n' });
    const error = await roachRejection(typescriptAdapter(TRUSTED).run(adapterInput(broken, ['src/a.ts'])));
    expect(error.code).toBe('CR_ERR_ADAPTER_FAILED');
    expect(error.message).toMatch(/tsconfig\.json does not load: .*target/);
  });
});
