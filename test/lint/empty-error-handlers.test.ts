import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/project.js';

const eslint = new ESLint({ cwd: REPO_ROOT });
const RULES = new Set(['no-restricted-syntax', 'no-empty']);

/** What the project's own lint config says about `code` as the text of `filePath` (an existing src/ file: the type-aware rules need one the TypeScript project knows): "rule line" of the rules that guard error handlers. */
async function lint(code: string, filePath = 'src/crawl/ports.ts'): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId !== null && RULES.has(m.ruleId)).map((m) => `${m.ruleId} ${m.line}`);
}

describe('lint: no empty error handlers in src/', () => {
  it.each([
    ["emitter.on('error', () => undefined);", 'no-restricted-syntax 1'],
    ["emitter.once('error', () => {});", 'no-restricted-syntax 1'],
    ["emitter.on('error', function () {});", 'no-restricted-syntax 1'],
    ['promise.catch(() => undefined);', 'no-restricted-syntax 1'],
    ['promise.catch(() => void 0);', 'no-restricted-syntax 1'],
    ['promise.catch(() => {});', 'no-restricted-syntax 1'],
    ['try {\n  run();\n} catch {}', 'no-empty 3'],
  ])('refuses %s', async (code, expected) => {
    expect(await lint(`${code}\n`)).toEqual([expected]);
  });

  it.each([
    "promise.catch(ignoreError('why it is harmless'));",
    "emitter.on('error', (error) => log.warn(error));",
    'try {\n  run();\n} catch {\n  // Why this may be ignored.\n}',
    "emitter.on('data', () => undefined);",
    'promise.then(() => undefined);',
  ])('accepts %s', async (code) => {
    expect(await lint(`${code}\n`)).toEqual([]);
  });

  it('applies to src/ only', async () => {
    expect(await lint('promise.catch(() => undefined);\n', 'test/crawl/example.test.ts')).toEqual([]);
  });

  it('leaves no empty error handler in src/', async () => {
    const results = await eslint.lintFiles(['src']);
    const offending = results.flatMap((r) => r.messages.filter((m) => m.ruleId !== null && RULES.has(m.ruleId)).map((m) => `${r.filePath}:${m.line}`));
    expect(offending).toEqual([]);
  }, 120_000);
});
