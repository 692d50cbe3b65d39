import { LarderError } from '../../core/index.js';
import type { OCIDescriptor, RegistryClient, RepositoryName } from '../../oci/index.js';
import { fetchPayload } from '../cosign/index.js';
import { DSSE_MEDIA_TYPE, parseEnvelope } from '../dsse/index.js';
import { type Statement, verifyAttestation } from '../intoto/index.js';
import type { VerifyingKey } from '../keys/index.js';
import { verifyBundleAttestations } from './bundle.js';
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
    return filtered('legacy', source, statement, expect.predicateType);
  } catch (err) {
    return { ok: false, form: 'legacy', source, reason: asVerdict(err) };
  }
}

/** A verified statement of another predicate type than asked for becomes an `otherType` verdict. */
function filtered(
  form: AttestationForm,
  source: string,
  statement: Statement,
  predicateType: string | undefined,
): AttestationVerdict {
  if (predicateType === undefined || statement.predicateType === predicateType) {
    return { ok: true, form, source, statement };
  }
  const reason = `the attestation's predicate type is ${statement.predicateType}, not ${predicateType}`;
  return { ok: false, form, source, reason, otherType: statement.predicateType };
}

/**
 * cosign's key-based `verify-attestation`, offline, over both layouts: first the sigstore-bundle
 * referrers of `digest` (API, else the `sha256-<hex>` fallback index), then the layers of the
 * legacy `sha256-<hex>.att` manifest (blob digest and size checked). Each envelope must be
 * DSSE-signed by `key` with payload type in-toto, its Statement must have a subject with
 * `digest`, and, when `predicateType` is given, be of that type (valid ones of other types come
 * back as `otherType` verdicts). Registry failures throw; everything else is a verdict with a reason.
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
  for (const found of await verifyBundleAttestations(client, image, digest, key)) {
    verdicts.push(
      found.ok
        ? filtered('bundle', found.source, found.statement, predicateType)
        : { ok: false, form: 'bundle', source: found.source, reason: found.reason },
    );
  }
  const legacy = await findLegacyAttestations(client, image, digest);
  for (const layer of legacy.layers) {
    verdicts.push(await verifyLegacyLayer(client, image, layer, key, expect));
  }
  return { digest, ...(predicateType === undefined ? {} : { predicateType }), verdicts };
}
