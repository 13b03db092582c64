import { RoachError } from '../domain/errors.js';

/** A number given on the command line, within bounds, or a usage error naming the flag. */
export function parseNumber(value: string, flag: string, min: number, max: number, integer: boolean): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw new RoachError('CR_ERR_USAGE', `${flag} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}, got "${value}".`);
  }
  return n;
}
