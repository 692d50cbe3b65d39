import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { inFile, LarderError } from '../../core/index.js';
import { buildDirAtomic } from '../atomic-dir.js';
import { blobPath, syncDir, writeBlobFile } from '../blob-files.js';
import { encodeJson, jsonBlob } from '../json.js';
import { isOciLayout } from '../layout.js';
import { type ImageReference, parseImageReference, withDefaultTag } from '../reference.js';
import { ANNOTATIONS, OCI_LAYOUT_FILE, type OCIDescriptor, type OCIIndex } from '../types.js';
import { checkIndex, checkManifest, parseJsonDocument } from '../validate.js';
import { RegistryClient } from './client.js';
import { describe } from './context.js';
import { isRetryable } from './errors.js';
import { INDEX_TYPES, MANIFEST_TYPES } from './layout-walk.js';
import { mapLimit } from './pool.js';

export interface PullLayoutOptions {
  /** The client to use (and keep open); a default one is made and closed otherwise. */
  readonly client?: RegistryClient;
}

/** What was pulled: the index.json entry (with the tag as its ref name). */
export interface PullLayoutResult {
  readonly descriptor: OCIDescriptor;
  readonly manifests: number;
  readonly blobs: number;
}

/**
 * Downloads an image (index, manifests, configs, layers) into a new OCI layout at `outDir`,
 * verifying every digest; written atomically (an existing `outDir` is replaced only if it is an
 * OCI layout). index.json gets one entry, named by the reference's tag. Blob downloads that
 * fail transiently start again; content with the wrong digest is FETCH_FAILED.
 */
export async function pullToOciLayout(
  ref: ImageReference | string,
  outDir: string,
  options: PullLayoutOptions = {},
): Promise<PullLayoutResult> {
  const source = withDefaultTag(typeof ref === 'string' ? parseImageReference(ref) : ref);
  const client = options.client ?? new RegistryClient();
  try {
    const top = await client.getManifest(source, source.digest ?? source.tag!);
    const descriptor: OCIDescriptor = {
      mediaType: top.mediaType,
      digest: top.digest,
      size: top.bytes.length,
      ...(source.tag === undefined ? {} : { annotations: { [ANNOTATIONS.refName]: source.tag } }),
    };
    return await buildDirAtomic(outDir, isOciLayout, async (root) => {
      await mkdir(join(root, 'blobs', 'sha256'), { recursive: true });
      const blobs = new Map<string, OCIDescriptor>();
      let manifests = 0;
      const visit = async (d: OCIDescriptor, bytes: Buffer, depth: number): Promise<void> => {
        const where = `${describe(source, d.digest)}`;
        await writeBlobFile(blobPath(root, d.digest), bytes);
        manifests++;
        const doc = parseJsonDocument(bytes, where);
        if (INDEX_TYPES.has(d.mediaType) && depth < 4) {
          for (const child of checkIndex(doc, where).manifests) {
            if (!MANIFEST_TYPES.has(child.mediaType) && !INDEX_TYPES.has(child.mediaType)) continue;
            const got = await client.getManifest(source, child.digest);
            if (got.bytes.length !== child.size) {
              throw new LarderError(
                'FETCH_FAILED',
                `${describe(source, child.digest)}: ${got.bytes.length} bytes, the index says ${child.size}`,
              );
            }
            await visit(child, got.bytes, depth + 1);
          }
        } else if (MANIFEST_TYPES.has(d.mediaType)) {
          const manifest = checkManifest(doc, where);
          for (const blob of [manifest.config, ...manifest.layers]) blobs.set(blob.digest, blob);
        }
      };
      await visit(descriptor, top.bytes, 0);
      const all = [...blobs.values()];
      await mapLimit(all, client.parallel, (blob) =>
        download(client, source, blob, blobPath(root, blob.digest)),
      );
      const index: OCIIndex = {
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        manifests: [descriptor],
      };
      await writeBlobFile(join(root, 'index.json'), jsonBlob(index).bytes);
      await writeBlobFile(join(root, 'oci-layout'), Buffer.from(encodeJson(OCI_LAYOUT_FILE)));
      await syncDir(join(root, 'blobs', 'sha256'));
      return { descriptor, manifests, blobs: all.length };
    });
  } catch (err) {
    throw err instanceof LarderError && err.code.startsWith('FETCH_') ? err : inFile(outDir, err);
  } finally {
    if (options.client === undefined) await client.close();
  }
}

/** Streams one blob to a temporary file beside `path`, verified, then renames it into place. */
async function download(
  client: RegistryClient,
  repo: ImageReference,
  d: OCIDescriptor,
  path: string,
): Promise<void> {
  for (let made = 1; ; made++) {
    const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      const body = await client.getBlob(repo, { digest: d.digest, size: d.size });
      const handle = await open(tmp, 'wx', 0o644);
      try {
        for await (const chunk of body) await handle.write(chunk);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(tmp, path);
      return;
    } catch (err) {
      await rm(tmp, { force: true });
      if (!isRetryable(err) || made > client.retries) throw err;
      client.onProgress({ kind: 'warn', message: `${(err as Error).message}; downloading it again` });
    }
  }
}
