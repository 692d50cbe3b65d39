import { join } from 'node:path';
import { parseInstalledDb } from '../../apk/index.js';
import { LarderError } from '../../core/index.js';
import { formatPlatform, type LayoutEntry, type LayoutImage, readOciLayout } from '../../oci/index.js';
import { blobFile, scanLayer } from './scan-layer.js';

/** One layer as inspected: compressed digest and size, diff_id and uncompressed size. */
export interface InspectedLayer {
  readonly digest: string;
  readonly size: number;
  readonly diffId: string;
  readonly uncompressedSize: number;
}

/** One platform's image. */
export interface InspectedImage {
  readonly platform: string;
  readonly manifest: string;
  readonly config: string;
  readonly created?: string;
  readonly entrypoint?: readonly string[];
  readonly cmd?: readonly string[];
  readonly layers: readonly InspectedLayer[];
  /** `[name, version]` from the apk installed database, in database order; empty without one. */
  readonly packages: readonly (readonly [string, string])[];
}

export interface InspectedLayout {
  /** The image index digest, when the inspected entry is an index. */
  readonly index?: string;
  readonly ref?: string;
  readonly images: readonly InspectedImage[];
}

/** Reads an OCI layout's first `index.json` entry (the image index larder writes) and its images. */
export async function inspectLayout(dir: string): Promise<InspectedLayout> {
  // Layers are hashed below while they are read for the database, so read them once only.
  const layout = await readOciLayout(dir, { verifyLayers: false });
  const entry = pickEntry(layout.entries, dir);
  const images: InspectedImage[] = [];
  for (const image of entry.images) images.push(await inspectImage(dir, image));
  return {
    ...(entry.index ? { index: entry.descriptor.digest } : {}),
    ...(entry.refName !== undefined ? { ref: entry.refName } : {}),
    images,
  };
}

/** The first entry that is an image index, else the first with an image. */
function pickEntry(entries: readonly LayoutEntry[], dir: string): LayoutEntry {
  const entry =
    entries.find((e) => e.index && e.images.length > 0) ?? entries.find((e) => e.images.length > 0);
  if (!entry)
    throw new LarderError('CONFIG_INVALID', `${join(dir, 'index.json')}: names no image`, { subject: dir });
  return entry;
}

async function inspectImage(dir: string, image: LayoutImage): Promise<InspectedImage> {
  const { manifest, config, descriptor } = image;
  const diffIds = config.rootfs.diff_ids;
  const configPath = blobFile(dir, manifest.config.digest);
  if (diffIds.length !== manifest.layers.length) {
    throw new LarderError(
      'CONFIG_INVALID',
      `${configPath}: ${diffIds.length} diff_ids for ${manifest.layers.length} layers`,
      { subject: configPath },
    );
  }
  const layers: InspectedLayer[] = [];
  let db: Buffer | undefined;
  for (const [i, layer] of manifest.layers.entries()) {
    const scanned = await scanLayer(dir, layer, diffIds[i]!);
    layers.push({
      digest: layer.digest,
      size: layer.size,
      diffId: diffIds[i]!,
      uncompressedSize: scanned.size,
    });
    if (scanned.installed) db = scanned.installed;
  }
  const packages = db
    ? parseInstalledDb(db.toString('utf8'), `${manifest.config.digest}: installed database`).map(
        (p) => [p.record.name, p.record.version] as const,
      )
    : [];
  const platform = descriptor.platform ?? {
    os: config.os,
    architecture: config.architecture,
    ...(config.variant === undefined ? {} : { variant: config.variant }),
  };
  return {
    platform: formatPlatform(platform),
    manifest: descriptor.digest,
    config: manifest.config.digest,
    ...(config.created === undefined ? {} : { created: config.created }),
    ...(config.config?.Entrypoint ? { entrypoint: config.config.Entrypoint } : {}),
    ...(config.config?.Cmd ? { cmd: config.config.Cmd } : {}),
    layers,
    packages,
  };
}
