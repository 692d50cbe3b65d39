/** The compose and rescan payloads (src/factory/plan/images.ts), checked: they come back from the queue as JSON. */
import { invalidPayload, type PayloadJob, payloadFields, shown } from '../payload-fields.js';

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

/** @throws LarderError JOB_INVALID (not retryable) naming the job key and the field. */
export function composePayload(job: PayloadJob): ComposePayload {
  const { p, text } = payloadFields(job);
  const publish = p.publish;
  if (!Array.isArray(publish) || publish.some((r) => typeof r !== 'string' || r === ''))
    throw invalidPayload(
      job.key,
      `payload.publish must be a list of image references, got ${shown(publish)}`,
    );
  return {
    image: text('image'),
    configFile: text('configFile'),
    publish: publish as string[],
    lockHash: text('lockHash'),
    configHash: text('configHash'),
  };
}

/** @throws LarderError JOB_INVALID (not retryable) naming the job key and the field. */
export function rescanPayload(job: PayloadJob): RescanPayload {
  const { text } = payloadFields(job);
  return { image: text('image'), digest: text('digest'), feedVersion: text('feedVersion') };
}
