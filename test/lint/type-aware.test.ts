import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/project.js';

const eslint = new ESLint({ cwd: REPO_ROOT });
const TYPE_AWARE = ['no-floating-promises', 'no-misused-promises', 'switch-exhaustiveness-check', 'no-unnecessary-condition'].map((rule) => `@typescript-eslint/${rule}`);

/** What the project's lint config says about `code` at `filePath`, as "rule line" of the type-aware rules. */
async function lint(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  const fatal = (result?.messages ?? []).filter((m) => m.fatal);
  if (fatal.length > 0) throw new Error(fatal.map((m) => m.message).join('; '));
  return (result?.messages ?? []).filter((m) => m.ruleId !== null && TYPE_AWARE.includes(m.ruleId)).map((m) => `${m.ruleId?.replace('@typescript-eslint/', '')} ${m.line}`);
}

describe('lint: type-aware rules in src/ (issue 12 point 3)', () => {
  it('turns each rule on as an error for src/', async () => {
    const config = (await eslint.calculateConfigForFile('src/crawl/crawl.ts')) as { rules: Record<string, unknown> };
    for (const rule of TYPE_AWARE) expect([rule, [config.rules[rule]].flat()[0]]).toEqual([rule, 2]);
  });

  it("applies typescript-eslint's type-checked configuration to src/, not to tests", async () => {
    const preset = ['no-unsafe-assignment', 'no-unsafe-call', 'no-unsafe-member-access', 'unbound-method', 'no-unnecessary-type-assertion', 'await-thenable'].map((rule) => `@typescript-eslint/${rule}`);
    const src = (await eslint.calculateConfigForFile('src/crawl/crawl.ts')) as { rules: Record<string, unknown> };
    for (const rule of preset) expect([rule, [src.rules[rule]].flat()[0]]).toEqual([rule, 2]);
    const tests = (await eslint.calculateConfigForFile('test/crawl/walk.test.ts')) as { rules: Record<string, unknown> };
    expect(tests.rules['@typescript-eslint/no-unsafe-assignment']).toBeUndefined();
  });

  it.each([
    ['export async function f(p: Promise<void>): Promise<void> {\n  p;\n  Promise.resolve(1);\n}\n', ['no-floating-promises 3']],
    ['export function f(list: number[]): void {\n  list.forEach(async (n) => {\n    await Promise.resolve(n);\n  });\n}\n', ['no-misused-promises 2']],
    ["type Kind = 'a' | 'b';\nexport function f(k: Kind): number {\n  switch (k) {\n    case 'a':\n      return 1;\n  }\n  return 0;\n}\n", ['switch-exhaustiveness-check 3']],
    ['export function f(s: string): number {\n  return s ?? 0 ? 1 : 2;\n}\n', ['no-unnecessary-condition 2']],
  ])('refuses %s', async (code, expected) => {
    expect(await lint(code, 'src/crawl/ports.ts')).toEqual(expect.arrayContaining(expected));
  }, 60_000);

  it('leaves none of them in src/', async () => {
    const results = await eslint.lintFiles(['src/**/*.ts']);
    const found = results.flatMap((r) => r.messages.filter((m) => m.ruleId !== null && TYPE_AWARE.includes(m.ruleId)).map((m) => `${r.filePath}:${m.line} ${m.ruleId}`));
    expect(found).toEqual([]);
  }, 180_000);
});
