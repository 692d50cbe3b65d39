/** The queue's jobs as the plan reads them, plus what the schedules need from them. */
import type { JobRecord, Queue } from '../../model.js';
import type { RecordedJob } from '../../plan/index.js';

export interface RecordedJobs {
  readonly jobs: readonly RecordedJob[];
  /** Per recipe: the latest finish of a succeeded update-check. */
  readonly lastUpdateCheckAt: Readonly<Record<string, string>>;
  /** Per `<image> <digest>`: the latest finish of a succeeded rescan of that published version. */
  readonly rescannedAt: ReadonlyMap<string, string>;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** The feed version a compose ran under: its result's, else the one it was enqueued with. */
function feedVersionOf(job: JobRecord): string | undefined {
  return text(job.result?.feedVersion) ?? text(job.payload.feedVersion);
}

/** Every job of the queue (one record per key), with the update-check and rescan times. */
export async function readRecordedJobs(queue: Queue): Promise<RecordedJobs> {
  const records = await queue.list();
  const jobs: RecordedJob[] = [];
  const lastUpdateCheckAt: Record<string, string> = {};
  const rescannedAt = new Map<string, string>();
  for (const job of records) {
    const feedVersion = job.kind === 'compose' ? feedVersionOf(job) : undefined;
    jobs.push({
      key: job.key,
      status: job.status,
      attempts: job.attempts,
      ...(job.finishedAt === undefined ? {} : { finishedAt: job.finishedAt }),
      ...(feedVersion === undefined ? {} : { feedVersion }),
      ...(job.after === undefined || job.after.length === 0 ? {} : { after: job.after }),
    });
    if (job.status !== 'succeeded' || job.finishedAt === undefined) continue;
    if (job.kind === 'update-check') {
      const recipe = text(job.payload.recipe);
      if (
        recipe !== undefined &&
        !(lastUpdateCheckAt[recipe] !== undefined && lastUpdateCheckAt[recipe] >= job.finishedAt)
      )
        lastUpdateCheckAt[recipe] = job.finishedAt;
    } else if (job.kind === 'rescan') {
      const image = text(job.payload.image);
      const digest = text(job.payload.digest);
      if (image === undefined || digest === undefined) continue;
      const id = `${image} ${digest}`;
      const seen = rescannedAt.get(id);
      if (seen === undefined || seen < job.finishedAt) rescannedAt.set(id, job.finishedAt);
    }
  }
  return { jobs, lastUpdateCheckAt, rescannedAt };
}
