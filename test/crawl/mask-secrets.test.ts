import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/domain/finding.js';
import { createSecretScanner } from '../../src/engine/secrets/scanner.js';
import { maskSecret } from '../../src/engine/secrets/mask.js';
import { maskSecretsInFindings } from '../../src/crawl/mask-secrets.js';
import { cleanupTemp, tempDir } from '../helpers/project.js';
import { T } from '../engine/secrets/tokens.js';

afterAll(cleanupTemp);

describe('masking findings that other engines report in a file holding a secret', () => {
  it('masks an adapter finding that quotes the secret line and drops its fix; other files are untouched', async () => {
    const dir = await tempDir();
    const code = `const apiToken = "${T.ghp}";\n`;
    await writeFile(path.join(dir, 'a.js'), code);
    const secret = createSecretScanner({ enabled: true, exclude: [], disabled: [] })!.scan(code, 'a.js', 'javascript').findings[0]!;
    // What an ESLint no-unused-vars hit looks like: the whole line quoted, and a fix.
    const adapter: Finding = {
      ...secret,
      ruleId: 'eslint/no-unused-vars',
      message: `'apiToken' is assigned a value but never used: ${T.ghp}`,
      snippet: code.trim(),
      range: { ...secret.range, startOffset: 6, endOffset: 14, startColumn: 6, endColumn: 14 },
      bindings: { VALUE: T.ghp },
      templateFix: { edits: [{ file: 'a.js', start: 0, end: code.length, text: '' }], safety: 'unsafe', template: '' },
    };
    const elsewhere: Finding = { ...adapter, file: 'b.js', snippet: 'debugger;', message: 'm', bindings: {} };
    const out = await maskSecretsInFindings(dir, [secret, adapter, elsewhere]);
    expect(JSON.stringify(out)).not.toContain(T.ghp);
    const masked = out.find((f) => f.ruleId === 'eslint/no-unused-vars' && f.file === 'a.js')!;
    expect(masked.snippet).toBe(`const apiToken = "${maskSecret(T.ghp)}";`);
    expect(masked.templateFix).toBeNull();
    expect(out.find((f) => f.file === 'b.js')).toEqual(elsewhere);
    expect(out).toContainEqual(secret);
  });

  it('quotes nothing of a file it cannot read back', async () => {
    const dir = await tempDir();
    const code = `const apiToken = "${T.ghp}";\n`;
    const secret = createSecretScanner({ enabled: true, exclude: [], disabled: [] })!.scan(code, 'gone.js', 'javascript').findings[0]!;
    const adapter: Finding = { ...secret, ruleId: 'eslint/x', snippet: code, bindings: { A: T.ghp } };
    const out = await maskSecretsInFindings(dir, [secret, adapter]);
    expect(JSON.stringify(out)).not.toContain(T.ghp);
  });
});
