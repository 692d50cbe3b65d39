/** The runner's options and handle (runJobs). */
import type { Store } from '../../store/index.js';
import type { JobKind, JobRecord, Queue } from '../model.js';
import type { JobBodies, JobContext } from '../service.js';

/** How one job ended for this runner. */
export interface JobOutcome {
  /** `retrying`: failed, back to pending; `lost`: the lease was lost or the runner closed mid-job. */
  readonly status: 'succeeded' | 'failed' | 'retrying' | 'lost';
  readonly error?: string;
  readonly durationMs: number;
}

export interface RunJobsOptions {
  readonly queue: Queue;
  /** The bodies; a claimed kind without one fails the job for good. */
  readonly bodies: Partial<JobBodies>;
  readonly kinds: readonly JobKind[];
  /** Jobs run at once (default 1). */
  readonly concurrency?: number;
  /** Lease per claim and heartbeat (ms, default 60000); heartbeats every leaseMs/3. */
  readonly leaseMs?: number;
  /** This runner's name in the queue and in records (`embedded`, `worker-<host>-<pid>`). */
  readonly worker: string;
  /** Job logs are stored here (factory_job_logs). */
  readonly store: Store;
  /** The context a body is given; `signal` and `log` are the runner's. Throwing fails the job (retryable unless marked notRetryable). */
  readonly contextFor: (
    job: JobRecord,
    parts: { readonly signal: AbortSignal; readonly log: (line: string) => void },
  ) => Promise<JobContext> | JobContext;
  /** How long an idle runner waits before asking the queue again (ms, default 1000); poke() cuts it short. */
  readonly pollMs?: number;
  /** Called after each job ends (the engine wakes its reconciler). Never awaited; must not throw. */
  readonly onJobEnd?: (job: JobRecord, outcome: JobOutcome) => void;
  /** Told about queue errors (claim, complete, fail); the runner keeps going. */
  readonly onError?: (error: unknown) => void;
  /** ISO now for log lines (default the system clock). */
  readonly now?: () => string;
}

export interface JobRunner {
  /** Asks the queue again now (a job was enqueued). */
  poke(): void;
  /** Jobs running now. */
  running(): number;
  /**
   * Stops claiming. By default waits for running jobs to finish; with `abandon`, aborts their
   * signals and leaves them to their lease (another runner claims them once it expires).
   */
  close(options?: { readonly abandon?: boolean }): Promise<void>;
}
