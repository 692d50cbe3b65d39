/**
 * What the reconciler's plan reads (docs/factory.md "Planning"). Another part gathers it (the
 * workspace loader, the repository index, the state database, image resolution); the plan itself
 * is a pure function of this value, so the same input always yields the same jobs.
 */
import type { JobStatus, Workspace } from '../model.js';

/** One package of the published repository, as the factory recorded its build. */
export interface PublishedPackage {
  /** Package name (the recipe's main package or one of its subpackages). */
  readonly name: string;
  /** `<version>-r<epoch>`, as apk writes it. */
  readonly version: string;
  /** The recipe (origin) that produced it. */
  readonly origin: string;
  /** `sha256:<hex>` of the recipe (WorkspaceRecipe.hash) of the build that made it. */
  readonly recipeHash: string;
  /** ISO time the build that made it finished. */
  readonly builtAt: string;
}

/** A job the state database knows about (any kind), by key. */
export interface RecordedJob {
  readonly key: string;
  /** `failed` means attempts are exhausted (or the failure was not retryable): the key is done failing. */
  readonly status: JobStatus;
  readonly attempts: number;
  /** ISO. */
  readonly finishedAt?: string;
  /** The feed version a compose ran its gate against (a failed compose is retried once it changes). */
  readonly feedVersion?: string;
  /** JobSpec.after: a pending job waiting on a failed key can never run (it is reported blocked). */
  readonly after?: readonly string[];
}

/** The image version currently served, as recorded when it was published or last rescanned. */
export interface PublishedImage {
  /** `sha256:<hex>` of the lock it was composed from. */
  readonly lockHash: string;
  /** `sha256:<hex>` of the config it was composed from (WorkspaceImage.hash). */
  readonly configHash: string;
  /** `sha256:<hex>`: the index (or single manifest) digest pushed. */
  readonly digest: string;
  /** The feed version of its latest scan (publication or rescan). */
  readonly scannedFeedVersion: string;
  /** ISO time of its latest scan. */
  readonly scannedAt: string;
  /** Open findings with no fixed version anywhere: the image is exposed, awaiting a fix. */
  readonly awaitingFix: boolean;
}

/** What resolving an image's config against the repository as it is now gives. */
export type ImageResolution =
  | { readonly lockHash: string }
  /** The config does not resolve (missing package, conflict): shown, never composed. */
  | { readonly problem: string };

/** Per image of the workspace (by WorkspaceImage.name). */
export interface ImageState {
  readonly resolution: ImageResolution;
  /** Absent: never published. */
  readonly published?: PublishedImage;
}

/** Clock and timers. Periods come from the workspace config (`schedules`). */
export interface PlanSchedule {
  /** ISO: the moment the plan is made (slots and due checks are computed from it). */
  readonly now: string;
  /** Per recipe name: ISO time of its last update check; absent: never checked. */
  readonly lastUpdateCheckAt: Readonly<Record<string, string>>;
}

/** Everything `planWork` reads. */
export interface PlanInput {
  readonly workspace: Workspace;
  /** Published packages per arch (FactoryArch names; every version still in the index). */
  readonly repository: Readonly<Record<string, readonly PublishedPackage[]>>;
  /** Jobs the state database holds (all kinds, latest record per key). */
  readonly jobs: readonly RecordedJob[];
  /** Per image name; an image of the workspace without an entry is reported as a problem. */
  readonly images: Readonly<Record<string, ImageState>>;
  /** Identifies the advisory and feed data now in use (changes whenever either changes). */
  readonly feedVersion: string;
  readonly schedule: PlanSchedule;
}
