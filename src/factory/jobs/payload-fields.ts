/** Reading a job's payload, which comes back from the queue as JSON: shared by the job payload checkers. */
import { LarderError } from '../../core/index.js';
import type { JobRecord } from '../model.js';
import { notRetryable } from '../service.js';

export type PayloadJob = Pick<JobRecord, 'key' | 'payload'>;

export interface PayloadFields {
  /** The payload object. */
  readonly p: Record<string, unknown>;
  /** The named field, a non-empty string. */
  readonly text: (field: string) => string;
}

/** @throws LarderError JOB_INVALID (not retryable) when the payload is not an object, or a text field is missing or empty. */
export function payloadFields(job: PayloadJob): PayloadFields {
  const p = job.payload as Record<string, unknown> | null;
  if (typeof p !== 'object' || p === null || Array.isArray(p))
    throw invalidPayload(job.key, 'the payload is not an object');
  const text = (field: string): string => {
    const value = p[field];
    if (typeof value !== 'string' || value === '')
      throw invalidPayload(job.key, `payload.${field} must be a non-empty string, got ${shown(value)}`);
    return value;
  };
  return { p, text };
}

/** A payload value as error messages show it. */
export const shown = (value: unknown): string => JSON.stringify(value) ?? 'nothing';

/** JOB_INVALID, not retryable, naming the job key. */
export function invalidPayload(key: string, message: string): LarderError {
  return notRetryable(new LarderError('JOB_INVALID', `job ${key}: ${message}`, { subject: key }));
}
