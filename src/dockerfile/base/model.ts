import type { ApkArch, InstalledPackage } from '../../apk/index.js';
import type { ProgressListener } from '../../core/index.js';
import type { PackageSource } from '../../image/index.js';
import type { LayerInput, OCIImageConfig } from '../../oci/index.js';
import type { Fetcher } from '../../repo/index.js';
import type { SbomPackage } from '../../sbom/index.js';

/** How registry images are pulled: what `larder image pull` takes from its flags. */
export interface BaseRegistryOptions {
  /** Plain HTTP to a registry off loopback (`--insecure`). */
  readonly insecure?: boolean;
  /** A docker `config.json` for credentials; default `$DOCKER_CONFIG` or `~/.docker/config.json`. */
  readonly dockerConfig?: string;
}

/** Options of {@link resolveBaseImage}. */
export interface BaseOptions {
  /** The build context: `larder:` paths and `./` layout paths are taken from it. */
  readonly contextDir: string;
  /** The stage's apk arch: the image of this platform is taken. */
  readonly arch: ApkArch;
  readonly fetcher: Fetcher;
  readonly stateDir: string;
  /** Private scratch: composed layers go to `<workDir>/blobs/sha256`, pulls under `<workDir>/pulled`. */
  readonly workDir: string;
  readonly registry?: BaseRegistryOptions;
  readonly sourceDateEpoch?: number;
  /** No network: registry references are refused (OFFLINE_MISS); packages and indexes go through `fetcher` (make it offline too). */
  readonly offline?: boolean;
  readonly onProgress?: ProgressListener;
}

/** A repository signing key as `apk add` needs it: the file name and its PEM text. */
export interface BaseKey {
  readonly name: string;
  readonly pem: string;
}

/** A FROM image for one arch, ready for a stage to build on. */
export interface StageBase {
  /** Bottom first, as blob files (digests unchanged). */
  readonly layers: readonly LayerInput[];
  readonly config: OCIImageConfig;
  /** The image's `lib/apk/db/installed` (or `usr/lib/apk/db/installed`), in order; [] without one. */
  readonly installed: readonly InstalledPackage[];
  /** Repositories for `RUN apk add`, each a line of `/etc/apk/repositories` (`@tag URL` kept). */
  readonly repositories: readonly string[];
  /** Keys for `RUN apk add`. */
  readonly keys: readonly BaseKey[];
  /** `repo@sha256:…` for a registry image: what history and provenance name. */
  readonly pinned?: string;
  /** The image manifest's digest (of the arch's manifest, not of an index). */
  readonly digest: string;
  /** Packages the composer fetched for a `larder:` config; [] for other images. */
  readonly sources: readonly PackageSource[];
  /** SBOM entries of a `larder:` config's packages. */
  readonly sbomPackages?: readonly SbomPackage[];
}
