import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type { Command } from 'commander';
import { parseInstalledDb } from '../../apk/index.js';
import { TarParser } from '../../archive/index.js';
import { LarderError } from '../../core/index.js';
import {
  dockerConfigCredentials,
  formatPlatform,
  type LayoutEntry,
  type LayoutImage,
  MEDIA_TYPES,
  type OCIDescriptor,
  parseImageReference,
  pullToOciLayout,
  RegistryClient,
  readOciLayout,
} from '../../oci/index.js';
import { globalsOf } from '../program.js';
import { progressRenderer } from '../progress.js';

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

// apko writes the database under usr/lib (lib/apk is a symlink to it); apk-tools' own layout
// has it under lib. An upper layer's database replaces a lower one's.
const INSTALLED_DB = new Set(['lib/apk/db/installed', 'usr/lib/apk/db/installed']);
const MAX_INSTALLED_DB = 256 * 1024 * 1024;
const GZIP_LAYERS = new Set<string>([
  MEDIA_TYPES.layerGzip,
  'application/vnd.docker.image.rootfs.diff.tar.gzip',
]);
const TAR_LAYERS = new Set<string>([MEDIA_TYPES.layerTar, 'application/vnd.docker.image.rootfs.diff.tar']);

/**
 * `larder image inspect OUT|REF [--json]`: per platform of an OCI layout or a registry image,
 * the manifest and config digests, layers (compressed and uncompressed, each blob hashed once
 * while read), created, entrypoint/cmd, and the packages of the installed database found in the
 * layers. A registry image is pulled (every digest verified) into a temporary layout first: the
 * packages are inside the layers.
 */
export async function imageInspectCommand(
  target: string,
  opts: { json?: boolean; insecure?: boolean },
  cmd: Command,
): Promise<void> {
  const result = (await isDirectory(target))
    ? await inspectLayout(target)
    : await inspectReference(target, opts.insecure === true, globalsOf(cmd).quiet);
  process.stdout.write(opts.json ? `${JSON.stringify(result)}\n` : renderText(result));
}

/** Pulls `ref` into a temporary OCI layout and inspects that; `ref` is shown as given. */
async function inspectReference(target: string, insecure: boolean, quiet: boolean): Promise<InspectedLayout> {
  let ref: ReturnType<typeof parseImageReference>;
  try {
    ref = parseImageReference(target);
  } catch (err) {
    throw new LarderError(
      'USAGE',
      `'${target}' is neither an OCI layout directory nor an image reference: ${(err as Error).message}`,
      { cause: err },
    );
  }
  const progress = progressRenderer(process.stderr, { quiet });
  const client = new RegistryClient({
    auth: dockerConfigCredentials(),
    onProgress: progress.listener,
    ...(insecure ? { insecure: true } : {}),
  });
  const dir = await mkdtemp(join(tmpdir(), 'larder-inspect-'));
  try {
    await pullToOciLayout(ref, join(dir, 'layout'), { client });
    const inspected = await inspectLayout(join(dir, 'layout'));
    return { ...inspected, ref: target };
  } finally {
    progress.close();
    await client.close();
    await rm(dir, { recursive: true, force: true });
  }
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

/**
 * Streams one layer blob: sha256 of the compressed bytes (checked against the descriptor), of
 * the tar (checked against the diff_id), its length, and the installed database if present.
 */
async function scanLayer(
  dir: string,
  layer: OCIDescriptor,
  diffId: string,
): Promise<{ size: number; installed?: Buffer }> {
  const path = blobFile(dir, layer.digest);
  let decode: Transform;
  if (GZIP_LAYERS.has(layer.mediaType)) decode = createGunzip();
  else if (TAR_LAYERS.has(layer.mediaType)) decode = new PassThrough();
  else
    throw new LarderError('CONFIG_INVALID', `${path}: layer media type ${layer.mediaType} is not supported`);

  const compressed = createHash('sha256');
  const uncompressed = createHash('sha256');
  const parser = new TarParser();
  let compressedSize = 0;
  let size = 0;
  let collecting: Buffer[] | undefined;
  let collected = 0;
  let installed: Buffer | undefined;
  try {
    await pipeline(
      createReadStream(path),
      async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          compressed.update(chunk);
          compressedSize += chunk.length;
          yield chunk;
        }
      },
      decode,
      async (source: AsyncIterable<Buffer>) => {
        for await (const chunk of source) {
          uncompressed.update(chunk);
          size += chunk.length;
          for (const ev of parser.write(chunk)) {
            if (ev.type === 'entry') {
              const name = ev.header.name.replace(/^(\.?\/)+/, '');
              collecting = ev.header.type === 'file' && INSTALLED_DB.has(name) ? [] : undefined;
              collected = 0;
              if (collecting && ev.header.size > MAX_INSTALLED_DB)
                throw new LarderError('CONFIG_INVALID', `${name} of ${ev.header.size} bytes is too large`);
            } else if (ev.type === 'data' && collecting) {
              collecting.push(Buffer.from(ev.bytes));
              collected += ev.bytes.length;
            } else if (ev.type === 'entry-end' && collecting) {
              installed = Buffer.concat(collecting, collected);
              collecting = undefined;
            }
          }
        }
      },
    );
  } catch (err) {
    if (err instanceof LarderError)
      throw new LarderError(err.code, `${path}: ${err.message}`, { cause: err, subject: path });
    throw new LarderError('CONFIG_INVALID', `${path}: cannot read layer: ${(err as Error).message}`, {
      cause: err,
      subject: path,
    });
  }
  const digest = `sha256:${compressed.digest('hex')}`;
  if (compressedSize !== layer.size || digest !== layer.digest)
    throw new LarderError(
      'CONFIG_INVALID',
      `${path}: content is ${digest} (${compressedSize} bytes), the manifest says ${layer.digest} (${layer.size} bytes)`,
      { subject: path },
    );
  const tarDigest = `sha256:${uncompressed.digest('hex')}`;
  if (tarDigest !== diffId)
    throw new LarderError(
      'CONFIG_INVALID',
      `${path}: uncompressed content is ${tarDigest}, the diff_id says ${diffId}`,
      { subject: path },
    );
  return { size, ...(installed ? { installed } : {}) };
}

function renderText(result: InspectedLayout): string {
  const lines: string[] = [];
  if (result.index) lines.push(`index: ${result.index}`);
  if (result.ref) lines.push(`ref: ${result.ref}`);
  for (const img of result.images) {
    const compressed = img.layers.reduce((n, l) => n + l.size, 0);
    const uncompressed = img.layers.reduce((n, l) => n + l.uncompressedSize, 0);
    lines.push('', `${img.platform}`, `  manifest:   ${img.manifest}`, `  config:     ${img.config}`);
    if (img.created !== undefined) lines.push(`  created:    ${img.created}`);
    if (img.entrypoint) lines.push(`  entrypoint: ${JSON.stringify(img.entrypoint)}`);
    if (img.cmd) lines.push(`  cmd:        ${JSON.stringify(img.cmd)}`);
    lines.push(
      `  size:       ${formatSize(compressed)} compressed, ${formatSize(uncompressed)} uncompressed`,
    );
    lines.push(`  layers:     ${img.layers.length}`);
    for (const l of img.layers) {
      lines.push(
        `    ${l.digest}  ${l.size} bytes (${l.uncompressedSize} uncompressed, diff_id ${l.diffId})`,
      );
    }
    lines.push(`  packages:   ${img.packages.length}`);
    for (const [name, version] of img.packages) lines.push(`    ${name} ${version}`);
  }
  return `${lines.join('\n').replace(/^\n/, '')}\n`;
}

function formatSize(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(1)} ${units[u]}`;
}

function blobFile(dir: string, digest: string): string {
  const [algorithm, hex] = digest.split(':', 2);
  return join(dir, 'blobs', algorithm ?? '', hex ?? '');
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
