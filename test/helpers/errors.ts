import { expect } from 'vitest';
import { RoachError } from '../../src/domain/errors.js';

/** Awaits a promise that must reject with a RoachError, and returns that error. */
export async function roachRejection(promise: Promise<unknown>): Promise<RoachError> {
  const error: unknown = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RoachError);
  return error as RoachError;
}
