/** What `planWork` returns: the jobs to enqueue and why, and what it chose not to plan. */
import type { JobSpec } from '../model.js';

/** A key the plan wants but will not enqueue: its last run failed for good and its inputs are unchanged. */
export interface BlockedJob {
  readonly key: string;
  /** `recipe:<name>` or `image:<name>`. */
  readonly subject: string;
  readonly reason: string;
}

/** Work that is due but waits on something else (a build-dep with no package, builds to settle). */
export interface HeldWork {
  /** `build:<name>/<arch>` or `image:<name>`. */
  readonly subject: string;
  readonly reason: string;
}

/** Something the workspace or the recorded state gets wrong (a broken recipe, a cycle, an unresolvable image). */
export interface PlanProblem {
  readonly subject: string;
  readonly message: string;
}

export interface PlanResult {
  /** New jobs, in a deterministic order: builds (deps first), composes, rescans, update checks. */
  readonly jobs: readonly JobSpec[];
  /** Per key of `jobs`: why it is planned ("recipe changed", "build-dep libgreet rebuilt"). */
  readonly reasons: Readonly<Record<string, readonly string[]>>;
  /** Wanted keys already pending or running: not re-planned, but later jobs may wait on them. */
  readonly inFlight: readonly string[];
  readonly blocked: readonly BlockedJob[];
  readonly held: readonly HeldWork[];
  readonly problems: readonly PlanProblem[];
  /** Images whose published version is exposed, awaiting a fix. */
  readonly exposed: readonly string[];
  /** One line per job, blocked key, held item and problem, for logs and the event timeline. */
  readonly summary: string;
}
