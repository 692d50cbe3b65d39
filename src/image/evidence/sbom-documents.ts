import { composeImage, MEDIA_TYPES } from '../../oci/index.js';
import {
  type SbomOs,
  sbomFileName,
  toCycloneDxDocument,
  toSpdxDocument,
  toSpdxIndexDocument,
} from '../../sbom/index.js';
import type { BuiltImage } from '../build/build-image.js';

/** One SBOM of a build: per arch in both formats, and SPDX for the index. */
export interface ImageSbom {
  /** The apk arch, or `index` for the multi-arch document. */
  readonly arch: string;
  readonly format: 'spdx' | 'cdx';
  /** apko's file name (`sbom-x86_64.spdx.json`, `sbom-index.spdx.json`). */
  readonly fileName: string;
  /** The digest of the manifest (or index) the document describes. */
  readonly subjectDigest: string;
  readonly document: Record<string, unknown>;
}

export interface ImageSbomsInput {
  /** Image name written into the documents (the config path, as apko writes it). */
  readonly name: string;
  readonly images: readonly BuiltImage[];
  /** The index digest when the images were written as an OCI index. */
  readonly indexDigest?: string;
  /** Where the image is published. */
  readonly ref?: string;
  readonly toolVersion: string;
}

function osOf(img: BuiltImage, withPrettyName: boolean): SbomOs {
  if (img.osRelease === undefined) return { id: 'unknown' };
  const { id, versionId, prettyName } = img.osRelease;
  return withPrettyName ? { id, versionId, prettyName } : { id, versionId };
}

/**
 * The SBOMs of a build, as `image build --sbom-dir` writes them and `image publish --attest`
 * attaches them: SPDX 2.3 and CycloneDX per arch image, SPDX for the index.
 */
export function imageSboms(input: ImageSbomsInput): ImageSbom[] {
  const { name, images, ref, toolVersion } = input;
  const manifests = images.map((img) => composeImage(img.image).descriptor.digest);
  const out: ImageSbom[] = [];
  for (const [i, img] of images.entries()) {
    const digest = manifests[i]!;
    const doc = {
      name,
      created: img.created,
      os: osOf(img, true),
      arch: img.arch,
      subject: { kind: 'image' as const, digest, mediaType: MEDIA_TYPES.manifest, ...(ref ? { ref } : {}) },
      packages: [...img.packages],
      toolVersion,
    };
    const spdx = toSpdxDocument(doc) as unknown as Record<string, unknown>;
    const cdx = toCycloneDxDocument(doc) as unknown as Record<string, unknown>;
    out.push({
      arch: img.arch,
      format: 'spdx',
      fileName: sbomFileName(img.arch, 'spdx'),
      subjectDigest: digest,
      document: spdx,
    });
    out.push({
      arch: img.arch,
      format: 'cdx',
      fileName: sbomFileName(img.arch, 'cdx'),
      subjectDigest: digest,
      document: cdx,
    });
  }
  if (input.indexDigest !== undefined && images.length > 0) {
    const index = toSpdxIndexDocument({
      name,
      created: images[0]!.created,
      os: osOf(images[0]!, false),
      subject: { digest: input.indexDigest, mediaType: MEDIA_TYPES.index, ...(ref ? { ref } : {}) },
      images: images.map((img, i) => ({ arch: img.arch, digest: manifests[i]! })),
      toolVersion,
    }) as unknown as Record<string, unknown>;
    out.push({
      arch: 'index',
      format: 'spdx',
      fileName: sbomFileName('index', 'spdx'),
      subjectDigest: input.indexDigest,
      document: index,
    });
  }
  return out;
}
