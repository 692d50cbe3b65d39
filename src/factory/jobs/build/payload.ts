/** A build job's payload (src/factory/plan/builds.ts), checked: it comes back from the queue as JSON. */
import { invalidPayload, type PayloadJob, payloadFields, shown } from '../payload-fields.js';

export interface BuildPayload {
  readonly recipe: string;
  /** Absolute path of the recipe file. */
  readonly file: string;
  readonly version: string;
  readonly epoch: number;
  readonly arch: string;
  readonly recipeHash: string;
}

/** @throws LarderError JOB_INVALID (not retryable) naming the job key and the field. */
export function buildPayload(job: PayloadJob): BuildPayload {
  const { p, text } = payloadFields(job);
  const epoch = p.epoch;
  if (typeof epoch !== 'number' || !Number.isSafeInteger(epoch) || epoch < 0)
    throw invalidPayload(job.key, `payload.epoch must be a whole number ≥ 0, got ${shown(epoch)}`);
  return {
    recipe: text('recipe'),
    file: text('file'),
    version: text('version'),
    epoch,
    arch: text('arch'),
    recipeHash: text('recipeHash'),
  };
}
