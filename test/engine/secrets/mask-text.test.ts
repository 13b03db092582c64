import { describe, expect, it } from 'vitest';
import { maskSecret } from '../../../src/engine/secrets/mask.js';
import { maskSecretsInText } from '../../../src/engine/secrets/mask-text.js';
import { T } from './tokens.js';

describe('maskSecretsInText (command output, tool messages)', () => {
  it('masks every secret the plain-text scanner recognises and keeps the rest of the text', () => {
    const output = `> npm test\nusing token ${T.ghp}\nSTRIPE_KEY=${T.stripe}\nconnecting to postgres://app:${T.dbPassword}@db.internal:5432/app\n1 failing\n`;
    const masked = maskSecretsInText(output);
    for (const secret of [T.ghp, T.stripe, T.dbPassword]) {
      expect(masked).not.toContain(secret);
      expect(masked).toContain(maskSecret(secret));
    }
    expect(masked).toContain('> npm test\n');
    expect(masked).toContain('1 failing\n');
  });

  it('leaves text without secrets as it is', () => {
    const text = 'exit code 1\nError: expected 2 to be 3\n    at test.js:4:9\n';
    expect(maskSecretsInText(text)).toBe(text);
    expect(maskSecretsInText('')).toBe('');
  });
});
