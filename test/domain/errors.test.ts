import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE, RoachError, isRoachError } from '../../src/domain/errors.js';
import type { ErrorCode } from '../../src/domain/errors.js';

const CODES = Object.keys(ERROR_CATALOGUE) as ErrorCode[];

describe('ERROR_CATALOGUE', () => {
  it('is not empty', () => {
    expect(CODES.length).toBeGreaterThan(0);
  });

  it.each(CODES)('%s has a well-formed code, a doc, an exit code 1..125 and an HTTP status', (code) => {
    const entry = ERROR_CATALOGUE[code];
    expect(code).toMatch(/^CR_ERR_[A-Z_]+$/);
    expect(entry.doc.trim().length).toBeGreaterThan(0);
    expect(Number.isInteger(entry.exit)).toBe(true);
    expect(entry.exit).toBeGreaterThanOrEqual(1);
    expect(entry.exit).toBeLessThanOrEqual(125);
    expect(Number.isInteger(entry.status)).toBe(true);
    expect(entry.status).toBeGreaterThanOrEqual(100);
    expect(entry.status).toBeLessThanOrEqual(599);
  });

  it('keeps exit code 1 for the CI gate only, so a crash is not mistaken for findings', () => {
    expect(CODES.filter((code) => ERROR_CATALOGUE[code].exit === 1)).toEqual(['CR_ERR_FINDINGS_AT_THRESHOLD']);
  });
});

describe('RoachError', () => {
  it('carries code, message, frozen details, exit code, HTTP status and cause', () => {
    const cause = new Error('disk full');
    const details = { file: 'a.js' };
    const error = new RoachError('CR_ERR_APPLY_FAILED', 'Writing failed', details, { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('RoachError');
    expect(error.code).toBe('CR_ERR_APPLY_FAILED');
    expect(error.message).toBe('Writing failed');
    expect(error.exitCode).toBe(ERROR_CATALOGUE.CR_ERR_APPLY_FAILED.exit);
    expect(error.httpStatus).toBe(ERROR_CATALOGUE.CR_ERR_APPLY_FAILED.status);
    expect(error.cause).toBe(cause);
    expect(error.details).toEqual({ file: 'a.js' });
    expect(Object.isFrozen(error.details)).toBe(true);
    // The details are a copy: changing the caller's object later does not change the error.
    details.file = 'b.js';
    expect(error.details).toEqual({ file: 'a.js' });
  });

  it('defaults to empty details', () => {
    expect(new RoachError('CR_ERR_USAGE', 'x').details).toEqual({});
  });

  it.each([
    { value: new RoachError('CR_ERR_USAGE', 'x'), expected: true },
    { value: new Error('x'), expected: false },
    { value: { code: 'CR_ERR_USAGE', message: 'x' }, expected: false },
    { value: null, expected: false },
  ])('isRoachError($value) is $expected', ({ value, expected }) => {
    expect(isRoachError(value)).toBe(expected);
  });
});
