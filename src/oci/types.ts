/**
 * The OCI image-spec 1.1 documents larder writes and reads (oci-trust.md §1), as plain data.
 * Field names are the wire names. Unknown fields read from disk are kept by readers only where
 * the type says so; writers emit exactly these fields.
 */

export const MEDIA_TYPES = {
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  index: 'application/vnd.oci.image.index.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  layerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  layerTar: 'application/vnd.oci.image.layer.v1.tar',
  layerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  empty: 'application/vnd.oci.empty.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
} as const;

/** Annotation keys of image-spec `annotations.md` that larder sets. */
export const ANNOTATIONS = {
  refName: 'org.opencontainers.image.ref.name',
  created: 'org.opencontainers.image.created',
  source: 'org.opencontainers.image.source',
  revision: 'org.opencontainers.image.revision',
  baseName: 'org.opencontainers.image.base.name',
  baseDigest: 'org.opencontainers.image.base.digest',
} as const;

export type Annotations = Readonly<Record<string, string>>;

/** A platform as index entries carry it: Go's GOOS/GOARCH names plus an optional variant. */
export interface OCIPlatform {
  readonly architecture: string;
  readonly os: string;
  readonly 'os.version'?: string;
  readonly 'os.features'?: readonly string[];
  readonly variant?: string;
}

/** A content descriptor: what a manifest or index says about a blob. */
export interface OCIDescriptor {
  readonly mediaType: string;
  readonly artifactType?: string;
  /** `sha256:<64 lowercase hex>` for everything larder writes. */
  readonly digest: string;
  readonly size: number;
  readonly urls?: readonly string[];
  readonly data?: string;
  /** Only on index entries. */
  readonly platform?: OCIPlatform;
  readonly annotations?: Annotations;
}

export interface OCIManifest {
  readonly schemaVersion: 2;
  readonly mediaType?: string;
  readonly artifactType?: string;
  readonly config: OCIDescriptor;
  readonly layers: readonly OCIDescriptor[];
  readonly subject?: OCIDescriptor;
  readonly annotations?: Annotations;
}

export interface OCIIndex {
  readonly schemaVersion: 2;
  readonly mediaType?: string;
  readonly artifactType?: string;
  readonly manifests: readonly OCIDescriptor[];
  readonly subject?: OCIDescriptor;
  readonly annotations?: Annotations;
}

/** The execution parameters of an image (`config` inside the image config; Go's `ImageConfig`). */
export interface OCIContainerConfig {
  readonly User?: string;
  /** Keys like `8080/tcp`; values are always `{}`. */
  readonly ExposedPorts?: Readonly<Record<string, Readonly<Record<string, never>>>>;
  /** `NAME=value` strings. */
  readonly Env?: readonly string[];
  readonly Entrypoint?: readonly string[];
  readonly Cmd?: readonly string[];
  /** Paths; values are always `{}`. */
  readonly Volumes?: Readonly<Record<string, Readonly<Record<string, never>>>>;
  readonly WorkingDir?: string;
  readonly Labels?: Readonly<Record<string, string>>;
  readonly StopSignal?: string;
  /** Docker's extensions (not in the OCI spec; Docker, BuildKit and podman read them). */
  readonly Healthcheck?: DockerHealthcheck;
  /** Docker's `SHELL`: the shell form's command prefix. */
  readonly Shell?: readonly string[];
  /** Docker's `ONBUILD` triggers, as written. */
  readonly OnBuild?: readonly string[];
}

/** Docker's health check: `Test` is `["NONE"]`, `["CMD", argv...]` or `["CMD-SHELL", text]`; durations in ns. */
export interface DockerHealthcheck {
  readonly Test: readonly string[];
  readonly Interval?: number;
  readonly Timeout?: number;
  readonly StartPeriod?: number;
  readonly StartInterval?: number;
  readonly Retries?: number;
}

export interface OCIHistory {
  readonly created?: string;
  readonly created_by?: string;
  readonly author?: string;
  readonly comment?: string;
  readonly empty_layer?: boolean;
}

/** The image config blob (`application/vnd.oci.image.config.v1+json`). */
export interface OCIImageConfig {
  /** RFC 3339, e.g. `2024-01-01T00:00:00Z`. */
  readonly created?: string;
  readonly author?: string;
  readonly architecture: string;
  readonly os: string;
  readonly 'os.version'?: string;
  readonly 'os.features'?: readonly string[];
  readonly variant?: string;
  readonly config?: OCIContainerConfig;
  readonly rootfs: { readonly type: 'layers'; readonly diff_ids: readonly string[] };
  readonly history?: readonly OCIHistory[];
}

/** The `oci-layout` file's content. */
export const OCI_LAYOUT_FILE = { imageLayoutVersion: '1.0.0' } as const;
