import { LarderError } from '../../core/index.js';
import {
  formatImageReference,
  type ImageReference,
  parseImageReference,
  withDefaultTag,
} from '../reference.js';
import { RegistryClient } from './client.js';
import { planLayoutPush } from './layout-walk.js';
import { mapLimit } from './pool.js';

export interface PushLayoutOptions {
  /** More tags to put the same index under (besides the reference's own tag). */
  readonly tags?: readonly string[];
  /** The index.json entry to push, by ref name; the first entry by default. */
  readonly refName?: string;
  /** A repository of the same registry to mount blobs from instead of uploading them. */
  readonly mountFrom?: string;
  /** The client to use (and keep open); a default one is made and closed otherwise. */
  readonly client?: RegistryClient;
}

/**
 * Pushes what one index.json entry of an OCI layout reaches: every config and layer blob
 * (`parallel` at a time; those HEAD finds are skipped), then manifests by digest, children
 * before parents, then the top index (or manifest) under the reference's tag (`latest` when it
 * has none) and each extra tag. A reference with a digest must name the entry's digest.
 * Returns the digest of what was pushed, `sha256:…`.
 */
export async function pushOciLayout(
  layoutDir: string,
  ref: ImageReference | string,
  options: PushLayoutOptions = {},
): Promise<string> {
  const target = typeof ref === 'string' ? parseImageReference(ref) : ref;
  const client = options.client ?? new RegistryClient();
  try {
    const plan = await planLayoutPush(layoutDir, options.refName);
    const top = plan.top.descriptor;
    if (target.digest !== undefined && target.digest !== top.digest) {
      throw new LarderError(
        'USAGE',
        `${formatImageReference(target)} names ${target.digest}, but ${layoutDir} holds ${top.digest}`,
      );
    }
    const mount = options.mountFrom === undefined ? {} : { mountFrom: options.mountFrom };
    // Largest first, so that no big blob starts last and runs alone.
    const blobs = [...plan.blobs].sort((a, b) => b.size - a.size);
    await mapLimit(blobs, client.parallel, (blob) => client.pushBlob(target, blob, mount));
    for (const doc of plan.documents) {
      if (doc === plan.top) continue;
      await client.putManifest(target, doc.descriptor.digest, doc.bytes, doc.descriptor.mediaType);
    }
    const tagged = withDefaultTag(target);
    const tags = [...new Set([...(tagged.tag === undefined ? [] : [tagged.tag]), ...(options.tags ?? [])])];
    if (tags.length === 0) await client.putManifest(target, top.digest, plan.top.bytes, top.mediaType);
    for (const tag of tags) await client.putManifest(target, tag, plan.top.bytes, top.mediaType);
    return top.digest;
  } finally {
    if (options.client === undefined) await client.close();
  }
}
