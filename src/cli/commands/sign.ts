import type { Command } from 'commander';
import { resolveSubjects, signDigest, signDigestBundle } from '../../attest/index.js';
import { parseImageReference } from '../../oci/index.js';
import { globalsOf } from '../program.js';
import { progressRenderer } from '../progress.js';
import { cliRegistryClient } from '../registry-client.js';
import { parseSignatureForms } from '../signature-forms.js';
import { readSigningKeyFile } from '../signing-key.js';

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
  const format = parseSignatureForms('--format', opts.format);
  const image = parseImageReference(ref);
  const key = await readSigningKeyFile(opts.key);
  const progress = progressRenderer(process.stderr, { quiet: globalsOf(cmd).quiet });
  const client = cliRegistryClient({ onProgress: progress.listener, insecure: opts.insecure });
  try {
    const subjects = await resolveSubjects(client, image, opts.recursive === true);
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
