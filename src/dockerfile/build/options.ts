import type { ApkArch } from '../../apk/index.js';
import type { ProgressListener } from '../../core/index.js';
import type { BuiltImage } from '../../image/index.js';
import type { Fetcher } from '../../repo/index.js';
import type { BaseRegistryOptions } from '../base/index.js';
import type { Dockerfile } from '../parse/index.js';

/** One instruction about to run, for progress lines: `[build 2/5] RUN make`. */
export interface BuildStep {
  /** The stage's name, or its 0-based index as text. */
  readonly stage: string;
  /** 1-based position of the instruction in its stage (FROM is 1) and the stage's count. */
  readonly step: number;
  readonly steps: number;
  /** `Dockerfile:12`. */
  readonly place: string;
  /** The instruction as written, on one line. */
  readonly text: string;
}

export interface DockerBuildOptions {
  readonly dockerfile: Dockerfile;
  /** The build context: what COPY/ADD read, and what `larder:` and layout paths are relative to. */
  readonly contextDir: string;
  /** `--build-arg K=V`. */
  readonly buildArgs?: Readonly<Record<string, string>>;
  /** `--target`: the stage to build; default the last. */
  readonly target?: string;
  /** The one platform built (RUN runs natively, so the host's). */
  readonly arch: ApkArch;
  readonly fetcher: Fetcher;
  readonly stateDir: string;
  /** A private scratch directory: stage roots and layer blobs (`<workDir>/blobs/sha256`). */
  readonly workDir: string;
  /** `--network`: RUN keeps the host's network (default: only `lo`). */
  readonly network?: boolean;
  /** Extra repositories and keys for `RUN apk add` (`--repository`, `--keyring`). */
  readonly repositories?: readonly string[];
  readonly keys?: ReadonlyArray<{ readonly name: string; readonly pem: string }>;
  readonly allowUntrusted?: boolean;
  /** No network for FROM: registry references are refused, `larder:` configs use the download cache. */
  readonly offline?: boolean;
  /** SOURCE_DATE_EPOCH: image and history times, and file times clamped in new layers. */
  readonly sourceDateEpoch?: number;
  /** How registry bases are pulled (`--insecure`, a docker config). */
  readonly registry?: BaseRegistryOptions;
  /** `--secret id=NAME,src=FILE`: files `RUN --mount=type=secret,id=NAME` binds (never in a layer). */
  readonly secrets?: Readonly<Record<string, string>>;
  readonly onProgress?: ProgressListener;
  /** Called before each instruction runs. */
  readonly onStep?: (step: BuildStep) => void;
  /** Output lines of RUN steps. */
  readonly onLine?: (line: { readonly stream: 'stdout' | 'stderr'; readonly text: string }) => void;
  readonly signal?: AbortSignal;
}

/** Where a stage's base came from, for provenance (`resolvedDependencies`). */
export interface ResolvedBase {
  readonly stage: string;
  /** FROM as written after ARG expansion. */
  readonly spec: string;
  /** The manifest digest of the base image (none for `scratch`). */
  readonly digest?: string;
  /** `repo@sha256:…` for registry bases. */
  readonly pinned?: string;
}

export interface DockerBuildResult {
  /** The target stage's image, as the composer's builds are (SBOM, provenance and push take it). */
  readonly image: BuiltImage;
  /** The stage built (`--target`, or the last). */
  readonly stage: string;
  /** The bases of every stage that was built, in build order. */
  readonly bases: readonly ResolvedBase[];
  /** `--build-arg`s no stage declared, and other things worth telling. */
  readonly warnings: readonly string[];
}
