import { LarderError } from '../core/index.js';
import { jsonBlob } from './json.js';
import { formatPlatform } from './platform.js';
import {
  type Annotations,
  MEDIA_TYPES,
  type OCIDescriptor,
  type OCIImageConfig,
  type OCIIndex,
  type OCIManifest,
  type OCIPlatform,
} from './types.js';

/** One layer of an image: a gzip blob already written, or its bytes. */
export type LayerInput = {
  /** Default `application/vnd.oci.image.layer.v1.tar+gzip`. */
  readonly mediaType?: string;
  readonly digest: string;
  readonly size: number;
  readonly diffId: string;
  readonly annotations?: Annotations;
} & ({ readonly blobPath: string } | { readonly bytes: Uint8Array });

/** The image config minus what larder derives: platform fields from `platform`, rootfs from layers. */
export type ImageConfigInput = Omit<
  OCIImageConfig,
  'architecture' | 'os' | 'os.version' | 'os.features' | 'variant' | 'rootfs'
>;

/** One single-platform image. */
export interface ImageInput {
  readonly platform: OCIPlatform;
  readonly config?: ImageConfigInput;
  /** Base layer first. */
  readonly layers: readonly LayerInput[];
  /** Manifest annotations. */
  readonly annotations?: Annotations;
}

/** A JSON document ready to write as a blob. */
export interface JsonBlob {
  readonly bytes: Buffer;
  readonly digest: string;
  readonly size: number;
}

/** An image's documents: config and manifest blobs, and the index entry for the manifest. */
export interface ComposedImage {
  readonly input: ImageInput;
  readonly config: JsonBlob;
  readonly manifest: JsonBlob;
  /** The manifest's descriptor with `platform`, as an image index lists it. */
  readonly descriptor: OCIDescriptor;
}

/** The image config of `image`: platform fields first, `rootfs.diff_ids` from the layers. */
export function imageConfigFor(image: ImageInput): OCIImageConfig {
  const { platform, layers, config = {} } = image;
  const built = layers.length;
  const history = config.history;
  if (history !== undefined && history.filter((h) => h.empty_layer !== true).length !== built) {
    throw new LarderError(
      'USAGE',
      `image ${formatPlatform(platform)}: history has ${history.filter((h) => h.empty_layer !== true).length} ` +
        `non-empty entries for ${built} layers`,
    );
  }
  return {
    ...config,
    architecture: platform.architecture,
    os: platform.os,
    ...(platform['os.version'] === undefined ? {} : { 'os.version': platform['os.version'] }),
    ...(platform['os.features'] === undefined ? {} : { 'os.features': platform['os.features'] }),
    ...(platform.variant === undefined ? {} : { variant: platform.variant }),
    rootfs: { type: 'layers', diff_ids: layers.map((layer) => layer.diffId) },
  };
}

/** Config blob, manifest blob and index entry of one image. */
export function composeImage(image: ImageInput): ComposedImage {
  const config = jsonBlob(imageConfigFor(image));
  const manifest: OCIManifest = {
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.manifest,
    config: { mediaType: MEDIA_TYPES.config, digest: config.digest, size: config.size },
    layers: image.layers.map((layer) => ({
      mediaType: layer.mediaType ?? MEDIA_TYPES.layerGzip,
      digest: layer.digest,
      size: layer.size,
      ...(nonEmpty(layer.annotations) ? { annotations: layer.annotations } : {}),
    })),
    ...(nonEmpty(image.annotations) ? { annotations: image.annotations } : {}),
  };
  const blob = jsonBlob(manifest);
  const descriptor: OCIDescriptor = {
    mediaType: MEDIA_TYPES.manifest,
    digest: blob.digest,
    size: blob.size,
    platform: image.platform,
  };
  return { input: image, config, manifest: blob, descriptor };
}

/**
 * Composes every image, sorted by platform (`os/arch/variant` bytes, as apko sorts archs), and
 * the image index over them. Two images for one platform are a USAGE error.
 */
export function composeIndex(
  images: readonly ImageInput[],
  annotations?: Annotations,
): { images: ComposedImage[]; index: JsonBlob } {
  const sorted = images
    .map((image) => ({ key: formatPlatform(image.platform), image }))
    .sort((a, b) => Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.key === sorted[i - 1]!.key) {
      throw new LarderError('USAGE', `two images for platform ${sorted[i]!.key}`);
    }
  }
  const composed = sorted.map(({ image }) => composeImage(image));
  const index: OCIIndex = {
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.index,
    manifests: composed.map((c) => c.descriptor),
    ...(nonEmpty(annotations) ? { annotations } : {}),
  };
  return { images: composed, index: jsonBlob(index) };
}

function nonEmpty(annotations: Annotations | undefined): annotations is Annotations {
  return annotations !== undefined && Object.keys(annotations).length > 0;
}
