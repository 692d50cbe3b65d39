import { LarderError } from '../../core/index.js';
import type { OCIDescriptor, RegistryClient, RepositoryName } from '../../oci/index.js';
import { signEnvelope } from '../dsse/index.js';
import { IN_TOTO_PAYLOAD_TYPE, makeStatement, serializeStatement } from '../intoto/index.js';
import type { SigningKey } from '../keys/index.js';
import { bundleFromEnvelope, COSIGN_SIGN_PREDICATE } from './bundle.js';
import { type AttachedBundle, attachBundle, findBundles } from './referrer.js';
import { verifyBundle } from './verify-bundle.js';

/** The Statement `cosign sign` (v3) signs for a manifest digest: no subject name, empty predicate. */
export function cosignSignStatement(digest: string): Buffer {
  const m = /^sha256:([0-9a-f]{64})$/.exec(digest);
  if (m === null) throw new LarderError('USAGE', `digest '${digest}': expected sha256:<64 hex>`);
  return serializeStatement(
    makeStatement([{ digest: { sha256: m[1] as string } }], COSIGN_SIGN_PREDICATE, {}),
  );
}

/**
 * Signs `subject` as cosign v3 `sign` does by default: a Statement with predicate type
 * https://sigstore.dev/cosign/sign/v1 in a DSSE envelope, in a key-based v0.3 bundle attached as
 * a referrer. When a bundle of the same Statement signed by this key is attached already, nothing
 * is pushed (`added: false`).
 */
export async function signDigestBundle(
  client: RegistryClient,
  image: RepositoryName,
  subject: OCIDescriptor,
  key: SigningKey,
  options: { createdAt?: Date } = {},
): Promise<AttachedBundle> {
  const body = cosignSignStatement(subject.digest);
  const existing = await findBundles(client, image, subject.digest);
  for (const found of existing) {
    if (found.bundle === undefined || found.predicateType !== COSIGN_SIGN_PREDICATE) continue;
    const verdict = verifyBundle(found.bundle, key, subject.digest);
    if (verdict.ok && Buffer.from(found.bundle.dsseEnvelope.payload, 'base64').equals(body)) {
      return { manifestDigest: found.manifestDigest, added: false };
    }
  }
  const bundle = bundleFromEnvelope(signEnvelope(key, IN_TOTO_PAYLOAD_TYPE, body), key);
  const listed = existing.map((f) => f.manifestDigest);
  return attachBundle(client, image, subject, bundle, { ...options, listed });
}
