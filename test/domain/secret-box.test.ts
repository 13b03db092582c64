import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSecretBox, maskUrl, parseSecretKey } from '../../src/domain/secret-box.js';

describe('secret box (AES-256-GCM envelopes)', () => {
  const key = randomBytes(32);
  const box = createSecretBox(key);

  it('seals into a versioned envelope naming its key, different every time, and opens it again', () => {
    const sealed = box.seal('https://hooks.slack.com/services/T0/B0/secret-token');
    expect(sealed).toMatch(/^v1\.[0-9a-f]{16}\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain('secret-token');
    expect(box.seal('same')).not.toBe(box.seal('same'));
    expect(box.open(sealed)).toBe('https://hooks.slack.com/services/T0/B0/secret-token');
  });

  it('refuses a tampered envelope, an unknown key and a foreign format with CR_ERR_SECRET_UNREADABLE', () => {
    const sealed = box.seal('hello');
    const parts = sealed.split('.');
    const flipped = Buffer.from(parts[4] as string, 'base64url');
    flipped[0] = (flipped[0] as number) ^ 1;
    const tampered = [...parts.slice(0, 4), flipped.toString('base64url')].join('.');
    expect(() => box.open(tampered)).toThrow(expect.objectContaining({ code: 'CR_ERR_SECRET_UNREADABLE' }));
    expect(() => createSecretBox(randomBytes(32)).open(sealed)).toThrow(/ROACH_SECRET_KEYS_PREVIOUS/);
    expect(() => box.open('plain text')).toThrow(expect.objectContaining({ code: 'CR_ERR_SECRET_UNREADABLE' }));
    // The key id is authenticated: moving an envelope under another key's id fails.
    const other = randomBytes(32);
    const both = createSecretBox(key, [other]);
    const relabelled = [parts[0], createSecretBox(other).keyId, ...parts.slice(2)].join('.');
    expect(() => both.open(relabelled)).toThrow(/failed authentication/);
  });

  it('rotates: a box with the old key as previous opens old envelopes and reports them for re-sealing', () => {
    const old = box.seal('rotate me');
    const rotated = createSecretBox(randomBytes(32), [key]);
    expect(rotated.open(old)).toBe('rotate me');
    expect(rotated.needsRotation(old)).toBe(true);
    expect(rotated.needsRotation(rotated.seal('new'))).toBe(false);
  });

  it('parses only 32-byte base64 keys, naming the setting', () => {
    expect(parseSecretKey(key.toString('base64'), 'ROACH_SECRET_KEY').equals(key)).toBe(true);
    expect(() => parseSecretKey(randomBytes(16).toString('base64'), 'ROACH_SECRET_KEY')).toThrow(/ROACH_SECRET_KEY must be 32 bytes/);
    expect(() => parseSecretKey('not base64 at all!', 'X')).toThrow(/X must be 32 bytes/);
  });

  it('masks URLs to scheme and host', () => {
    expect(maskUrl('https://hooks.slack.com/services/T0/B0/tok?x=1')).toBe('https://hooks.slack.com/***');
    expect(maskUrl('nonsense')).toBe('***');
  });
});
