import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { loadSigningKey, passwordFromEnv, resolveDigest, signDigest } from '../../attest/index.js';
import { inFile } from '../../core/index.js';
import {
  dockerConfigCredentials,
  MEDIA_TYPES,
  type OCIIndex,
  parseImageReference,
  RegistryClient,
} from '../../oci/index.js';
import { globalsOf } from '../program.js';
import { progressRenderer } from '../progress.js';

const INDEX_TYPES: ReadonlySet<string> = new Set([MEDIA_TYPES.index, MEDIA_TYPES.dockerManifestList]);

/**
 * `larder sign REF --key KEY [--recursive] [--insecure]`: signs REF's manifest digest (an index
 * stays the index; with --recursive also each of its manifests) in cosign's legacy layout, the
 * `sha256-<hex>.sig` tag beside the image. Prints `DIGEST SIGNATURE-MANIFEST-DIGEST` per signed
 * digest, with `(already signed)` when this key's signature was there already.
 */
export async function signCommand(
  ref: string,
  opts: { key: string; recursive?: boolean; insecure?: boolean },
  cmd: Command,
): Promise<void> {
  const image = parseImageReference(ref);
  const password = passwordFromEnv();
  const key = await readFile(opts.key, 'utf8')
    .then((pem) =>
      loadSigningKey(pem, { subject: opts.key, ...(password === undefined ? {} : { password }) }),
    )
    .catch((err: unknown) => {
      throw inFile(opts.key, err);
    });
  const progress = progressRenderer(process.stderr, { quiet: globalsOf(cmd).quiet });
  const client = new RegistryClient({
    auth: dockerConfigCredentials(),
    onProgress: progress.listener,
    ...(opts.insecure === true ? { insecure: true } : {}),
  });
  try {
    const top = await resolveDigest(client, image);
    const digests = [top.digest];
    if (opts.recursive === true && INDEX_TYPES.has(top.mediaType)) {
      const index = JSON.parse(top.bytes.toString('utf8')) as OCIIndex;
      for (const child of index.manifests) digests.push(child.digest);
    }
    for (const digest of digests) {
      const done = await signDigest(client, image, digest, key);
      process.stdout.write(`${digest} ${done.signatureManifest}${done.added ? '' : ' (already signed)'}\n`);
    }
  } finally {
    progress.close();
    await client.close();
  }
}
