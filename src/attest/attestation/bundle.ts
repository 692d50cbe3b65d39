import type { OCIDescriptor, RegistryClient, RepositoryName } from '../../oci/index.js';
import {
  type AttachedBundle,
  attachBundle,
  bundleFromEnvelope,
  findBundles,
  verifyBundle,
} from '../bundle/index.js';
import type { DsseEnvelope } from '../dsse/index.js';
import type { Statement } from '../intoto/index.js';
import type { SigningKey, VerifyingKey } from '../keys/index.js';

/** Decoded envelope payload (standard or URL-safe base64). */
function payloadOf(envelope: DsseEnvelope): Buffer {
  return Buffer.from(envelope.payload.replaceAll('-', '+').replaceAll('_', '/'), 'base64');
}

/**
 * Attaches a DSSE envelope as cosign v3 `attest` does: a key-based sigstore bundle v0.3 pushed as
 * an OCI 1.1 referrer of `subject` (the `sha256-<hex>` fallback index where the registry has no
 * referrers API). Nothing is pushed when a bundle of the same statement signed by `key` is
 * attached already (`added: false`).
 */
export async function attachAttestationBundle(
  client: RegistryClient,
  image: RepositoryName,
  subject: OCIDescriptor,
  envelope: DsseEnvelope,
  predicateType: string,
  key: SigningKey,
): Promise<AttachedBundle> {
  const body = payloadOf(envelope);
  for (const found of await findBundles(client, image, subject.digest)) {
    if (found.bundle === undefined || found.predicateType !== predicateType) continue;
    if (!payloadOf(found.bundle.dsseEnvelope).equals(body)) continue;
    if (verifyBundle(found.bundle, key, subject.digest).ok) {
      return { manifestDigest: found.manifestDigest, added: false };
    }
  }
  return attachBundle(client, image, subject, bundleFromEnvelope(envelope, key));
}

/** One bundle referrer's verdict: its verified Statement, or why it does not count. */
export type BundleAttestation =
  | { readonly ok: true; readonly source: string; readonly statement: Statement }
  | { readonly ok: false; readonly source: string; readonly reason: string };

/**
 * The sigstore-bundle referrers of `digest`, each verified offline with `key` (DSSE signature,
 * in-toto payload type, a subject with `digest`). Unreadable bundles are verdicts with the reason.
 */
export async function verifyBundleAttestations(
  client: RegistryClient,
  image: RepositoryName,
  digest: string,
  key: VerifyingKey,
): Promise<BundleAttestation[]> {
  const verdicts: BundleAttestation[] = [];
  for (const found of await findBundles(client, image, digest)) {
    const source = found.manifestDigest;
    if (found.bundle === undefined) {
      verdicts.push({ ok: false, source, reason: found.error ?? 'the bundle could not be read' });
      continue;
    }
    const verdict = verifyBundle(found.bundle, key, digest);
    verdicts.push(
      verdict.ok
        ? { ok: true, source, statement: verdict.statement }
        : { ok: false, source, reason: verdict.reason },
    );
  }
  return verdicts;
}
