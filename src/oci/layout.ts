import { access, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { inFile, LarderError } from '../core/index.js';
import { buildDirAtomic } from './atomic-dir.js';
import { blobPath, placeLayerBlob, syncDir, writeBlobFile } from './blob-files.js';
import { composeIndex, type ImageInput } from './compose.js';
import { encodeJson, jsonBlob } from './json.js';
import {
  ANNOTATIONS,
  type Annotations,
  MEDIA_TYPES,
  OCI_LAYOUT_FILE,
  type OCIDescriptor,
  type OCIIndex,
} from './types.js';

/** What to write as an OCI image layout. */
export interface OCILayoutSpec {
  /** One image per platform; written sorted by platform. */
  readonly images: readonly ImageInput[];
  /** Annotations of the image index (apko puts `created`, `source`, `revision` there). */
  readonly indexAnnotations?: Annotations;
  /** The `-t/--tag` name: written as `org.opencontainers.image.ref.name` of the index.json entry. */
  readonly refName?: string;
  /**
   * With a ref name and several platforms, also list each manifest in index.json as
   * `<refName>-<arch>[_<variant>]` (apko's per-arch tag names, e.g. `latest-arm64`,
   * `latest-arm_v7`): tools that unpack one manifest (umoci 0.4 says "tag is ambiguous" for a
   * multi-platform index) can then name a platform. Default true.
   */
  readonly platformRefNames?: boolean;
}

/** What was written: the image index (what a push of the whole layout names) and each image. */
export interface OCILayoutResult {
  /** The first index.json entry: the image index blob, with the ref name annotation if any. */
  readonly index: OCIDescriptor;
  /** Every index.json entry: the image index, then any per-platform entries. */
  readonly entries: readonly OCIDescriptor[];
  readonly images: ReadonlyArray<{ readonly manifest: OCIDescriptor; readonly config: OCIDescriptor }>;
}

// image-spec annotations.md: components of [A-Za-z0-9]+ joined by -._:@+ or --, split by /.
const REF_NAME =
  /^[A-Za-z0-9]+(?:(?:[-._:@+]|--)[A-Za-z0-9]+)*(?:\/[A-Za-z0-9]+(?:(?:[-._:@+]|--)[A-Za-z0-9]+)*)*$/;

/**
 * Writes an OCI image layout at `out`: `oci-layout`, `blobs/sha256/*` (layers, configs,
 * manifests, the image index) and `index.json` with ONE entry, the image index (also for a
 * single platform, as apko always builds an index), carrying the ref name. That nesting is
 * what `skopeo copy --all … oci:DIR:TAG` and buildx write, and lets `oci:OUT:TAG` name the
 * multi-arch image (see `platformRefNames` for the per-platform entries). Atomic: built beside `out` and renamed over it; an existing `out` is
 * replaced only if it is empty or an OCI layout (has `oci-layout`).
 */
export async function writeOciLayout(out: string, spec: OCILayoutSpec): Promise<OCILayoutResult> {
  if (spec.refName !== undefined && !REF_NAME.test(spec.refName)) {
    throw new LarderError(
      'USAGE',
      `invalid image name ${JSON.stringify(spec.refName)} for ${ANNOTATIONS.refName}`,
    );
  }
  if (spec.images.length === 0) throw new LarderError('USAGE', `no images to write to ${out}`);
  const { images, index } = composeIndex(spec.images, spec.indexAnnotations);
  const indexEntry: OCIDescriptor = {
    mediaType: MEDIA_TYPES.index,
    digest: index.digest,
    size: index.size,
    ...(spec.refName === undefined ? {} : { annotations: { [ANNOTATIONS.refName]: spec.refName } }),
  };
  const perPlatform = spec.refName !== undefined && images.length > 1 && (spec.platformRefNames ?? true);
  const entries: OCIDescriptor[] = [
    indexEntry,
    ...(perPlatform
      ? images.map((image) => ({
          ...image.descriptor,
          annotations: { [ANNOTATIONS.refName]: `${spec.refName}-${platformSuffix(image.descriptor)}` },
        }))
      : []),
  ];
  const build = async (root: string): Promise<OCILayoutResult> => {
    await mkdir(join(root, 'blobs', 'sha256'), { recursive: true });
    for (const image of images) {
      for (const layer of image.input.layers) await placeLayerBlob(blobPath(root, layer.digest), layer);
      await writeBlobFile(blobPath(root, image.config.digest), image.config.bytes);
      await writeBlobFile(blobPath(root, image.manifest.digest), image.manifest.bytes);
    }
    await writeBlobFile(blobPath(root, index.digest), index.bytes);
    const top: OCIIndex = { schemaVersion: 2, mediaType: MEDIA_TYPES.index, manifests: entries };
    await writeBlobFile(join(root, 'index.json'), jsonBlob(top).bytes);
    await writeBlobFile(join(root, 'oci-layout'), Buffer.from(encodeJson(OCI_LAYOUT_FILE)));
    await syncDir(join(root, 'blobs', 'sha256'));
    await syncDir(join(root, 'blobs'));
    return {
      index: indexEntry,
      entries,
      images: images.map((image) => ({
        manifest: image.descriptor,
        config: { mediaType: MEDIA_TYPES.config, digest: image.config.digest, size: image.config.size },
      })),
    };
  };
  try {
    return await buildDirAtomic(out, isOciLayout, build);
  } catch (err) {
    throw inFile(out, err);
  }
}

function platformSuffix(descriptor: OCIDescriptor): string {
  const platform = descriptor.platform!;
  return platform.variant === undefined
    ? platform.architecture
    : `${platform.architecture}_${platform.variant}`;
}

/** True when `dir` holds an `oci-layout` file. */
export async function isOciLayout(dir: string): Promise<boolean> {
  try {
    await access(join(dir, 'oci-layout'));
    return true;
  } catch {
    return false;
  }
}
