import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import {
  loadSigningKey,
  passwordFromEnv,
  resolveDigest,
  signDigest,
  signDigestBundle,
} from '../../attest/index.js';
import { inFile, LarderError } from '../../core/index.js';
import {
  dockerConfigCredentials,
  MEDIA_TYPES,
  type OCIDescriptor,
  type OCIIndex,
  parseImageReference,
  RegistryClient,
} from '../../oci/index.js';
import { globalsOf } from '../program.js';
import { progressRenderer } from '../progress.js';

const INDEX_TYPES: ReadonlySet<string> = new Set([MEDIA_TYPES.index, MEDIA_TYPES.dockerManifestList]);

/** Which signature forms `sign` writes. */
export const SIGN_FORMATS = ['legacy', 'bundle', 'both'] as const;
export type SignFormat = (typeof SIGN_FORMATS)[number];

function parseFormat(value: string | undefined): SignFormat {
  const format = value ?? 'both';
  if (!(SIGN_FORMATS as readonly string[]).includes(format)) {
    throw new LarderError('USAGE', `--format '${format}': expected one of ${SIGN_FORMATS.join(', ')}`);
  }
  return format as SignFormat;
}

/**
 * `larder sign REF --key KEY [--format legacy|bundle|both] [--recursive] [--insecure]`: signs
 * REF's manifest digest (an index stays the index; with --recursive also each of its manifests)
 * in cosign's two forms: `legacy`, the simple-signing layer at the `sha256-<hex>.sig` tag, and
 * `bundle`, a sigstore bundle v0.3 (DSSE, predicate https://sigstore.dev/cosign/sign/v1) attached
 * as an OCI 1.1 referrer (cosign v3's default). Default both. Prints one line per form per
 * digest, `DIGEST FORM MANIFEST-DIGEST`, with ` (already signed)` when this key's signature was
 * there already; MANIFEST-DIGEST is the `.sig` manifest or the referrer manifest.
 */
export async function signCommand(
  ref: string,
  opts: { key: string; format?: string; recursive?: boolean; insecure?: boolean },
  cmd: Command,
): Promise<void> {
  const format = parseFormat(opts.format);
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
    const subjects: OCIDescriptor[] = [
      { mediaType: top.mediaType, digest: top.digest, size: top.bytes.length },
    ];
    if (opts.recursive === true && INDEX_TYPES.has(top.mediaType)) {
      const index = JSON.parse(top.bytes.toString('utf8')) as OCIIndex;
      for (const child of index.manifests) {
        subjects.push({ mediaType: child.mediaType, digest: child.digest, size: child.size });
      }
    }
    const already = (added: boolean) => (added ? '' : ' (already signed)');
    for (const subject of subjects) {
      if (format !== 'bundle') {
        const done = await signDigest(client, image, subject.digest, key);
        process.stdout.write(`${subject.digest} legacy ${done.signatureManifest}${already(done.added)}\n`);
      }
      if (format !== 'legacy') {
        const done = await signDigestBundle(client, image, subject, key);
        process.stdout.write(`${subject.digest} bundle ${done.manifestDigest}${already(done.added)}\n`);
      }
    }
  } finally {
    progress.close();
    await client.close();
  }
}
