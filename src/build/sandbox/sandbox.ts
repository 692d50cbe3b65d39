/**
 * The `Sandbox` seam: a prepared guest root in which compiled build steps run, one at a time,
 * with the workspace bound read-write at melange's `/home/build`, an environment of the step's
 * own, and no network unless the step is part of the fetch phase. Runners move bytes and know
 * nothing of recipes, SBOMs or licences (the compile step makes steps; orchestration runs them).
 */

/** Where the workspace is in the guest (melange's `DefaultWorkspaceDir`). */
export const GUEST_WORKSPACE = '/home/build';
/** Where a build cache directory is bound in the guest (melange's `DefaultCacheDir`). */
export const GUEST_CACHE_DIR = '/var/cache/melange';

/** A compiled build step: plain data, as the compile step emits it. */
export interface SandboxStep {
  /** Shown with every output line and in errors (melange: the pipeline's name or `uses:`). */
  readonly name: string;
  /** Shell text, run by the guest's `/bin/sh` with `set -e` (melange's `runs:`). */
  readonly script: string;
  /** Guest directory the script runs in, made if missing; relative paths are under `/home/build`. */
  readonly workdir: string;
  /** The step's whole environment: nothing else is passed in. */
  readonly env: Readonly<Record<string, string>>;
}

/** One line a step wrote, without its newline. */
export interface StepLine {
  readonly step: string;
  readonly stream: 'stdout' | 'stderr';
  readonly text: string;
}

export interface RunStepOptions {
  /** Called for each line as it is written, in order within each stream. */
  readonly onLine: (line: StepLine) => void;
  /** Keep the host's network (the fetch phase only). Default: a private network with no interface but `lo`. */
  readonly network?: boolean;
  /** Aborting kills the step (and everything it started). */
  readonly signal?: AbortSignal;
}

/** A step that exited 0. */
export interface StepResult {
  readonly step: string;
  readonly status: 0;
  readonly durationMs: number;
}

/** A prepared guest root in which steps run. */
export interface Sandbox {
  /**
   * Runs one step to completion.
   * @throws LarderError STEP_FAILED naming the step and its exit status (or signal) when it
   *   fails; SANDBOX_UNAVAILABLE when the sandbox itself could not be set up.
   */
  run(step: SandboxStep, options: RunStepOptions): Promise<StepResult>;
  /** Releases what `prepare` made that is not cached; the workspace is left alone. */
  close(): Promise<void>;
}

/** What the guest root is made of: `environment.contents` of a recipe. */
export interface GuestContents {
  /** apk repositories (`URL` or `@tag URL`), in priority order. */
  readonly repositories: readonly string[];
  /** Key files, directories or URLs. */
  readonly keyring: readonly string[];
  /** World entries, as `apk add` arguments. */
  readonly packages: readonly string[];
}

export interface PrepareOptions {
  /** Host directory bound read-write at `/home/build`. */
  readonly workspace: string;
  /** The guest's packages (the host runner ignores them: it binds the host's toolchain). */
  readonly contents: GuestContents;
  /** apk arch of the guest (`x86_64`, `aarch64`). */
  readonly arch: string;
  /** Host directory bound read-write at `/var/cache/melange`, as melange's `--cache-dir`. */
  readonly cacheDir?: string;
}

/** Makes sandboxes of one kind (`bubblewrap` over a package root, `host`, a fake in tests). */
export interface SandboxRunner {
  readonly name: string;
  /**
   * Prepares a guest root and checks that the sandbox can run here.
   * @throws LarderError SANDBOX_UNAVAILABLE saying why namespaces cannot be made and what to do.
   */
  prepare(options: PrepareOptions): Promise<Sandbox>;
}
