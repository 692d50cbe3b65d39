import { LarderError } from '../../core/index.js';
import type { OCIDescriptor, RegistryClient, RepositoryName } from '../../oci/index.js';
import type { DsseEnvelope } from '../dsse/index.js';
import { type Statement, signStatement, statementCoversDigest } from '../intoto/index.js';
import type { SigningKey } from '../keys/index.js';
import { attachAttestationLegacy, type LegacyAttachResult } from './legacy.js';

/** Which layouts `attestDigest` writes. */
export type AttestationForms = 'legacy';

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
}

/**
 * Signs `statement` as a DSSE envelope (payload type in-toto) with `key` and attaches it to
 * `subject` (a manifest or index in `image`) in the asked forms. The statement must have a subject
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
    options.forms === 'legacy'
      ? await attachAttestationLegacy(client, image, subject.digest, envelope, statement.predicateType, {
          key,
        })
      : undefined;
  return {
    digest: subject.digest,
    predicateType: statement.predicateType,
    envelope,
    ...(legacy === undefined ? {} : { legacy }),
  };
}
