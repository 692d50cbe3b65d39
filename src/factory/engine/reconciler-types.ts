/** The reconciler's options, outcome and handle (createReconciler). */
import type { Store } from '../../store/index.js';
import type { FactoryEvent, Queue, Workspace } from '../model.js';
import type { PlanResult } from '../plan/index.js';
import type { FactoryStatus } from '../service.js';
import type { ImageResolver } from './gather/image-resolver.js';
import type { SnapshotStore } from './snapshot.js';

/** The vulnerability data as the reconciler needs it (src/factory/feed refreshVulnData). */
export type RefreshFeed = (
  workspace: Workspace,
) => Promise<{ readonly feedVersion: string; readonly problems?: readonly string[] }>;

export interface ReconcilerOptions {
  readonly store: Store;
  readonly queue: Queue;
  /** Loads the workspace as it is now (throws when larder.yaml does not load). */
  readonly loadWorkspace: () => Promise<Workspace>;
  readonly refreshFeed: RefreshFeed;
  readonly resolver: ImageResolver;
  /** ISO now. */
  readonly now: () => string;
  /** Appends an event (and tells the service's listeners). */
  readonly emit: (event: FactoryEvent) => Promise<void>;
  /** Where the last reconcile's view is kept across restarts (events say what changed since). */
  readonly snapshots: SnapshotStore;
  /** After each reconcile that enqueued jobs (the runner is poked). */
  readonly onEnqueued?: (keys: readonly string[]) => void;
  /** A reconcile failed (the store or the repository index could not be read). */
  readonly onError?: (error: unknown) => void;
}

/** One reconcile's result. */
export interface ReconcileOutcome {
  readonly plan: PlanResult;
  readonly added: readonly string[];
  readonly reasons: readonly string[];
  readonly events: readonly FactoryEvent[];
}

export interface Reconciler {
  /** Asks for a reconcile (coalesced; never throws). Reasons starting with `feed` or `advisory` refresh the vulnerability data. */
  wake(reason: string): void;
  /** Wakes and resolves once no reconcile is running or scheduled. */
  reconcile(reason?: string): Promise<void>;
  /** Resolves once no reconcile is running or scheduled. */
  idle(): Promise<void>;
  status(): FactoryStatus;
  /** The workspace as last loaded (undefined before the first reconcile). */
  workspace(): Workspace | undefined;
  /** The last reconcile's outcome (tests, logs). */
  last(): ReconcileOutcome | undefined;
  /** Reconciles run so far. */
  runs(): number;
  /** The wake reasons of the latest reconciles (at most 100, oldest first). */
  recentReasons(): readonly string[];
  /** Records an advisory file as already reported (the service appended its event itself). */
  acknowledgeAdvisoryFile(file: string): Promise<void>;
  /** Stops waking; waits for a running reconcile. */
  close(): Promise<void>;
}
