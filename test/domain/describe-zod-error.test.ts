import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeZodError } from '../../src/domain/describe-zod-error.js';

const schema = z.strictObject({
  name: z.string(),
  nested: z.strictObject({ size: z.number() }).optional(),
  list: z.array(z.strictObject({ run: z.string() })).optional(),
});

function describeOf(value: unknown): string {
  const result = schema.safeParse(value);
  if (result.success) throw new Error('expected a validation error');
  return describeZodError(result.error);
}

describe('describeZodError', () => {
  it.each([
    { name: 'a wrong type', value: { name: 1 }, expected: /^name: .*expected string/ },
    { name: 'a nested wrong type', value: { name: 'x', nested: { size: 'big' } }, expected: /^nested\.size: / },
    { name: 'an array index', value: { name: 'x', list: [{ run: 'a' }, {}] }, expected: /^list\.1\.run: / },
    { name: 'an unknown top-level key', value: { name: 'x', colour: 'red' }, expected: /^colour: unknown key$/ },
    { name: 'an unknown nested key', value: { name: 'x', nested: { size: 1, sise: 2 } }, expected: /^nested\.sise: unknown key$/ },
    { name: 'not an object', value: 42, expected: /^\(top level\): / },
  ])('names the field for $name', ({ value, expected }) => {
    expect(describeOf(value)).toMatch(expected);
  });

  it('lists every problem, each unknown key on its own', () => {
    const text = describeOf({ name: 2, a: 1, b: 2 });
    const parts = text.split('; ');
    expect(parts).toHaveLength(3);
    expect(parts).toEqual(expect.arrayContaining(['a: unknown key', 'b: unknown key', expect.stringMatching(/^name: /)]));
  });
});
