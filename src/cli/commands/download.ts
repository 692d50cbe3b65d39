import type { Command } from 'commander';
import {
  downloadAttestations,
  downloadSboms,
  downloadSignatures,
  predicateTypeFor,
  resolveDigest,
  serializeBundle,
  serializeEnvelope,
} from '../../attest/index.js';
import { type ImageReference, parseImageReference, type RegistryClient } from '../../oci/index.js';
import { ExitStatus, globalsOf } from '../program.js';
import { progressRenderer } from '../progress.js';
import { cliRegistryClient } from '../registry-client.js';

type What = 'signature' | 'attestation' | 'sbom';

/**
 * `larder download signature|attestation|sbom REF`: what is attached to REF's digest, on stdout,
 * one item per line, as `cosign download` prints it.
 * - signature: each `.sig` layer as `{"Base64Signature","Payload" (base64),"Cert","Chain","Bundle",
 *   "RFC3161Timestamp"}`, then each Sigstore bundle found among the referrers (any predicate type:
 *   cosign's verify counts any verifying bundle as a signature), as compact JSON.
 * - attestation [--predicate-type T]: each DSSE envelope, `.att` layers first, then the
 *   `dsseEnvelope` of each bundle referrer; T is a cosign `--type` name or a URI.
 * - sbom: each layer blob of the `.sbom` tag, followed by a newline.
 * Exit 1 with a message on stderr when there is nothing of that kind; 2 on errors.
 */
export async function downloadCommand(
  what: What,
  ref: string,
  opts: { predicateType?: string; insecure?: boolean },
  cmd: Command,
): Promise<void> {
  const image = parseImageReference(ref);
  const predicateType = opts.predicateType === undefined ? undefined : predicateTypeFor(opts.predicateType);
  const progress = progressRenderer(process.stderr, { quiet: globalsOf(cmd).quiet });
  const client = cliRegistryClient({ onProgress: progress.listener, insecure: opts.insecure });
  let lines: string[];
  let digest: string;
  try {
    digest = (await resolveDigest(client, image)).digest;
    lines = await fetchLines(client, image, digest, what, predicateType);
  } finally {
    progress.close();
    await client.close();
  }
  if (lines.length === 0) {
    const kind = what === 'sbom' ? 'SBOMs' : `${what}s`;
    const filter = predicateType === undefined ? '' : ` with predicate type ${predicateType}`;
    process.stderr.write(
      `larder: no ${kind}${filter} attached to ${image.registry}/${image.repository}@${digest}\n`,
    );
    throw new ExitStatus(1);
  }
  process.stdout.write(lines.join(''));
}

async function fetchLines(
  client: RegistryClient,
  image: ImageReference,
  digest: string,
  what: What,
  predicateType: string | undefined,
): Promise<string[]> {
  switch (what) {
    case 'signature': {
      const found = await downloadSignatures(client, image, digest);
      return [
        ...found.legacy.map((item) => `${JSON.stringify(item)}\n`),
        ...found.bundles.map((b) => `${serializeBundle(b).toString('utf8')}\n`),
      ];
    }
    case 'attestation': {
      const found = await downloadAttestations(
        client,
        image,
        digest,
        predicateType === undefined ? {} : { predicateType },
      );
      return found.map((a) => `${serializeEnvelope(a.envelope).toString('utf8')}\n`);
    }
    case 'sbom':
      return (await downloadSboms(client, image, digest)).map((s) => `${s.bytes.toString('utf8')}\n`);
  }
}
