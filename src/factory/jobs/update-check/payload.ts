/** An update-check job's payload (src/factory/plan/update-checks.ts), checked: it comes back from the queue as JSON. */
import { type PayloadJob, payloadFields } from '../payload-fields.js';

export interface UpdateCheckPayload {
  readonly recipe: string;
  /** Absolute path of the recipe file. */
  readonly file: string;
  /** The schedule period's start (ISO). */
  readonly slot: string;
}

/** @throws LarderError JOB_INVALID (not retryable) naming the job key and the field. */
export function updateCheckPayload(job: PayloadJob): UpdateCheckPayload {
  const { text } = payloadFields(job);
  return { recipe: text('recipe'), file: text('file'), slot: text('slot') };
}
