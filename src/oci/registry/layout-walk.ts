import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { LarderError } from '../../core/index.js';
import { blobPath } from '../blob-files.js';
import { sha256Digest } from '../json.js';
import { ANNOTATIONS, MEDIA_TYPES, type OCIDescriptor } from '../types.js';
import { checkIndex, checkManifest, parseJsonDocument } from '../validate.js';
import type { BlobSource } from './upload.js';

export const MANIFEST_TYPES: ReadonlySet<string> = new Set([
  MEDIA_TYPES.manifest,
  MEDIA_TYPES.dockerManifest,
]);
export const INDEX_TYPES: ReadonlySet<string> = new Set([MEDIA_TYPES.index, MEDIA_TYPES.dockerManifestList]);

/** A manifest or index to PUT: its exact bytes as they are in the layout. */
export interface LayoutDocument {
  readonly descriptor: OCIDescriptor;
  readonly bytes: Buffer;
}

/** Everything one index.json entry reaches: blobs, and documents with children before parents. */
export interface LayoutPlan {
  readonly top: LayoutDocument;
  readonly blobs: readonly BlobSource[];
  readonly documents: readonly LayoutDocument[];
}

const MAX_DEPTH = 4;

/**
 * Finds the index.json entry (by `org.opencontainers.image.ref.name` when `refName` is given,
 * else the first) and collects what it reaches. Manifests and indexes are read and checked
 * against their digests; config and layer blobs are checked by size (the registry verifies
 * their digests on upload). Throws CONFIG_INVALID for a broken layout, USAGE for a missing ref.
 */
export async function planLayoutPush(dir: string, refName?: string): Promise<LayoutPlan> {
  const indexFile = join(dir, 'index.json');
  const index = checkIndex(parseJsonDocument(await read(indexFile), indexFile), indexFile);
  const entry =
    refName === undefined
      ? index.manifests[0]
      : index.manifests.find((d) => d.annotations?.[ANNOTATIONS.refName] === refName);
  if (entry === undefined) {
    throw new LarderError(
      'USAGE',
      `${indexFile} has no entry${refName === undefined ? '' : ` named ${refName}`}`,
      {
        subject: indexFile,
      },
    );
  }
  const blobs = new Map<string, BlobSource>();
  const documents = new Map<string, LayoutDocument>();
  const addBlob = async (d: OCIDescriptor): Promise<void> => {
    if (blobs.has(d.digest)) return;
    const path = blobPath(dir, d.digest);
    let size: number;
    try {
      size = (await stat(path)).size;
    } catch {
      if (d.urls !== undefined && d.urls.length > 0) return; // non-distributable: stays where its urls say
      throw invalid(path, 'blob is missing');
    }
    if (size !== d.size) throw invalid(path, `size is ${size} bytes, the descriptor says ${d.size}`);
    blobs.set(d.digest, { digest: d.digest, size, path });
  };
  const visit = async (d: OCIDescriptor, depth: number): Promise<LayoutDocument> => {
    const path = blobPath(dir, d.digest);
    const known = documents.get(d.digest);
    if (known !== undefined) return known;
    if (depth > MAX_DEPTH) throw invalid(path, `indexes nest deeper than ${MAX_DEPTH}`);
    if (!MANIFEST_TYPES.has(d.mediaType) && !INDEX_TYPES.has(d.mediaType)) {
      throw invalid(path, `cannot push a descriptor of media type ${d.mediaType}`);
    }
    const bytes = await read(path);
    if (bytes.length !== d.size || sha256Digest(bytes) !== d.digest) {
      throw invalid(path, `content does not match its descriptor (${d.digest}, ${d.size} bytes)`);
    }
    const doc = parseJsonDocument(bytes, path);
    if (INDEX_TYPES.has(d.mediaType)) {
      for (const child of checkIndex(doc, path).manifests) await visit(child, depth + 1);
    } else {
      const manifest = checkManifest(doc, path);
      await addBlob(manifest.config);
      for (const layer of manifest.layers) await addBlob(layer);
    }
    const document = { descriptor: d, bytes };
    documents.set(d.digest, document);
    return document;
  };
  const top = await visit(entry, 0);
  return { top, blobs: [...blobs.values()], documents: [...documents.values()] };
}

async function read(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw invalid(path, 'missing');
    throw new LarderError('IO', `${path}: ${(err as Error).message}`, { cause: err, subject: path });
  }
}

function invalid(path: string, why: string): LarderError {
  return new LarderError('CONFIG_INVALID', `${path}: ${why}`, { subject: path });
}
