/** createFactory's options and what it returns. */
import type { Store } from '../../store/index.js';
import type { Queue, Workspace } from '../model.js';
import type { FactoryService, JobBodies, PackagePublisher } from '../service.js';
import type { LockHashOf } from './gather/image-resolver.js';
import type { Reconciler, RefreshFeed } from './reconciler.js';
import type { JobRunner } from './runner-types.js';

export interface CreateFactoryOptions {
  /** The workspace root (larder.yaml). */
  readonly workspaceDir: string;
  /** The state store (the caller opens and closes it). */
  readonly store: Store;
  /** Default: the store queue (factory_jobs). */
  readonly queue?: Queue;
  /** Default: DEFAULT_JOB_BODIES; kinds left out fail (not retryable) when claimed. */
  readonly bodies?: Partial<JobBodies>;
  /** Default: the local publisher into the workspace repository. */
  readonly publisher?: PackagePublisher;
  /** Jobs run at once in-process (default 2). */
  readonly concurrency?: number;
  /** larder's state directory: caches, the reconciler's snapshot (`factory/reconciler.json`). */
  readonly stateDir: string;
  /** Run jobs in this process (default true; false: workers elsewhere run them). */
  readonly runJobs?: boolean;
  /** Milliseconds since the epoch (default Date.now). */
  readonly clock?: () => number;
  /** Workspace fingerprint poll and events poll period (ms, default 5000; 0: no poll). */
  readonly pollMs?: number;
  /** Watch the workspace with fs.watch as well as polling (default true). */
  readonly watch?: boolean;
  /** Vulnerability data refresh period (ms, default 1 hour; 0: only on start and advisory changes). */
  readonly feedRefreshMs?: number;
  /** Lease of a running job (ms, default 60000). */
  readonly leaseMs?: number;
  /** How idle the runner polls the queue (ms, default 1000). */
  readonly runnerPollMs?: number;
  /** Default: refreshVulnData (src/factory/feed). */
  readonly refreshFeed?: RefreshFeed;
  /** Default: secdbOf (src/factory/feed). */
  readonly securityJson?: (workspace: Workspace, store: Store) => Promise<Uint8Array>;
  /** Default: the compose job's own resolution (makeLock with the workspace repositories). */
  readonly lockHashOf?: LockHashOf;
  /** Told about errors the factory survives (a failed reconcile, a queue hiccup, a listener that threw). */
  readonly onError?: (error: unknown) => void;
}

/** The factory service plus its parts (`larder serve` and tests look inside). */
export interface Factory extends FactoryService {
  readonly reconciler: Reconciler;
  /** Undefined with `runJobs: false`. */
  readonly runner: JobRunner | undefined;
}
