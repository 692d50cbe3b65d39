import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { loadVerifyingKey, resolveDigest, verifyDigest } from '../../attest/index.js';
import { inFile } from '../../core/index.js';
import { dockerConfigCredentials, parseImageReference, RegistryClient } from '../../oci/index.js';
import { ExitStatus, globalsOf } from '../program.js';
import { progressRenderer } from '../progress.js';

/**
 * `larder verify REF --key PUB [--insecure]`: checks every signature at REF's
 * `sha256-<hex>.sig` tag with the public key, one line each: `OK DIGEST signed by PUB` or
 * `BAD LAYER-DIGEST: reason`. Exit 0 when at least one valid signature by the key covers REF's
 * exact digest, 1 when none does (or there is no `.sig` tag), 2 on errors.
 */
export async function verifyCommand(
  ref: string,
  opts: { key: string; insecure?: boolean },
  cmd: Command,
): Promise<void> {
  const image = parseImageReference(ref);
  const key = await readFile(opts.key, 'utf8')
    .then((pem) => loadVerifyingKey(pem, { subject: opts.key }))
    .catch((err: unknown) => {
      throw inFile(opts.key, err);
    });
  const progress = progressRenderer(process.stderr, { quiet: globalsOf(cmd).quiet });
  const client = new RegistryClient({
    auth: dockerConfigCredentials(),
    onProgress: progress.listener,
    ...(opts.insecure === true ? { insecure: true } : {}),
  });
  let valid = 0;
  try {
    const { digest } = await resolveDigest(client, image);
    const result = await verifyDigest(client, image, digest, key);
    if (result.signatureManifest === undefined) {
      process.stderr.write(`larder: no signatures for ${digest}: tag ${result.tag} not found\n`);
      throw new ExitStatus(1);
    }
    for (const verdict of result.verdicts) {
      if (verdict.ok) {
        valid++;
        process.stdout.write(`OK ${digest} signed by ${opts.key}\n`);
      } else {
        process.stdout.write(`BAD ${verdict.layer.digest}: ${verdict.reason}\n`);
      }
    }
    if (valid === 0) {
      process.stderr.write(`larder: no valid signature by ${opts.key} for ${digest}\n`);
    }
  } finally {
    progress.close();
    await client.close();
  }
  if (valid === 0) throw new ExitStatus(1);
}
