/**
 * OCI images on disk (part 1; the registry client comes later): image-spec documents with one
 * deterministic JSON encoding, apk arch ↔ platform, layers compressed in parallel (one gzip
 * stream) with diff_id and digest in one pass, OCI image layouts written atomically and read
 * back verified, `docker load`-able archives, and docker-normalised image references.
 */

/** Composes an image's config, manifest and index entry without writing anything. */
export {
  type ComposedImage,
  composeImage,
  composeIndex,
  type ImageConfigInput,
  type ImageInput,
  imageConfigFor,
  type JsonBlob,
  type LayerInput,
} from './compose.js';
/** Writes one docker-loadable (and OCI-archive) tarball of a single image, atomically. */
export { type DockerArchiveOptions, type DockerArchiveResult, writeDockerArchive } from './docker-archive.js';
/** larder's one JSON encoding for hashed documents (fixed key order) and sha256 digests. */
export { encodeJson, jsonBlob, sha256Digest } from './json.js';
/** Streams a layer tar into a gzip blob file, computing diff_id and digest in one pass. */
export { type LayerBlob, type LayerWriteOptions, writeLayerBlob } from './layer.js';
/** Writes an OCI image layout atomically (index.json → image index → one manifest per platform). */
export { isOciLayout, type OCILayoutResult, type OCILayoutSpec, writeOciLayout } from './layout.js';
/** pigz-style gzip over the thread pool: one deterministic gzip member. */
export { type ParallelGzipOptions, parallelGzip } from './parallel-gzip.js';
/** apk arch ↔ OCI platform, as apko maps them. */
export { apkArchFor, formatPlatform, IMAGE_APK_ARCHES, platformFor, samePlatform } from './platform.js';
/** Reads an OCI image layout back, verifying every blob. */
export {
  type LayoutEntry,
  type LayoutImage,
  type OCILayoutContents,
  type ReadLayoutOptions,
  readOciLayout,
} from './read-layout.js';
/** Image references with docker's normalisation. */
export {
  DEFAULT_TAG,
  DOCKER_HUB,
  familiarImageReference,
  formatImageReference,
  type ImageReference,
  parseImageReference,
  withDefaultTag,
} from './reference.js';
/** OCI distribution client: auth (anonymous, Basic, bearer tokens), blobs, manifests, tags, retries. */
export { RegistryClient, type RegistryClientOptions } from './registry/client.js';
export type { RepositoryName } from './registry/context.js';
export { isLoopbackRegistry } from './registry/context.js';
/** Copies an image between repositories or registries, digest unchanged (mounting when it can). */
export { type CopyImageOptions, type CopyImageResult, copyImage } from './registry/copy.js';
/** Registry credentials: docker's config.json, or fixed per host. */
export {
  type CredentialsProvider,
  type DockerConfigOptions,
  dockerConfigCredentials,
  dockerConfigPath,
  type RegistryCredentials,
  staticCredentials,
} from './registry/credentials.js';
export type { ListTagsOptions, ManifestInfo, ManifestResponse } from './registry/manifests.js';
/** Pulls an image from a registry into a new OCI layout, verifying every digest. */
export { type PullLayoutOptions, type PullLayoutResult, pullToOciLayout } from './registry/pull-layout.js';
/** Pushes what an OCI layout's index.json entry reaches to a registry, under one or more tags. */
export { type PushLayoutOptions, pushOciLayout } from './registry/push-layout.js';
export {
  type ListReferrersOptions,
  type PushReferrerResult,
  type ReferrersList,
  referrersTag,
} from './registry/referrers.js';
export type { BlobSource, PushBlobOptions, PushBlobOutcome } from './registry/upload.js';
/** image-spec document types, media types and annotation keys. */
export {
  ANNOTATIONS,
  type Annotations,
  type DockerHealthcheck,
  MEDIA_TYPES,
  OCI_LAYOUT_FILE,
  type OCIContainerConfig,
  type OCIDescriptor,
  type OCIHistory,
  type OCIImageConfig,
  type OCIIndex,
  type OCIManifest,
  type OCIPlatform,
} from './types.js';
