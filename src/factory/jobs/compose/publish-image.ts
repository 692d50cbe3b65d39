/**
 * Pushing a composed image and leaving its evidence beside it (docs/factory.md "Compose and
 * rescan jobs"): the layout goes to every reference; with `images.signing-key` the index and each
 * platform manifest are signed in every repository pushed to, in the `images.sign-format` forms,
 * and with `images.attest` SLSA provenance, the SBOMs and (when statements apply) an OpenVEX
 * document are attached as attestations.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  attachEvidence,
  type EvidenceAttestation,
  PREDICATE_TYPES,
  readSigningKeyFile,
} from '../../../attest/index.js';
import { LarderError } from '../../../core/index.js';
import {
  MEDIA_TYPES,
  type OCIDescriptor,
  type OCIIndex,
  parseImageReference,
  pushOciLayout,
} from '../../../oci/index.js';
import type { FactoryConfig } from '../../model.js';
import type { RegistryClients } from './registry-clients.js';

export interface PublishImageInput {
  readonly layout: string;
  readonly indexDigest: string;
  readonly references: readonly string[];
  readonly clients: RegistryClients;
  readonly images: FactoryConfig['images'];
  /** The attestations for one repository (`registry/repository`), when `images.attest`. */
  readonly attestations: (name: string) => EvidenceAttestation[];
  readonly log: (line: string) => void;
}

export interface PublishedImage {
  readonly pushed: readonly string[];
  readonly signed: boolean;
  readonly attested: boolean;
}

export async function publishImage(input: PublishImageInput): Promise<PublishedImage> {
  const targets = input.references.map((r) => parseImageReference(r));
  // Read the key before pushing: a bad key must not leave an unsigned image behind.
  const key =
    input.images.signingKey === undefined ? undefined : await readSigningKeyFile(input.images.signingKey);
  for (const [i, target] of targets.entries()) {
    const client = input.clients.forHost(target.registry);
    const pushed = await pushOciLayout(input.layout, target, { client });
    if (pushed !== input.indexDigest)
      throw new LarderError(
        'IO',
        `pushed ${pushed} to ${input.references[i]} but composed ${input.indexDigest}`,
        { subject: input.references[i] as string },
      );
    input.log(`stage: push: ${input.references[i]}@${pushed}`);
  }
  if (key === undefined) return { pushed: [...input.references], signed: false, attested: false };
  const subjects = await signedSubjects(input.layout, input.indexDigest);
  const repositories = new Map(targets.map((t) => [`${t.registry}/${t.repository}`, t]));
  let attested = false;
  for (const [name, target] of repositories) {
    const attestations = input.images.attest ? input.attestations(name) : [];
    const records = await attachEvidence(input.clients.forHost(target.registry), target, {
      key,
      forms: input.images.signFormat,
      subjects,
      attestations,
    });
    for (const r of records) {
      const what = r.kind === 'signature' ? 'signature' : `attestation ${r.label}`;
      input.log(`stage: sign: ${name}@${r.digest}: ${r.form} ${what}${r.added ? '' : ' (already there)'}`);
    }
    attested = attestations.length > 0;
  }
  return { pushed: [...input.references], signed: true, attested };
}

/** The index and each of its platform manifests: what gets signed. */
async function signedSubjects(layout: string, digest: string): Promise<OCIDescriptor[]> {
  const bytes = await readFile(join(layout, 'blobs', 'sha256', digest.slice('sha256:'.length)));
  const top: OCIDescriptor = { mediaType: MEDIA_TYPES.index, digest, size: bytes.length };
  const index = JSON.parse(bytes.toString('utf8')) as OCIIndex;
  return [top, ...index.manifests.map((m) => ({ mediaType: m.mediaType, digest: m.digest, size: m.size }))];
}

/** The OpenVEX predicate type. */
export const OPENVEX_PREDICATE = PREDICATE_TYPES.openvex as string;
