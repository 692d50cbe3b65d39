import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { LarderError } from '../core/index.js';
import { blobPath } from './blob-files.js';
import { sha256Digest } from './json.js';
import {
  ANNOTATIONS,
  MEDIA_TYPES,
  type OCIDescriptor,
  type OCIImageConfig,
  type OCIIndex,
  type OCIManifest,
} from './types.js';
import { checkImageConfig, checkIndex, checkManifest, parseJsonDocument } from './validate.js';

/** One image found in a layout, every blob of it verified. */
export interface LayoutImage {
  /** The manifest's descriptor as its parent lists it (with `platform` when from an index). */
  readonly descriptor: OCIDescriptor;
  readonly manifest: OCIManifest;
  readonly config: OCIImageConfig;
}

/** One `index.json` entry and the images under it. */
export interface LayoutEntry {
  readonly descriptor: OCIDescriptor;
  /** Its `org.opencontainers.image.ref.name`, if any. */
  readonly refName?: string;
  /** The image index, when the entry names one. */
  readonly index?: OCIIndex;
  readonly images: readonly LayoutImage[];
}

export interface OCILayoutContents {
  /** `index.json` itself. */
  readonly index: OCIIndex;
  readonly entries: readonly LayoutEntry[];
}

export interface ReadLayoutOptions {
  /** Hash every layer blob too (streamed); default true. Sizes are always checked. */
  readonly verifyLayers?: boolean;
}

const MANIFESTS = new Set<string>([MEDIA_TYPES.manifest, MEDIA_TYPES.dockerManifest]);
const INDEXES = new Set<string>([MEDIA_TYPES.index, MEDIA_TYPES.dockerManifestList]);
const MAX_DOCUMENT = 4 * 1024 * 1024;
const MAX_DEPTH = 4;

/**
 * Reads an OCI image layout: `oci-layout`, `index.json`, then every index, manifest and config
 * it reaches, checking the size and sha256 of every blob (layers included unless
 * `verifyLayers: false`). Entries of unknown media types are kept with no images, as the spec
 * asks. Throws CONFIG_INVALID (naming file and field) for a malformed or altered layout.
 */
export async function readOciLayout(
  dir: string,
  options: ReadLayoutOptions = {},
): Promise<OCILayoutContents> {
  const verifyLayers = options.verifyLayers ?? true;
  const layoutFile = join(dir, 'oci-layout');
  const header = parseJsonDocument(await readDocument(layoutFile), layoutFile);
  if (header.imageLayoutVersion !== '1.0.0') {
    invalid(
      layoutFile,
      `imageLayoutVersion is ${JSON.stringify(header.imageLayoutVersion)}, expected "1.0.0"`,
    );
  }
  const indexFile = join(dir, 'index.json');
  const index = checkIndex(parseJsonDocument(await readDocument(indexFile), indexFile), indexFile);

  const blob = async (d: OCIDescriptor, what: string): Promise<Buffer> => {
    if (d.size > MAX_DOCUMENT) invalid(blobPath(dir, d.digest), `${what} of ${d.size} bytes is too large`);
    const path = blobPath(dir, d.digest);
    const bytes = await readDocument(path);
    checkBlob(path, d, bytes.length, sha256Digest(bytes));
    return bytes;
  };
  const image = async (d: OCIDescriptor): Promise<LayoutImage> => {
    const where = blobPath(dir, d.digest);
    const manifest = checkManifest(parseJsonDocument(await blob(d, 'manifest'), where), where);
    const configWhere = blobPath(dir, manifest.config.digest);
    const config = checkImageConfig(
      parseJsonDocument(await blob(manifest.config, 'config'), configWhere),
      configWhere,
    );
    for (const layer of manifest.layers) await checkLayer(dir, layer, verifyLayers);
    return { descriptor: d, manifest, config };
  };
  const images = async (
    d: OCIDescriptor,
    depth: number,
  ): Promise<{ index?: OCIIndex; images: LayoutImage[] }> => {
    if (MANIFESTS.has(d.mediaType)) return { images: [await image(d)] };
    if (!INDEXES.has(d.mediaType)) return { images: [] };
    if (depth >= MAX_DEPTH) invalid(blobPath(dir, d.digest), `indexes nest deeper than ${MAX_DEPTH}`);
    const where = blobPath(dir, d.digest);
    const nested = checkIndex(parseJsonDocument(await blob(d, 'index'), where), where);
    const found: LayoutImage[] = [];
    for (const child of nested.manifests) found.push(...(await images(child, depth + 1)).images);
    return { index: nested, images: found };
  };

  const entries: LayoutEntry[] = [];
  for (const descriptor of index.manifests) {
    const refName = descriptor.annotations?.[ANNOTATIONS.refName];
    entries.push({
      descriptor,
      ...(refName === undefined ? {} : { refName }),
      ...(await images(descriptor, 0)),
    });
  }
  return { index, entries };
}

async function checkLayer(dir: string, d: OCIDescriptor, verify: boolean): Promise<void> {
  const path = blobPath(dir, d.digest);
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (err) {
    invalid(path, `layer blob is missing (${(err as NodeJS.ErrnoException).code ?? err})`);
  }
  if (!verify) return checkBlob(path, d, size, d.digest);
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) hash.update(chunk);
  checkBlob(path, d, size, `sha256:${hash.digest('hex')}`);
}

function checkBlob(path: string, d: OCIDescriptor, size: number, digest: string): void {
  if (size !== d.size) invalid(path, `size is ${size} bytes, the descriptor says ${d.size}`);
  if (digest !== d.digest) invalid(path, `content has digest ${digest}, the descriptor says ${d.digest}`);
}

async function readDocument(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') invalid(path, 'missing');
    throw new LarderError('IO', `${path}: ${(err as Error).message}`, { cause: err, subject: path });
  }
}

function invalid(path: string, why: string): never {
  throw new LarderError('CONFIG_INVALID', `${path}: ${why}`, { subject: path });
}
