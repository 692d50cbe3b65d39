import { isLarderError } from '../../../src/core/index.js';

/** `CODE: message` of the LarderError `fn` throws; fails the test when it throws nothing or something else. */
export function failure(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (isLarderError(err)) return `${err.code}: ${err.message}`;
    throw err;
  }
  throw new Error('expected a LarderError');
}
