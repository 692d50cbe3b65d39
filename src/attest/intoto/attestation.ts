import { LarderError } from '../../core/index.js';
import { type DsseEnvelope, signEnvelope, verifyEnvelope } from '../dsse/index.js';
import type { SigningKey, VerifyingKey } from '../keys/index.js';
import {
  IN_TOTO_PAYLOAD_TYPE,
  parseStatement,
  type Statement,
  serializeStatement,
  statementCoversDigest,
} from './statement.js';

/** Signs a Statement into a DSSE envelope with payloadType `application/vnd.in-toto+json`. */
export function signStatement(
  key: SigningKey,
  statement: Statement,
  options: { keyid?: string } = {},
): DsseEnvelope {
  return signEnvelope(key, IN_TOTO_PAYLOAD_TYPE, serializeStatement(statement), options);
}

/**
 * cosign's check of one attestation: DSSE-verify with the key, require the in-toto payload type,
 * parse the verified bytes, require a subject with the image digest and, when given, the
 * predicate type. SIGNATURE_BAD / ENVELOPE_INVALID / STATEMENT_INVALID with the reason otherwise.
 */
export function verifyAttestation(
  envelope: DsseEnvelope,
  keys: readonly VerifyingKey[],
  expect: { readonly manifestDigest: string; readonly predicateType?: string },
): Statement {
  const verified = verifyEnvelope(envelope, keys, { expectedPayloadType: IN_TOTO_PAYLOAD_TYPE });
  const statement = parseStatement(verified.payload);
  if (!statementCoversDigest(statement, expect.manifestDigest)) {
    throw new LarderError(
      'SIGNATURE_BAD',
      `the attestation is signed but none of its subjects has digest ${expect.manifestDigest}`,
    );
  }
  if (expect.predicateType !== undefined && statement.predicateType !== expect.predicateType) {
    throw new LarderError(
      'SIGNATURE_BAD',
      `the attestation's predicate type is ${statement.predicateType}, not ${expect.predicateType}`,
    );
  }
  return statement;
}
