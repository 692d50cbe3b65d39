/** A build job's payload (src/factory/plan/builds.ts), checked: it comes back from the queue as JSON. */
import { LarderError } from '../../../core/index.js';
import type { JobRecord } from '../../model.js';
import { notRetryable } from '../../service.js';

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
export function buildPayload(job: Pick<JobRecord, 'key' | 'payload'>): BuildPayload {
  const p = job.payload as Record<string, unknown> | null;
  if (typeof p !== 'object' || p === null || Array.isArray(p))
    throw invalid(job.key, 'the payload is not an object');
  const text = (field: string): string => {
    const value = p[field];
    if (typeof value !== 'string' || value === '')
      throw invalid(
        job.key,
        `payload.${field} must be a non-empty string, got ${JSON.stringify(value) ?? 'nothing'}`,
      );
    return value;
  };
  const epoch = p.epoch;
  if (typeof epoch !== 'number' || !Number.isSafeInteger(epoch) || epoch < 0)
    throw invalid(
      job.key,
      `payload.epoch must be a whole number ≥ 0, got ${JSON.stringify(epoch) ?? 'nothing'}`,
    );
  return {
    recipe: text('recipe'),
    file: text('file'),
    version: text('version'),
    epoch,
    arch: text('arch'),
    recipeHash: text('recipeHash'),
  };
}

function invalid(key: string, message: string): LarderError {
  return notRetryable(new LarderError('JOB_INVALID', `job ${key}: ${message}`, { subject: key }));
}
