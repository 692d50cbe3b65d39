import { LarderError } from '../../core/index.js';
import type { OCIDescriptor, RegistryClient, RepositoryName } from '../../oci/index.js';
import { type AttestationForms, attestDigest } from '../attestation/index.js';
import { signDigestBundle } from '../bundle/index.js';
import { signDigest } from '../cosign/index.js';
import { makeStatement, type ResourceDescriptor } from '../intoto/index.js';
import type { SigningKey } from '../keys/index.js';

/** One attestation to make: a predicate about some digests, attached to some of the signed subjects. */
export interface EvidenceAttestation {
  /** Says what it is in results, e.g. `sbom-x86_64.spdx.json` or `provenance`. */
  readonly label: string;
  readonly predicateType: string;
  readonly predicate: Readonly<Record<string, unknown>>;
  /** The Statement's subjects (`digest.sha256`, optional `name`). */
  readonly subjects: readonly ResourceDescriptor[];
  /** Digests (among the request's subjects) whose `.att` tag / referrers get it. */
  readonly attachTo: readonly string[];
}

export interface EvidenceRequest {
  readonly key: SigningKey;
  /** Layouts written for signatures and attestations alike. */
  readonly forms: AttestationForms;
  /** What is signed: the published manifest or index and, recursively, its manifests. */
  readonly subjects: readonly OCIDescriptor[];
  readonly attestations: readonly EvidenceAttestation[];
}

/** One thing attached (or found attached already). */
export interface EvidenceRecord {
  readonly digest: string;
  readonly kind: 'signature' | 'attestation';
  readonly form: 'legacy' | 'bundle';
  /** The `.sig`/`.att` manifest, or the referrer manifest. */
  readonly manifestDigest: string;
  readonly label?: string;
  readonly added: boolean;
}

/**
 * Signs every subject and attaches every attestation in the asked forms, the way `larder sign`
 * and `larder attest` do one at a time: the evidence `image publish --key [--attest]` leaves
 * beside an image. Attestations naming a digest outside `subjects` are refused before anything
 * is pushed.
 */
export async function attachEvidence(
  client: RegistryClient,
  image: RepositoryName,
  request: EvidenceRequest,
): Promise<EvidenceRecord[]> {
  const byDigest = new Map(request.subjects.map((s) => [s.digest, s]));
  const statements = request.attestations.map((a) => {
    for (const d of a.attachTo) {
      if (!byDigest.has(d))
        throw new LarderError('USAGE', `attestation ${a.label}: ${d} is not one of the signed subjects`);
    }
    return { attestation: a, statement: makeStatement(a.subjects, a.predicateType, a.predicate) };
  });
  const out: EvidenceRecord[] = [];
  for (const subject of request.subjects) {
    if (request.forms !== 'bundle') {
      const done = await signDigest(client, image, subject.digest, request.key);
      out.push({
        digest: subject.digest,
        kind: 'signature',
        form: 'legacy',
        manifestDigest: done.signatureManifest,
        added: done.added,
      });
    }
    if (request.forms !== 'legacy') {
      const done = await signDigestBundle(client, image, subject, request.key);
      out.push({
        digest: subject.digest,
        kind: 'signature',
        form: 'bundle',
        manifestDigest: done.manifestDigest,
        added: done.added,
      });
    }
  }
  for (const { attestation, statement } of statements) {
    for (const digest of attestation.attachTo) {
      const done = await attestDigest(client, image, byDigest.get(digest)!, statement, request.key, {
        forms: request.forms,
      });
      const label = attestation.label;
      if (done.legacy !== undefined)
        out.push({
          digest,
          kind: 'attestation',
          form: 'legacy',
          manifestDigest: done.legacy.manifest,
          label,
          added: done.legacy.added,
        });
      if (done.bundle !== undefined)
        out.push({
          digest,
          kind: 'attestation',
          form: 'bundle',
          manifestDigest: done.bundle.manifestDigest,
          label,
          added: done.bundle.added,
        });
    }
  }
  return out;
}
