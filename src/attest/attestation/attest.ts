import { LarderError } from '../../core/index.js';
import type { OCIDescriptor, RegistryClient, RepositoryName } from '../../oci/index.js';
import type { AttachedBundle } from '../bundle/index.js';
import type { DsseEnvelope } from '../dsse/index.js';
import { type Statement, signStatement, statementCoversDigest } from '../intoto/index.js';
import type { SigningKey } from '../keys/index.js';
import { attachAttestationBundle } from './bundle.js';
import { attachAttestationLegacy, type LegacyAttachResult } from './legacy.js';

/** Which layouts `attestDigest` writes. */
export type AttestationForms = 'legacy' | 'bundle' | 'both';

/** Every value of AttestationForms, for option parsing. */
export const ATTESTATION_FORMS: readonly AttestationForms[] = ['legacy', 'bundle', 'both'];

export interface AttestDigestOptions {
  readonly forms: AttestationForms;
}

/** What attesting one digest did. */
export interface AttestDigestResult {
  readonly digest: string;
  readonly predicateType: string;
  /** The signed envelope. */
  readonly envelope: DsseEnvelope;
  /** The `.att` tag update, when the legacy form was asked for. */
  readonly legacy?: LegacyAttachResult;
  /** The bundle referrer, when the bundle form was asked for. */
  readonly bundle?: AttachedBundle;
}

/**
 * Signs `statement` as a DSSE envelope (payload type in-toto) with `key` and attaches it to
 * `subject` (a manifest or index in `image`) in the asked forms: `legacy`, a layer of cosign's
 * `sha256-<hex>.att` manifest; `bundle`, a sigstore bundle v0.3 referrer (cosign v3's default);
 * `both`, the same envelope in each. The statement must have a subject
 * with `subject.digest`, else USAGE: an attestation for another digest would never verify.
 */
export async function attestDigest(
  client: RegistryClient,
  image: RepositoryName,
  subject: OCIDescriptor,
  statement: Statement,
  key: SigningKey,
  options: AttestDigestOptions,
): Promise<AttestDigestResult> {
  if (!statementCoversDigest(statement, subject.digest)) {
    throw new LarderError('USAGE', `the statement has no subject with digest ${subject.digest}`);
  }
  const envelope = signStatement(key, statement);
  const legacy =
    options.forms !== 'bundle'
      ? await attachAttestationLegacy(client, image, subject.digest, envelope, statement.predicateType, {
          key,
        })
      : undefined;
  const bundle =
    options.forms !== 'legacy'
      ? await attachAttestationBundle(client, image, subject, envelope, statement.predicateType, key)
      : undefined;
  return {
    digest: subject.digest,
    predicateType: statement.predicateType,
    envelope,
    ...(legacy === undefined ? {} : { legacy }),
    ...(bundle === undefined ? {} : { bundle }),
  };
}
