/**
 * The factory's shared vocabulary (docs/factory.md): what a workspace holds, the recorded state,
 * the jobs the reconciler asks for and the queue that carries them. Every factory part codes
 * against these types; add optional fields with a doc comment, never rename or remove.
 */

/** Target archs, as apk names them. */
export type FactoryArch = 'x86_64' | 'aarch64' | (string & {});

/** `larder.yaml`, parsed and validated (workspace/config). Paths are absolute. */
export interface FactoryConfig {
  readonly repository: {
    /** URL path segment the server serves it under: `/<name>/<arch>/APKINDEX.tar.gz`. */
    readonly name: string;
    /** Directory holding `<arch>/APKINDEX.tar.gz` and the packages. */
    readonly dir: string;
    readonly archs: readonly FactoryArch[];
    /** RSA private key signing packages and the index; its `.pub` sits beside it. */
    readonly signingKey: string;
    /** Extra repositories builds and images may resolve from (URLs or paths), with their keys. */
    readonly extraRepositories: readonly string[];
    readonly extraKeyring: readonly string[];
  };
  readonly images: {
    /** cosign-style private key signing published images; none: images are not signed. */
    readonly signingKey?: string;
    readonly signFormat: 'legacy' | 'bundle' | 'both';
    /** Attach SLSA provenance and SBOMs (and VEX when statements apply). */
    readonly attest: boolean;
    /**
     * `images.publish`: per image name (`images/<name>.yaml`), the references it is pushed to
     * (WorkspaceImage.publish). The workspace loader always sets it (empty map by default).
     */
    readonly publish?: Readonly<Record<string, readonly string[]>>;
  };
  /** Per registry host: plain HTTP allowed, and credentials (password read from an env var). */
  readonly registries: Readonly<
    Record<string, { readonly insecure: boolean; readonly username?: string; readonly passwordEnv?: string }>
  >;
  readonly policy: {
    /** `zero-known-cve` (any finding not covered by VEX blocks) or a severity threshold. */
    readonly gate: 'zero-known-cve' | 'critical' | 'high' | 'medium' | 'low';
  };
  /** Extra vulnerability feeds besides the workspace advisories (secdb/OSV files or URLs). */
  readonly feeds: readonly { readonly kind: 'secdb' | 'osv'; readonly location: string }[];
  readonly schedules: {
    /** Rescan every published image this often (ms); 0 = never. */
    readonly rescanMs: number;
    /** Ask recipes' `update:` sources this often (ms); 0 = never. */
    readonly updateCheckMs: number;
  };
  readonly server: {
    /** Reads without a token (the dashboard, GET /api/...). Writes always need one. */
    readonly publicReads: boolean;
  };
}

/** One recipe of `recipes/` as the workspace loader sees it. */
export interface WorkspaceRecipe {
  /** `package.name`. */
  readonly name: string;
  /** Absolute path of the recipe file. */
  readonly file: string;
  readonly version: string;
  readonly epoch: number;
  /** `sha256:<hex>` of the recipe file and every file of its source directory. */
  readonly hash: string;
  /** Names (package, subpackage and `provides` names) the recipe's packages provide. */
  readonly provides: readonly string[];
  /** `environment.contents.packages`: what it needs at build time. */
  readonly buildDepends: readonly string[];
  /** The archs it builds for (the workspace archs it supports). */
  readonly archs: readonly FactoryArch[];
  /** The recipe does not load or compile: shown as a failed build, never stops the factory. */
  readonly problem?: string;
  /** The recipe has an `update:` section the factory can check for new releases (plan: update-check jobs). */
  readonly hasUpdateSource?: boolean;
}

/** One image of the workspace: an apko config and where it is published. */
export interface WorkspaceImage {
  readonly name: string;
  /** Absolute path of the apko config (`images/<name>.yaml` unless larder.yaml says otherwise). */
  readonly configFile: string;
  /** Registry references it is pushed to (the first is the canonical one). */
  readonly publish: readonly string[];
  /** `sha256:<hex>` over the config and its includes. */
  readonly hash: string;
  readonly problem?: string;
}

/** A loaded workspace: never throws for a broken recipe or image (see `problem`). */
export interface Workspace {
  readonly root: string;
  readonly config: FactoryConfig;
  readonly recipes: readonly WorkspaceRecipe[];
  readonly images: readonly WorkspaceImage[];
  /** Absolute paths of `advisories/*.advisories.yaml`. */
  readonly advisoryFiles: readonly string[];
}

/** What the factory can be asked to do. Keys name what a job produces, so a done key is a no-op. */
export type JobKind = 'build' | 'compose' | 'rescan' | 'update-check';

/**
 * A unit of work. Key formats:
 * - `build:<name>@<version>-r<epoch>/<arch>#<recipe-hash-12>`
 * - `compose:<image>@<lock-hash-12>#<config-hash-12>`
 * - `rescan:<image>@<digest-12>#<feed-version>`
 * - `update-check:<name>@<slot>` (slot: the schedule period's start, ISO)
 */
export interface JobSpec {
  readonly key: string;
  readonly kind: JobKind;
  readonly payload: Readonly<Record<string, unknown>>;
  /** Higher first; default 0. */
  readonly priority?: number;
  /** Keys that must have succeeded before this one is claimable (build order). */
  readonly after?: readonly string[];
}

export type JobStatus = 'pending' | 'running' | 'succeeded' | 'failed';

export interface JobRecord extends JobSpec {
  readonly id: number;
  readonly status: JobStatus;
  readonly attempts: number;
  readonly maxAttempts: number;
  /** ISO times. */
  readonly createdAt: string;
  readonly runAfter: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  /** Who holds it and until when (a lease: expired → claimable again, the attempt counted). */
  readonly worker?: string;
  readonly leaseUntil?: string;
  readonly error?: string;
  readonly result?: Readonly<Record<string, unknown>>;
}

/**
 * The queue seam: embedded (SQLite `factory_jobs`) or PostgreSQL. Every method is safe under
 * concurrent workers and a crash at any point: a claimed job whose worker died is claimed again
 * after its lease; a job succeeds at most once.
 */
export interface Queue {
  /** Adds the jobs whose keys are not pending, running or succeeded; a failed key is re-added. */
  enqueue(
    jobs: readonly JobSpec[],
  ): Promise<{ readonly added: readonly string[]; readonly existing: readonly string[] }>;
  /** The highest-priority claimable job of these kinds (pending, runAfter passed, `after` keys succeeded), leased to `worker`. */
  claim(worker: string, kinds: readonly JobKind[], leaseMs: number): Promise<JobRecord | undefined>;
  /** Extends the lease; false when the job is no longer this worker's (lease lost). */
  heartbeat(id: number, worker: string, leaseMs: number): Promise<boolean>;
  complete(id: number, worker: string, result: Readonly<Record<string, unknown>>): Promise<void>;
  /** Retryable and attempts left: back to pending after a backoff (base × 2^(attempts-1), capped); else failed. */
  fail(id: number, worker: string, error: string, options: { readonly retryable: boolean }): Promise<void>;
  get(key: string): Promise<JobRecord | undefined>;
  list(filter?: {
    readonly status?: JobStatus;
    readonly kind?: JobKind;
    readonly limit?: number;
  }): Promise<JobRecord[]>;
  /** Counts by status and kind (queue depth for /metrics). */
  stats(): Promise<Readonly<Record<JobStatus, number>>>;
}

/** An audit-log entry (the dashboard's timeline). */
export interface FactoryEvent {
  readonly at: string;
  readonly kind:
    | 'recipe-changed'
    | 'upstream-release'
    | 'advisory-changed'
    | 'feed-refreshed'
    | 'package-published'
    | 'image-published'
    | 'image-blocked'
    | 'image-exposed'
    | 'build-failed'
    | 'job-failed'
    | (string & {});
  /** What it is about: `recipe:<name>`, `image:<name>`, `package:<name>-<ver>`, `vuln:<id>`. */
  readonly subject: string;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}
