/**
 * The seams between the factory's running parts (docs/factory.md "Running"): job bodies, the
 * engine that plans and runs them, the package publisher (the repository's single writer) and
 * the service the HTTP server and dashboard read. Add optional members with a doc comment; never
 * rename or remove.
 */
import type { Store } from '../store/index.js';
import type { JobKind, JobRecord, Queue, Workspace } from './model.js';
import type { RecordedEvent } from './state/index.js';

/** One line of a job's log (build step output, pipeline stages), as stored and streamed. */
export interface JobLogLine {
  /** Per job key, from 1, without gaps. */
  readonly seq: number;
  /** ISO time. */
  readonly at: string;
  /** `[step] text` for build steps; `stage: text` for compose stages. */
  readonly line: string;
}

/** A package file a build made, ready to publish. */
export interface BuiltPackageFile {
  /** `<name>-<version>-r<epoch>.apk`. */
  readonly fileName: string;
  /** Absolute path of the signed `.apk`. */
  readonly path: string;
}

/**
 * The repository's single writer. Embedded mode: publishes into `repository.dir/<arch>/` and
 * re-signs the index under the repository lock. Worker mode: uploads the files to the server
 * (`PUT /api/repository/<arch>/packages`), which verifies and publishes them. Returns the
 * packages as published (name, version, checksum `Q1…`, size).
 */
export interface PackagePublisher {
  publish(
    arch: string,
    files: readonly BuiltPackageFile[],
    build: { readonly key: string; readonly recipe: string },
  ): Promise<readonly PublishedPackageInfo[]>;
}

export interface PublishedPackageInfo {
  readonly name: string;
  /** `<version>-r<epoch>`. */
  readonly version: string;
  readonly arch: string;
  readonly origin: string;
  /** apk's `Q1…` checksum of the control segment. */
  readonly checksum: string;
  readonly size: number;
}

/** What a job body is given. Bodies record their own state (builds, packages, images, findings, events). */
export interface JobContext {
  /** The workspace as loaded when the job was claimed. */
  readonly workspace: Workspace;
  readonly store: Store;
  readonly publisher: PackagePublisher;
  /** Aborted when the lease is lost or the process shuts down: stop and throw. */
  readonly signal: AbortSignal;
  /** Appends to the job's log (stored, streamed by SSE). Never throws. */
  readonly log: (line: string) => void;
  /** larder's state directory (fetch caches, solver caches). */
  readonly stateDir: string;
  /** ISO now (tests pin it). */
  readonly now: () => string;
  /** Identifies this worker in records (`embedded`, `worker-<host>-<pid>`). */
  readonly worker: string;
}

/** A job's outcome: its result is stored on the job; a thrown LarderError fails it (retryable unless `retryable: false`). */
export type JobBody = (job: JobRecord, context: JobContext) => Promise<Readonly<Record<string, unknown>>>;

/**
 * The convention for failures another attempt cannot fix (a broken recipe, a failing build
 * step): the error carries an own property `retryable: false`, and the engine then fails the job
 * at once. Bodies mark errors with this; the engine asks {@link isRetryable}.
 */
export function notRetryable<E extends Error>(err: E): E & { readonly retryable: false } {
  Object.defineProperty(err, 'retryable', { value: false, enumerable: true });
  return err as E & { readonly retryable: false };
}

/** False when `err` was marked {@link notRetryable} (`retryable: false`); true otherwise. */
export function isRetryable(err: unknown): boolean {
  return !(typeof err === 'object' && err !== null && (err as { retryable?: unknown }).retryable === false);
}

/** The bodies per kind (src/factory/jobs gives the real ones; tests give fakes). */
export type JobBodies = Readonly<Record<JobKind, JobBody>>;

/** What the reconciler concluded last (the dashboard's overview). */
export interface FactoryStatus {
  /** ISO time of the last reconcile, or undefined before the first. */
  readonly reconciledAt?: string;
  /** The plan summary lines (`+ build:…  never built`, `! …`, `? image:… exposed`). */
  readonly summary: readonly string[];
  readonly problems: readonly string[];
  /** Images exposed and awaiting a fix. */
  readonly exposed: readonly string[];
  /** The feed version in use (advisories + feeds). */
  readonly feedVersion: string;
}

/** What `larder serve`'s HTTP layer reads and asks of the factory. */
export interface FactoryService {
  readonly store: Store;
  readonly queue: Queue;
  /** The workspace as last loaded (reloaded when it changes). */
  workspace(): Workspace;
  status(): FactoryStatus;
  /** Wakes the reconciler (coalesced; never throws). */
  wake(reason: string): void;
  /** Calls `listener` for each event appended from now on; returns the unsubscribe. */
  onEvent(listener: (event: RecordedEvent) => void): () => void;
  /** A job's log lines after `afterSeq` (0: from the start). */
  jobLog(key: string, afterSeq: number): Promise<JobLogLine[]>;
  /** The local publisher (workers' uploads end here: the server is the index's single writer). */
  readonly publisher: PackagePublisher;
  /** `security.json` (Alpine secdb) of the workspace advisories for the repository's packages. */
  securityJson(): Promise<Uint8Array>;
  /**
   * Adds an event to an advisory in `advisories/<package>.advisories.yaml` (created when missing;
   * written atomically), records an `advisory-changed` event and wakes the reconciler.
   */
  saveAdvisory(input: AdvisoryInput): Promise<void>;
  close(): Promise<void>;
}

/** An advisory event as the API and the dashboard's form take it (Wolfi advisory schema 2). */
export interface AdvisoryInput {
  /** The origin package (`advisories/<package>.advisories.yaml`). */
  readonly package: string;
  /** `CVE-…`, `GHSA-…`, or an existing advisory id. */
  readonly vulnerability: string;
  readonly type:
    | 'detection'
    | 'true-positive-determination'
    | 'fixed'
    | 'false-positive-determination'
    | 'fix-not-planned'
    | 'analysis-not-planned'
    | 'pending-upstream-fix';
  /** `fixed`: the first fixed version (`1.0-r1`). */
  readonly fixedVersion?: string;
  /** false-positive / not-planned: the type and note Wolfi's schema asks for. */
  readonly note?: string;
  readonly falsePositiveType?: string;
}
