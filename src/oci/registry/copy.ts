import { isLarderError, LarderError } from '../../core/index.js';
import {
  formatImageReference,
  type ImageReference,
  parseImageReference,
  withDefaultTag,
} from '../reference.js';
import type { OCIDescriptor } from '../types.js';
import { checkIndex, checkManifest, parseJsonDocument } from '../validate.js';
import type { ExpectedBlob } from './blobs.js';
import { RegistryClient } from './client.js';
import { describe, type RepositoryName } from './context.js';
import { isRetryable, type RegistryStatusCause } from './errors.js';
import { INDEX_TYPES, MANIFEST_TYPES } from './layout-walk.js';
import type { ManifestResponse } from './manifests.js';
import { mapLimit } from './pool.js';
import { referrersTag } from './referrers.js';

export interface CopyImageOptions {
  /** More tags to put the copied image under (besides the destination's own tag). */
  readonly tags?: readonly string[];
  /** The client to use (and keep open); a default one is made and closed otherwise. */
  readonly client?: RegistryClient;
  /**
   * Also copy what is attached to the image and each of its manifests: referrers (API or
   * fallback tag; re-indexed at the destination) and cosign's `sha256-<hex>.sig|.att|.sbom`
   * tags. True by default.
   */
  readonly attached?: boolean;
}

/** What a copy did: the digest (unchanged from the source) and how each blob got there. */
export interface CopyImageResult {
  readonly digest: string;
  readonly mediaType: string;
  readonly manifests: number;
  readonly tags: readonly string[];
  readonly blobs: { readonly exists: number; readonly mounted: number; readonly uploaded: number };
  /** Referrers and cosign tag artifacts copied along. */
  readonly attached: number;
}

/** cosign's tag-based artifacts of a digest: `sha256-<hex>.sig`, `.att`, `.sbom`. */
const COSIGN_SUFFIXES = ['sig', 'att', 'sbom'] as const;

/** Blobs up to this size are held in memory between GET and PUT; larger ones are streamed. */
const IN_MEMORY = 4 * 1024 * 1024;
const MAX_DEPTH = 4;

/**
 * Copies an image (a manifest, or an index with every platform) from one repository to
 * another, byte for byte, so its digest stays the same. Blobs the destination has are skipped;
 * on the same registry they are mounted across repositories; otherwise they are downloaded
 * (verified against their digests) and uploaded. Manifests go by digest, children before
 * parents, then the top one under the destination's tag (the source's tag when the
 * destination names neither tag nor digest) and every extra tag.
 */
export async function copyImage(
  src: ImageReference | string,
  dst: ImageReference | string,
  options: CopyImageOptions = {},
): Promise<CopyImageResult> {
  const source = withDefaultTag(typeof src === 'string' ? parseImageReference(src) : src);
  const given = typeof dst === 'string' ? parseImageReference(dst) : dst;
  const target: ImageReference =
    given.tag === undefined && given.digest === undefined && source.tag !== undefined
      ? { ...given, tag: source.tag }
      : given;
  const client = options.client ?? new RegistryClient();
  try {
    const top = await client.getManifest(source, source.digest ?? source.tag!);
    if (target.digest !== undefined && target.digest !== top.digest) {
      throw new LarderError(
        'USAGE',
        `${formatImageReference(target)} names ${target.digest}, but ${formatImageReference(source)} is ${top.digest}`,
      );
    }
    const counts = { exists: 0, mounted: 0, uploaded: 0 };
    // What is attached is looked up in the source while the blobs transfer, and copied after.
    let discovery: Promise<Attached[][]> | undefined;
    const documents = await transfer(client, source, target, top, counts, (digests) => {
      if (options.attached === false) return;
      discovery = Promise.all(digests.map((digest) => findAttached(client, source, digest)));
      discovery.catch(() => {}); // awaited below; a failed transfer must not leave it unhandled
    });
    const tags = [...new Set([...(target.tag === undefined ? [] : [target.tag]), ...(options.tags ?? [])])];
    if (tags.length === 0) await client.putManifest(target, top.digest, top.bytes, top.mediaType);
    for (const tag of tags) await client.putManifest(target, tag, top.bytes, top.mediaType);
    let attached = 0;
    for (const found of discovery === undefined ? [] : await discovery) {
      for (const item of found) await copyAttached(client, source, target, item, counts);
      attached += found.length;
    }
    return {
      digest: top.digest,
      mediaType: top.mediaType,
      manifests: documents.length,
      tags,
      blobs: counts,
      attached,
    };
  } finally {
    if (options.client === undefined) await client.close();
  }
}

type Counts = { exists: number; mounted: number; uploaded: number };

/**
 * Copies what a manifest or index reaches (blobs, then child manifests by digest), but not the
 * top document itself; returns the digests of every document, children first, top last.
 */
async function transfer(
  client: RegistryClient,
  source: ImageReference,
  target: ImageReference,
  top: ManifestResponse,
  counts: Counts,
  walked?: (digests: string[]) => void,
): Promise<string[]> {
  const documents: Array<{ digest: string; mediaType: string; bytes: Buffer }> = [];
  const blobs = new Map<string, OCIDescriptor>();
  const seen = new Set<string>();
  const visit = async (digest: string, mediaType: string, bytes: Buffer, depth: number): Promise<void> => {
    if (seen.has(digest)) return;
    seen.add(digest);
    const where = describe(source, digest);
    const doc = parseJsonDocument(bytes, where);
    if (INDEX_TYPES.has(mediaType)) {
      if (depth >= MAX_DEPTH)
        throw new LarderError('FETCH_FAILED', `${where}: indexes nest deeper than ${MAX_DEPTH}`);
      for (const child of checkIndex(doc, where).manifests) {
        if (!MANIFEST_TYPES.has(child.mediaType) && !INDEX_TYPES.has(child.mediaType)) continue;
        const got = await client.getManifest(source, child.digest);
        if (got.bytes.length !== child.size) {
          throw new LarderError(
            'FETCH_FAILED',
            `${describe(source, child.digest)}: ${got.bytes.length} bytes, the index says ${child.size}`,
          );
        }
        await visit(got.digest, child.mediaType, got.bytes, depth + 1);
      }
    } else if (MANIFEST_TYPES.has(mediaType)) {
      const manifest = checkManifest(doc, where);
      for (const blob of [manifest.config, ...manifest.layers]) blobs.set(blob.digest, blob);
    } else {
      throw new LarderError('FETCH_FAILED', `${where}: cannot copy a document of media type ${mediaType}`);
    }
    documents.push({ digest, mediaType, bytes });
  };
  await visit(top.digest, top.mediaType, top.bytes, 0);
  walked?.(documents.map((d) => d.digest));

  const sameRegistry = source.registry === target.registry && source.repository !== target.repository;
  // Largest first, so that no big blob starts last and runs alone.
  const ordered = [...blobs.values()].sort((a, b) => b.size - a.size);
  await mapLimit(ordered, client.parallel, async (blob) => {
    if ((await client.headBlob(target, blob.digest)) !== undefined) {
      counts.exists++;
      return;
    }
    if (sameRegistry && (await mountIfAllowed(client, target, blob.digest, source.repository))) {
      counts.mounted++;
      return;
    }
    if (blob.size <= IN_MEMORY) {
      const bytes = await fetchBytes(client, source, blob);
      await client.pushBlob(target, { digest: blob.digest, size: blob.size, bytes }, { absent: true });
    } else {
      // Streamed from the GET into the PUT (each attempt GETs again). The size is checked as
      // the bytes pass; the digest by the destination, which hashes what the PUT carries.
      const expected: ExpectedBlob = { digest: blob.digest, size: blob.size, check: 'size' };
      const open = () => client.getBlob(source, expected);
      try {
        await client.pushBlob(target, { digest: blob.digest, size: blob.size, open }, { absent: true });
      } catch (err) {
        const codes = ((err as Error).cause as Partial<RegistryStatusCause> | undefined)?.codes ?? [];
        if (!codes.includes('DIGEST_INVALID')) throw err;
        throw new LarderError(
          'FETCH_FAILED',
          `${describe(source, blob.digest)}: the source sent bytes whose digest is not ${blob.digest} (${describe(target)} refused them)`,
          { cause: err },
        );
      }
    }
    counts.uploaded++;
  });

  for (const doc of documents) {
    if (doc.digest !== top.digest) await client.putManifest(target, doc.digest, doc.bytes, doc.mediaType);
  }
  return documents.map((d) => d.digest);
}

/** A referrer of a document, or one of cosign's tag artifacts of it, as read from the source. */
type Attached = { readonly got: ManifestResponse; readonly tag?: string };

/**
 * Finds the referrers of `digest` (API or fallback tag) and cosign's tag artifacts of `digest`
 * in the source, with their manifests.
 */
async function findAttached(
  client: RegistryClient,
  source: ImageReference,
  digest: string,
): Promise<Attached[]> {
  const referrers = async (): Promise<Attached[]> => {
    const { descriptors } = await client.listReferrers(source, digest);
    const wanted = descriptors.filter((d) => MANIFEST_TYPES.has(d.mediaType) || INDEX_TYPES.has(d.mediaType));
    return Promise.all(wanted.map(async (d) => ({ got: await client.getManifest(source, d.digest) })));
  };
  const tagged = async (suffix: string): Promise<Attached[]> => {
    const tag = `${referrersTag(digest)}.${suffix}`;
    if ((await client.headManifest(source, tag)) === undefined) return [];
    return [{ got: await client.getManifest(source, tag), tag }];
  };
  const found = await Promise.all([referrers(), ...COSIGN_SUFFIXES.map(tagged)]);
  return found.flat();
}

/**
 * Copies one attached artifact with what it reaches: a referrer is pushed as a referrer (so the
 * destination indexes it, by API or fallback tag), a cosign artifact under its tag.
 */
async function copyAttached(
  client: RegistryClient,
  source: ImageReference,
  target: ImageReference,
  item: Attached,
  counts: Counts,
): Promise<void> {
  await transfer(client, source, target, item.got, counts);
  if (item.tag === undefined) await client.pushReferrer(target, item.got.bytes, item.got.mediaType);
  else await client.putManifest(target, item.tag, item.got.bytes, item.got.mediaType);
}

/** A whole blob in memory, verified; transient failures start the download again. */
async function fetchBytes(client: RegistryClient, repo: ImageReference, d: OCIDescriptor): Promise<Buffer> {
  return retrying(client, async () => {
    const parts: Uint8Array[] = [];
    for await (const chunk of await client.getBlob(repo, { digest: d.digest, size: d.size }))
      parts.push(chunk);
    return Buffer.concat(parts);
  });
}

async function retrying<T>(client: RegistryClient, attempt: () => Promise<T>): Promise<T> {
  for (let made = 1; ; made++) {
    try {
      return await attempt();
    } catch (err) {
      if (!isRetryable(err) || made > client.retries) throw err;
      client.onProgress({ kind: 'warn', message: `${(err as Error).message}; downloading it again` });
    }
  }
}

/**
 * A cross-repository mount, or false when the registry would not mount: the blob is not there,
 * or the credentials may push to the target but not pull from the source (the mount's token
 * scope then is refused as a whole), in which case the bytes are copied instead.
 */
async function mountIfAllowed(
  client: RegistryClient,
  target: RepositoryName,
  digest: string,
  from: string,
): Promise<boolean> {
  try {
    return await client.mountBlob(target, digest, from);
  } catch (err) {
    if (isLarderError(err, 'FETCH_UNAUTHORIZED')) return false;
    throw err;
  }
}
