import { LarderError } from '../../core/index.js';
import type { OCIDescriptor, RegistryClient, RepositoryName } from '../../oci/index.js';
import { fetchPayload } from '../cosign/index.js';
import { DSSE_MEDIA_TYPE, parseEnvelope } from '../dsse/index.js';
import { type Statement, verifyAttestation } from '../intoto/index.js';
import type { VerifyingKey } from '../keys/index.js';
import { findLegacyAttestations, PREDICATE_TYPE_ANNOTATION } from './legacy.js';

/** Where an attestation was found: a layer of the `.att` tag, or a bundle referrer. */
export type AttestationForm = 'legacy' | 'bundle';

/** The verdict on one attestation: its verified Statement, or why it does not count. */
export type AttestationVerdict =
  | {
      readonly ok: true;
      readonly form: AttestationForm;
      /** The `.att` layer digest or the referrer manifest digest. */
      readonly source: string;
      readonly statement: Statement;
    }
  | {
      readonly ok: false;
      readonly form: AttestationForm;
      readonly source: string;
      readonly reason: string;
      /**
       * Set when the attestation is valid in every other respect but of this predicate type, not
       * the one asked for (cosign filters these out silently).
       */
      readonly otherType?: string;
    };

/** Every attestation found for one digest, each checked against one key. */
export interface AttestationVerification {
  readonly digest: string;
  /** The predicate type asked for, if any. */
  readonly predicateType?: string;
  readonly verdicts: readonly AttestationVerdict[];
}

/** Registry failures end the run; anything wrong with the attestation itself is a verdict. */
function asVerdict(err: unknown): string {
  if (!(err instanceof LarderError) || err.code === 'FETCH_FAILED' || err.code === 'FETCH_UNAUTHORIZED') {
    throw err;
  }
  return err.message;
}

async function verifyLegacyLayer(
  client: RegistryClient,
  image: RepositoryName,
  layer: OCIDescriptor,
  key: VerifyingKey,
  expect: { readonly manifestDigest: string; readonly predicateType?: string },
): Promise<AttestationVerdict> {
  const source = layer.digest;
  try {
    if (layer.mediaType !== DSSE_MEDIA_TYPE) {
      throw new LarderError('SIGNATURE_BAD', `layer media type ${layer.mediaType} is not a DSSE envelope`);
    }
    const envelope = parseEnvelope(await fetchPayload(client, image, layer));
    const statement = verifyAttestation(envelope, [key], { manifestDigest: expect.manifestDigest });
    const annotated = layer.annotations?.[PREDICATE_TYPE_ANNOTATION];
    if (annotated !== undefined && annotated !== statement.predicateType) {
      throw new LarderError(
        'SIGNATURE_BAD',
        `the layer says predicate type ${annotated} but the signed statement has ${statement.predicateType}`,
      );
    }
    if (expect.predicateType !== undefined && statement.predicateType !== expect.predicateType) {
      const reason = `the attestation's predicate type is ${statement.predicateType}, not ${expect.predicateType}`;
      return { ok: false, form: 'legacy', source, reason, otherType: statement.predicateType };
    }
    return { ok: true, form: 'legacy', source, statement };
  } catch (err) {
    return { ok: false, form: 'legacy', source, reason: asVerdict(err) };
  }
}

/**
 * cosign's key-based `verify-attestation` over the legacy `.att` layout: each layer's envelope
 * (blob digest and size checked) must be DSSE-signed by `key` with payload type in-toto, its
 * Statement must have a subject with `digest`, and, when `predicateType` is given, that predicate
 * type. Registry failures throw; everything else is a per-attestation verdict with a reason.
 */
export async function verifyAttestations(
  client: RegistryClient,
  image: RepositoryName,
  digest: string,
  key: VerifyingKey,
  predicateType?: string,
): Promise<AttestationVerification> {
  const expect = { manifestDigest: digest, ...(predicateType === undefined ? {} : { predicateType }) };
  const verdicts: AttestationVerdict[] = [];
  const legacy = await findLegacyAttestations(client, image, digest);
  for (const layer of legacy.layers) {
    verdicts.push(await verifyLegacyLayer(client, image, layer, key, expect));
  }
  return { digest, ...(predicateType === undefined ? {} : { predicateType }), verdicts };
}
