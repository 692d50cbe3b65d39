// An OCI image layout: pick the image for the platform, stream its layers lowest first (checking
// each blob's size and digest as it passes), and catalogue the filesystem they make.
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { LarderError } from '../../../core/index.js';
import { type LayoutImage, MEDIA_TYPES, type OCIPlatform, readOciLayout } from '../../../oci/index.js';
import type { Catalog, Distro } from '../../model.js';
import type { LayerScan } from '../scan/layer-collector.js';
import { catalogRootfs } from '../scan/rootfs.js';
import { type LayerCompression, scanTarStream } from '../scan/tar-stream.js';
import { pickPlatform } from './platform.js';

/** What an image target is catalogued with. */
export interface ImageCatalogOptions {
  readonly platform?: string;
  readonly distro?: Distro;
}

const GZIP = new Set<string>([MEDIA_TYPES.layerGzip, MEDIA_TYPES.dockerLayerGzip]);
const PLAIN = new Set<string>([MEDIA_TYPES.layerTar, 'application/vnd.docker.image.rootfs.diff.tar']);

/**
 * Catalogues the image of an OCI layout at `dir`. `target` names it in the catalog and errors;
 * `kind` and `names` let a registry pull reuse this.
 * @throws LarderError TARGET_INVALID for a corrupt layout or layer.
 */
export async function catalogOciLayout(
  dir: string,
  target: string,
  options: ImageCatalogOptions,
  source: { kind: string; names?: readonly string[] } = { kind: 'oci-layout' },
): Promise<Catalog> {
  let images: Array<{ image: LayoutImage; platform: OCIPlatform; names: string[] }>;
  try {
    const layout = await readOciLayout(dir, { verifyLayers: false });
    const byDigest = new Map<string, { image: LayoutImage; platform: OCIPlatform; names: string[] }>();
    for (const entry of layout.entries) {
      for (const image of entry.images) {
        const known = byDigest.get(image.descriptor.digest);
        const item = known ?? { image, platform: platformOf(image), names: [] };
        if (entry.refName !== undefined && !item.names.includes(entry.refName))
          item.names.push(entry.refName);
        byDigest.set(image.descriptor.digest, item);
      }
    }
    images = [...byDigest.values()];
  } catch (err) {
    if (!(err instanceof LarderError) || err.code === 'IO') throw err;
    throw new LarderError('TARGET_INVALID', `${target}: not a readable OCI layout: ${err.message}`, {
      cause: err,
      subject: target,
    });
  }
  const chosen = pickPlatform(images, options.platform, target);
  const warnings: string[] = [];
  const layers: LayerScan[] = [];
  for (const layer of chosen.image.manifest.layers) {
    const path = join(dir, 'blobs', ...layer.digest.split(':'));
    const compression: LayerCompression = GZIP.has(layer.mediaType)
      ? 'gzip'
      : PLAIN.has(layer.mediaType)
        ? 'none'
        : layer.mediaType.endsWith('zstd')
          ? fail(target, `layer ${layer.digest} is zstd-compressed, which is not supported`)
          : 'detect';
    const read = await scanTarStream(createReadStream(path) as AsyncIterable<Buffer>, {
      compression,
      name: path,
      warn: (m) => warnings.push(m),
    }).catch((err: unknown) => {
      const code = (err as { cause?: NodeJS.ErrnoException }).cause?.code;
      throw code === 'ENOENT'
        ? new LarderError('TARGET_INVALID', `${path}: layer blob is missing`, { cause: err, subject: path })
        : err;
    });
    if (read.digest !== layer.digest || read.size !== layer.size) {
      fail(
        path,
        `layer is ${read.size} bytes with digest ${read.digest}; the manifest says ${layer.size} bytes, ${layer.digest}`,
      );
    }
    layers.push(read.scan);
  }
  const names = [...(source.names ?? []), ...chosen.names];
  return catalogRootfs({
    source: {
      kind: source.kind,
      target,
      digest: chosen.image.descriptor.digest,
      ...(names.length === 0 ? {} : { names }),
    },
    layers,
    ...(options.distro === undefined ? {} : { distro: options.distro }),
    warnings,
  });
}

function platformOf(image: LayoutImage): OCIPlatform {
  const p = image.descriptor.platform;
  if (p !== undefined) return p;
  const c = image.config;
  return {
    os: c.os,
    architecture: c.architecture,
    ...(c.variant === undefined ? {} : { variant: c.variant }),
  };
}

function fail(subject: string, why: string): never {
  throw new LarderError('TARGET_INVALID', `${subject}: ${why}`, { subject });
}
