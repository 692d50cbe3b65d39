/** An update-check job's payload (src/factory/plan/update-checks.ts), checked: it comes back from the queue as JSON. */
import { LarderError } from '../../../core/index.js';
import type { JobRecord } from '../../model.js';
import { notRetryable } from '../../service.js';

export interface UpdateCheckPayload {
  readonly recipe: string;
  /** Absolute path of the recipe file. */
  readonly file: string;
  /** The schedule period's start (ISO). */
  readonly slot: string;
}

/** @throws LarderError JOB_INVALID (not retryable) naming the job key and the field. */
export function updateCheckPayload(job: Pick<JobRecord, 'key' | 'payload'>): UpdateCheckPayload {
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
  return { recipe: text('recipe'), file: text('file'), slot: text('slot') };
}

function invalid(key: string, message: string): LarderError {
  return notRetryable(new LarderError('JOB_INVALID', `job ${key}: ${message}`, { subject: key }));
}
