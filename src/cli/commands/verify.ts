import type { Command } from 'commander';
import { findBundles, resolveDigest, verifyBundle, verifyDigest } from '../../attest/index.js';
import { parseImageReference } from '../../oci/index.js';
import { ExitStatus, globalsOf } from '../program.js';
import { progressRenderer } from '../progress.js';
import { cliRegistryClient } from '../registry-client.js';
import { readVerifyingKeyFile } from '../signing-key.js';

/**
 * `larder verify REF --key PUB [--insecure]`: checks every signature of REF's digest in both of
 * cosign's forms, offline: sigstore bundles attached as referrers (any predicate type counts, as
 * with `cosign verify`; no transparency log), then the layers at the `sha256-<hex>.sig` tag. One
 * line each: `OK FORM DIGEST signed by PUB` or `BAD FORM ID: reason`, FORM being `bundle` (ID the
 * referrer manifest) or `legacy` (ID the layer). Exit 0 when at least one valid signature by the
 * key covers REF's exact digest, 1 when none does (or there are no signatures at all), 2 on errors.
 */
export async function verifyCommand(
  ref: string,
  opts: { key: string; insecure?: boolean },
  cmd: Command,
): Promise<void> {
  const image = parseImageReference(ref);
  const key = await readVerifyingKeyFile(opts.key);
  const progress = progressRenderer(process.stderr, { quiet: globalsOf(cmd).quiet });
  const client = cliRegistryClient({ onProgress: progress.listener, insecure: opts.insecure });
  let valid = 0;
  try {
    const { digest } = await resolveDigest(client, image);
    const bundles = await findBundles(client, image, digest);
    const legacy = await verifyDigest(client, image, digest, key);
    if (bundles.length === 0 && legacy.signatureManifest === undefined) {
      process.stderr.write(
        `larder: no signatures for ${digest}: no sigstore bundle referrers and tag ${legacy.tag} not found\n`,
      );
      throw new ExitStatus(1);
    }
    for (const found of bundles) {
      const verdict =
        found.bundle === undefined
          ? { ok: false as const, reason: found.error ?? 'unreadable bundle' }
          : verifyBundle(found.bundle, key, digest);
      if (verdict.ok) {
        valid++;
        process.stdout.write(`OK bundle ${digest} signed by ${opts.key} (${verdict.predicateType})\n`);
      } else {
        process.stdout.write(`BAD bundle ${found.manifestDigest}: ${verdict.reason}\n`);
      }
    }
    for (const verdict of legacy.verdicts) {
      if (verdict.ok) {
        valid++;
        process.stdout.write(`OK legacy ${digest} signed by ${opts.key}\n`);
      } else {
        process.stdout.write(`BAD legacy ${verdict.layer.digest}: ${verdict.reason}\n`);
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
