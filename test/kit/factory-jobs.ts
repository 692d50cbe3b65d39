import { LarderError } from '../../src/core/index.js';
import type { JobSpec } from '../../src/factory/model.js';

/** The queue tests' helpers (queue-suite.ts for the store queue, factory-pg-boss-queue.test.ts). */

/** A job spec for `key` (`<kind>:…`) whose payload names the key, with `extra` fields. */
export const job = (key: string, extra: Partial<JobSpec> = {}): JobSpec => ({
  key,
  kind: key.split(':')[0] as JobSpec['kind'],
  payload: { key },
  ...extra,
});

/** The LarderError `promise` rejects with; throws when it resolves or rejects with anything else. */
export async function failure(promise: Promise<unknown>): Promise<LarderError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof LarderError) return err;
    throw err;
  }
  throw new Error('expected a LarderError');
}
