import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type InstalledPackage, parseInstalledDb } from '../../apk/index.js';
import { LarderError } from '../../core/index.js';
import {
  isOciLayout,
  type LayerInput,
  type LayoutImage,
  MEDIA_TYPES,
  type OCIImageConfig,
  platformFor,
  readOciLayout,
} from '../../oci/index.js';

/** One arch of a `contents.baseimage`: its layers, config and installed packages. */
export interface BaseImage {
  /** The OCI layout directory. */
  readonly layout: string;
  /** The base's layers, bottom first, as blob files of the layout (digests unchanged). */
  readonly layers: readonly LayerInput[];
  readonly config: OCIImageConfig;
  /** `<apkindex>/<arch>/APKINDEX`: the base's installed database, in its order. */
  readonly installed: readonly InstalledPackage[];
}

export interface ReadBaseImageOptions {
  /** OCI image layout directory (`contents.baseimage.image`, already resolved). */
  readonly image: string;
  /** Directory with `<apk-arch>/APKINDEX` files (`contents.baseimage.apkindex`, resolved). */
  readonly apkindex: string;
  /** apk arch to take from the base. */
  readonly arch: string;
}

/**
 * Reads one arch of a base image as apko's `baseimg.New` does: the layout's image index (or the
 * index it names, when `index.json` points at one), the first image whose config architecture is
 * the arch's OCI architecture, every blob verified; and `<apkindex>/<arch>/APKINDEX`, which holds
 * the base's installed database (`P:`, `V:`, `C:`..., file lists included).
 *
 * @throws LarderError NOT_FOUND naming the path for a missing layout or APKINDEX,
 *   CONFIG_INVALID for a layout without the arch or a broken layout, INSTALLED_DB_INVALID for a
 *   malformed APKINDEX.
 */
export async function readBaseImage(options: ReadBaseImageOptions): Promise<BaseImage> {
  const { image, arch } = options;
  if (!(await isOciLayout(image)))
    throw new LarderError(
      'NOT_FOUND',
      `contents.baseimage.image: ${image} is not an OCI image layout (no oci-layout file)`,
      { subject: image },
    );
  const layout = await readOciLayout(image);
  const nested = layout.entries.find((e) => e.descriptor.mediaType === MEDIA_TYPES.index);
  const images: readonly LayoutImage[] = nested?.images ?? layout.entries.flatMap((e) => e.images);
  const architecture = platformFor(arch).architecture;
  const found = images.find((i) => i.config.architecture === architecture);
  if (found === undefined) {
    const has = [...new Set(images.map((i) => i.config.architecture))].join(', ') || 'no image';
    throw new LarderError(
      'CONFIG_INVALID',
      `contents.baseimage.image: ${image} has no ${architecture} image for ${arch} (it has ${has})`,
      { subject: image },
    );
  }
  const diffIds = found.config.rootfs.diff_ids;
  if (diffIds.length !== found.manifest.layers.length)
    throw new LarderError(
      'CONFIG_INVALID',
      `contents.baseimage.image: ${image}: ${arch} image has ${diffIds.length} diff_ids for ${found.manifest.layers.length} layers`,
      { subject: image },
    );
  const layers = found.manifest.layers.map(
    (l, i): LayerInput => ({
      mediaType: l.mediaType,
      digest: l.digest,
      size: l.size,
      diffId: diffIds[i]!,
      blobPath: join(image, 'blobs', ...l.digest.split(':')),
    }),
  );
  return { layout: image, layers, config: found.config, installed: await readInstalled(options) };
}

async function readInstalled(options: ReadBaseImageOptions): Promise<InstalledPackage[]> {
  const path = join(options.apkindex, options.arch, 'APKINDEX');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw new LarderError(
      missing ? 'NOT_FOUND' : 'IO',
      `contents.baseimage.apkindex: ${path}: ${missing ? `no APKINDEX for ${options.arch}` : (err as Error).message}`,
      { cause: err, subject: path },
    );
  }
  return parseInstalledDb(text, path);
}
