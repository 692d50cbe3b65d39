/**
 * The job runner: claims jobs of some kinds from a Queue, runs their bodies with a lease kept
 * alive by heartbeats, and completes or fails them. Embedded mode (`createFactory`) and
 * `larder worker` both run it.
 */
import { isLarderError } from '../../core/index.js';
import type { JobRecord } from '../model.js';
import { isRetryable, notRetryable } from '../service.js';
import { createJobLogWriter } from './job-log-writer.js';
import type { JobOutcome, JobRunner, RunJobsOptions } from './runner-types.js';

export type { JobOutcome, JobRunner, RunJobsOptions } from './runner-types.js';

function messageOf(error: unknown): string {
  if (error instanceof Error) return isLarderError(error) ? `${error.code}: ${error.message}` : error.message;
  return String(error);
}

/** Starts claiming and running jobs; returns the handle that pokes and stops it. */
export function runJobs(options: RunJobsOptions): JobRunner {
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 1));
  const leaseMs = options.leaseMs ?? 60_000;
  const pollMs = options.pollMs ?? 1000;
  const now = options.now ?? (() => new Date().toISOString());
  const onError = options.onError ?? (() => {});
  const inFlight = new Map<number, { controller: AbortController; done: Promise<void> }>();
  let closing = false;
  let abandoning = false;
  let filling = false;
  let refill = false;
  let idleTimer: NodeJS.Timeout | undefined;

  const schedule = (ms: number): void => {
    if (closing) return;
    if (idleTimer !== undefined) clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      idleTimer = undefined;
      void fill();
    }, ms);
    idleTimer.unref?.();
  };

  /** Claims until the concurrency is used or the queue has nothing claimable. */
  const fill = async (): Promise<void> => {
    if (filling) {
      refill = true;
      return;
    }
    filling = true;
    try {
      do {
        refill = false;
        while (!closing && inFlight.size < concurrency) {
          let job: JobRecord | undefined;
          try {
            job = await options.queue.claim(options.worker, options.kinds, leaseMs);
          } catch (error) {
            onError(error);
            break;
          }
          if (job === undefined) break;
          start(job);
        }
      } while (refill && !closing);
    } finally {
      filling = false;
    }
    schedule(pollMs);
  };

  const start = (job: JobRecord): void => {
    const controller = new AbortController();
    const entry = { controller, done: Promise.resolve() };
    entry.done = runOne(job, controller).finally(() => {
      inFlight.delete(job.id);
      if (!closing) void fill();
    });
    inFlight.set(job.id, entry);
    if (abandoning) controller.abort(new Error('the runner is closing'));
  };

  const runOne = async (job: JobRecord, controller: AbortController): Promise<void> => {
    const started = Date.now();
    const writer = createJobLogWriter(options.store, job.key, { now, onError });
    writer.log(
      `runner: ${job.key} claimed by ${options.worker} (attempt ${job.attempts} of ${job.maxAttempts})`,
    );
    let leaseLost = false;
    const heartbeat = setInterval(
      () => {
        options.queue.heartbeat(job.id, options.worker, leaseMs).then(
          (held) => {
            if (held || controller.signal.aborted) return;
            leaseLost = true;
            writer.log('runner: lease lost; aborting');
            controller.abort(new Error(`${job.key}: the lease was lost`));
          },
          (error) => onError(error),
        );
      },
      Math.max(1, Math.floor(leaseMs / 3)),
    );
    heartbeat.unref?.();
    let outcome: JobOutcome;
    try {
      const body = options.bodies[job.kind];
      if (body === undefined) throw notRetryable(new Error(`no job body for kind ${job.kind}`));
      const context = await options.contextFor(job, { signal: controller.signal, log: writer.log });
      const result = await body(job, context);
      clearInterval(heartbeat);
      if (leaseLost || abandoning) throw new Error('the lease was lost before the job completed');
      await options.queue.complete(job.id, options.worker, result);
      writer.log('runner: succeeded');
      outcome = { status: 'succeeded', durationMs: Date.now() - started };
    } catch (error) {
      clearInterval(heartbeat);
      outcome = await failed(job, error, leaseLost || abandoning || controller.signal.aborted, writer.log);
      outcome = { ...outcome, durationMs: Date.now() - started };
    } finally {
      clearInterval(heartbeat);
      await writer.close();
    }
    try {
      options.onJobEnd?.(job, outcome);
    } catch (error) {
      onError(error);
    }
  };

  const failed = async (
    job: JobRecord,
    error: unknown,
    lost: boolean,
    log: (line: string) => void,
  ): Promise<JobOutcome> => {
    const message = messageOf(error);
    if (lost) {
      log(
        `runner: stopped without an outcome (${message}); the job returns to the queue when its lease expires`,
      );
      return { status: 'lost', error: message, durationMs: 0 };
    }
    const retryable = isRetryable(error);
    log(`runner: failed${retryable ? '' : ' (not retryable)'}: ${message}`);
    try {
      await options.queue.fail(job.id, options.worker, message, { retryable });
    } catch (failError) {
      if (isLarderError(failError) && failError.code === 'JOB_LEASE_LOST')
        return { status: 'lost', error: message, durationMs: 0 };
      onError(failError);
      return { status: 'lost', error: message, durationMs: 0 };
    }
    const last = !retryable || job.attempts >= job.maxAttempts;
    return { status: last ? 'failed' : 'retrying', error: message, durationMs: 0 };
  };

  void fill();

  return {
    poke() {
      if (!closing) void fill();
    },
    running: () => inFlight.size,
    async close(closeOptions = {}) {
      closing = true;
      if (idleTimer !== undefined) clearTimeout(idleTimer);
      if (closeOptions.abandon === true) {
        abandoning = true;
        for (const { controller } of inFlight.values()) controller.abort(new Error('the runner is closing'));
      }
      while (filling) await new Promise((r) => setTimeout(r, 5));
      while (inFlight.size > 0) await Promise.all([...inFlight.values()].map((e) => e.done));
    },
  };
}
