import type { Command } from 'commander';
import { predicateTypeFor, resolveDigest, verifyAttestations } from '../../attest/index.js';
import { parseImageReference } from '../../oci/index.js';
import { ExitStatus, globalsOf } from '../program.js';
import { progressRenderer } from '../progress.js';
import { cliRegistryClient } from '../registry-client.js';
import { readVerifyingKeyFile } from '../signing-key.js';

/**
 * `larder verify-attestation REF --type T --key PUB [--insecure]`: checks every attestation of
 * REF's digest (sigstore bundle referrers, then cosign's `.att` tag) with the public key, offline.
 * Each valid one of predicate type T is printed on stdout as its verified in-toto Statement,
 * compact JSON, one per line (a statement found in both forms once); each rejected
 * one as `larder: BAD <form> <source-digest>: reason` on stderr (valid ones of other predicate
 * types are skipped silently, as cosign does, and counted in the final message when none is valid). Exit 0 when at least one valid
 * attestation of type T by the key covers REF's exact digest, 1 when none does, 2 on errors.
 */
export async function verifyAttestationCommand(
  ref: string,
  opts: { type: string; key: string; insecure?: boolean },
  cmd: Command,
): Promise<void> {
  const image = parseImageReference(ref);
  const predicateType = predicateTypeFor(opts.type);
  const key = await readVerifyingKeyFile(opts.key);
  const progress = progressRenderer(process.stderr, { quiet: globalsOf(cmd).quiet });
  const client = cliRegistryClient({ onProgress: progress.listener, insecure: opts.insecure });
  let valid = 0;
  let otherTypes = 0;
  const printed = new Set<string>();
  try {
    const { digest } = await resolveDigest(client, image);
    const result = await verifyAttestations(client, image, digest, key, predicateType);
    for (const verdict of result.verdicts) {
      if (verdict.ok) {
        valid++;
        const line = JSON.stringify(verdict.statement);
        if (!printed.has(line)) process.stdout.write(`${line}\n`);
        printed.add(line);
      } else if (verdict.otherType !== undefined) {
        otherTypes++;
      } else {
        process.stderr.write(`larder: BAD ${verdict.form} ${verdict.source}: ${verdict.reason}\n`);
      }
    }
    if (valid === 0) {
      const none = result.verdicts.length === 0 ? 'no attestations' : `no valid ${predicateType} attestation`;
      const others = otherTypes === 0 ? '' : ` (${otherTypes} valid of other predicate types)`;
      process.stderr.write(`larder: ${none} by ${opts.key} for ${digest}${others}\n`);
    }
  } finally {
    progress.close();
    await client.close();
  }
  if (valid === 0) throw new ExitStatus(1);
}
