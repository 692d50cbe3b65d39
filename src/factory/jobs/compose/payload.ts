/** The compose and rescan payloads (src/factory/plan/images.ts), checked: they come back from the queue as JSON. */
import { LarderError } from '../../../core/index.js';
import type { JobRecord } from '../../model.js';
import { notRetryable } from '../../service.js';

export interface ComposePayload {
  readonly image: string;
  /** Absolute path of the image config. */
  readonly configFile: string;
  /** References to push to (the first is canonical); may be empty (composed and scanned, not pushed). */
  readonly publish: readonly string[];
  readonly lockHash: string;
  readonly configHash: string;
}

export interface RescanPayload {
  readonly image: string;
  /** The published version's index digest. */
  readonly digest: string;
  readonly feedVersion: string;
}

type Job = Pick<JobRecord, 'key' | 'payload'>;

function fields(job: Job) {
  const p = job.payload as Record<string, unknown> | null;
  if (typeof p !== 'object' || p === null || Array.isArray(p))
    throw invalid(job.key, 'the payload is not an object');
  const text = (field: string): string => {
    const value = p[field];
    if (typeof value !== 'string' || value === '')
      throw invalid(job.key, `payload.${field} must be a non-empty string, got ${shown(value)}`);
    return value;
  };
  return { p, text };
}

/** @throws LarderError JOB_INVALID (not retryable) naming the job key and the field. */
export function composePayload(job: Job): ComposePayload {
  const { p, text } = fields(job);
  const publish = p.publish;
  if (!Array.isArray(publish) || publish.some((r) => typeof r !== 'string' || r === ''))
    throw invalid(job.key, `payload.publish must be a list of image references, got ${shown(publish)}`);
  return {
    image: text('image'),
    configFile: text('configFile'),
    publish: publish as string[],
    lockHash: text('lockHash'),
    configHash: text('configHash'),
  };
}

/** @throws LarderError JOB_INVALID (not retryable) naming the job key and the field. */
export function rescanPayload(job: Job): RescanPayload {
  const { text } = fields(job);
  return { image: text('image'), digest: text('digest'), feedVersion: text('feedVersion') };
}

const shown = (value: unknown) => JSON.stringify(value) ?? 'nothing';

function invalid(key: string, message: string): LarderError {
  return notRetryable(new LarderError('JOB_INVALID', `job ${key}: ${message}`, { subject: key }));
}
