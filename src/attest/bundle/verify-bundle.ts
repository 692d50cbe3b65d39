import { bundleFromJSON } from '@sigstore/bundle';
import { type TrustMaterial, toSignedEntity, Verifier } from '@sigstore/verify';
import {
  IN_TOTO_PAYLOAD_TYPE,
  parseStatement,
  type Statement,
  statementCoversDigest,
} from '../intoto/index.js';
import type { VerifyingKey } from '../keys/index.js';
import { type SigstoreBundle, serializeBundle } from './bundle.js';

/** The outcome of checking one bundle against a key and an image digest. */
export type BundleVerdict =
  | { readonly ok: true; readonly statement: Statement; readonly predicateType: string }
  | { readonly ok: false; readonly reason: string };

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Trust material with only `key`: no CAs, logs or timestamp authorities (offline, key-based). */
function keyOnly(key: VerifyingKey): TrustMaterial {
  return {
    certificateAuthorities: [],
    timestampAuthorities: [],
    tlogs: [],
    ctlogs: [],
    publicKey: () => ({ publicKey: key.publicKey, validFor: () => true }),
  };
}

/**
 * Verifies a bundle offline as `cosign verify --key --insecure-ignore-tlog=true` does: the DSSE
 * signature must verify with `key` (through @sigstore/verify; the bundle's key hint is ignored
 * and no transparency-log entry or timestamp is required or trusted), the payload type must be
 * in-toto, and the Statement parsed from the verified bytes must list `digest` among its
 * subjects. Any predicate type passes; callers filter on `predicateType`.
 */
export function verifyBundle(bundle: SigstoreBundle, key: VerifyingKey, digest: string): BundleVerdict {
  if (bundle.verificationMaterial.publicKey === undefined) {
    return { ok: false, reason: 'a keyless bundle (certificate), not signed by a key' };
  }
  let payload: Buffer;
  try {
    // Transparency-log entries and timestamps are not checked offline: leave them out so the
    // verifier neither needs nor trusts them.
    const keyed: SigstoreBundle = {
      ...bundle,
      verificationMaterial: {
        ...bundle.verificationMaterial,
        tlogEntries: [],
        timestampVerificationData: { rfc3161Timestamps: [] },
      },
    };
    const parsed = bundleFromJSON(JSON.parse(serializeBundle(keyed).toString('utf8')));
    if (parsed.content.$case !== 'dsseEnvelope') return { ok: false, reason: 'not a DSSE bundle' };
    const verifier = new Verifier(keyOnly(key), {
      tlogThreshold: 0,
      ctlogThreshold: 0,
      timestampThreshold: 0,
    });
    verifier.verify(toSignedEntity(parsed));
    payload = parsed.content.dsseEnvelope.payload;
  } catch (err) {
    return { ok: false, reason: `signature does not verify with the key (${message(err)})` };
  }
  if (bundle.dsseEnvelope.payloadType !== IN_TOTO_PAYLOAD_TYPE) {
    return {
      ok: false,
      reason: `payloadType '${bundle.dsseEnvelope.payloadType}' is not ${IN_TOTO_PAYLOAD_TYPE}`,
    };
  }
  let statement: Statement;
  try {
    statement = parseStatement(payload);
  } catch (err) {
    return { ok: false, reason: message(err) };
  }
  if (!statementCoversDigest(statement, digest)) {
    const listed = statement.subject.map((s) =>
      s.digest?.sha256 === undefined ? '?' : `sha256:${s.digest.sha256}`,
    );
    return { ok: false, reason: `the statement's subjects (${listed.join(', ')}) do not include ${digest}` };
  }
  return { ok: true, statement, predicateType: statement.predicateType };
}
