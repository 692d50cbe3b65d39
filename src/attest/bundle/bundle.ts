import { LarderError } from '../../core/index.js';
import { type DsseEnvelope, type DsseSignature, parseEnvelope } from '../dsse/index.js';
import { keyHint, type SigningKey, type VerifyingKey } from '../keys/index.js';

/** Media type of a sigstore bundle v0.3 (the referrer's artifactType and its one layer). */
export const SIGSTORE_BUNDLE_V03 = 'application/vnd.dev.sigstore.bundle.v0.3+json';
/** The predicate type of the Statement `cosign sign` (v3, bundle format) signs. */
export const COSIGN_SIGN_PREDICATE = 'https://sigstore.dev/cosign/sign/v1';
/** Largest bundle blob read from a registry. */
export const MAX_BUNDLE_SIZE = 16 * 1024 * 1024;

/** Where the verifier's key material comes from: a key hint (key pairs) or a certificate (keyless). */
export interface BundleVerificationMaterial {
  /** Key-based bundles: `hint` = standard base64 of SHA-256 over the SPKI DER (a hint only). */
  readonly publicKey?: { readonly hint: string };
  /** Keyless bundles: base64 DER of the signing certificate. */
  readonly certificate?: { readonly rawBytes: string };
  readonly x509CertificateChain?: { readonly certificates: readonly { readonly rawBytes: string }[] };
  /** Transparency-log entries as written (protobuf JSON); missing reads as empty. */
  readonly tlogEntries: readonly unknown[];
  readonly timestampVerificationData: { readonly rfc3161Timestamps: readonly unknown[] };
}

/** A sigstore bundle (v0.3 or later) holding a DSSE envelope, in its protobuf-JSON shape (oci-trust.md §5.1). */
export interface SigstoreBundle {
  readonly mediaType: string;
  readonly verificationMaterial: BundleVerificationMaterial;
  /** Exactly one signature. */
  readonly dsseEnvelope: DsseEnvelope;
}

/** Wraps a DSSE envelope with one signature made by `key` into a key-based v0.3 bundle. */
export function bundleFromEnvelope(envelope: DsseEnvelope, key: SigningKey | VerifyingKey): SigstoreBundle {
  if (envelope.signatures.length !== 1) {
    throw new LarderError(
      'USAGE',
      `a sigstore bundle holds exactly one DSSE signature, the envelope has ${envelope.signatures.length}`,
    );
  }
  return {
    mediaType: SIGSTORE_BUNDLE_V03,
    verificationMaterial: {
      publicKey: { hint: keyHint(key) },
      tlogEntries: [],
      timestampVerificationData: { rfc3161Timestamps: [] },
    },
    dsseEnvelope: envelope,
  };
}

/** Compact JSON in the field order sigstore-js and cosign write (protobuf JSON, camelCase). */
export function serializeBundle(bundle: SigstoreBundle): Buffer {
  const vm = bundle.verificationMaterial;
  return Buffer.from(
    JSON.stringify({
      mediaType: bundle.mediaType,
      verificationMaterial: {
        ...(vm.publicKey === undefined ? {} : { publicKey: { hint: vm.publicKey.hint } }),
        ...(vm.certificate === undefined ? {} : { certificate: { rawBytes: vm.certificate.rawBytes } }),
        ...(vm.x509CertificateChain === undefined
          ? {}
          : { x509CertificateChain: { certificates: vm.x509CertificateChain.certificates } }),
        tlogEntries: vm.tlogEntries,
        timestampVerificationData: { rfc3161Timestamps: vm.timestampVerificationData.rfc3161Timestamps },
      },
      dsseEnvelope: {
        payload: bundle.dsseEnvelope.payload,
        payloadType: bundle.dsseEnvelope.payloadType,
        signatures: bundle.dsseEnvelope.signatures.map((s: DsseSignature) => ({
          sig: s.sig,
          keyid: s.keyid,
        })),
      },
    }),
    'utf8',
  );
}

const MEDIA_TYPE =
  /^application\/vnd\.dev\.sigstore\.bundle(?:\.v(\d+)\.(\d+)\+json|\+json;version=(\d+)\.(\d+))$/;
const BASE64 = /^[A-Za-z0-9+/\-_]*={0,2}$/;

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Parses bundle JSON bytes: a sigstore bundle of version 0.3 or later with a DSSE envelope of
 * exactly one signature and one kind of verification material. Missing `tlogEntries`,
 * `timestampVerificationData` and `keyid` read as empty (Go's protojson leaves them out).
 * BUNDLE_INVALID naming `subject` and the field otherwise.
 */
export function parseBundle(bytes: Uint8Array, subject: string): SigstoreBundle {
  const fail = (message: string, cause?: unknown): LarderError =>
    new LarderError('BUNDLE_INVALID', `${subject}: sigstore bundle: ${message}`, {
      subject,
      ...(cause === undefined ? {} : { cause }),
    });
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (err) {
    throw fail('not JSON', err);
  }
  if (!isObject(doc)) throw fail('not a JSON object');
  const { mediaType, verificationMaterial, dsseEnvelope } = doc;
  if (typeof mediaType !== 'string') throw fail('mediaType is not a string');
  const version = MEDIA_TYPE.exec(mediaType);
  if (version === null) throw fail(`mediaType '${mediaType}' is not a sigstore bundle media type`);
  const major = Number(version[1] ?? version[3]);
  const minor = Number(version[2] ?? version[4]);
  if (major === 0 && minor < 3) throw fail(`mediaType '${mediaType}': bundle version below 0.3`);
  if (dsseEnvelope === undefined) {
    throw fail(
      doc.messageSignature === undefined
        ? 'dsseEnvelope is missing'
        : 'a messageSignature bundle, not a DSSE envelope',
    );
  }
  let envelope: DsseEnvelope;
  try {
    envelope = parseEnvelope(JSON.stringify(dsseEnvelope));
  } catch (err) {
    throw fail(`dsseEnvelope: ${err instanceof Error ? err.message : String(err)}`, err);
  }
  if (envelope.signatures.length !== 1) {
    throw fail(
      `dsseEnvelope.signatures has ${envelope.signatures.length} entries, a bundle holds exactly one`,
    );
  }
  return {
    mediaType,
    verificationMaterial: parseMaterial(verificationMaterial, fail),
    dsseEnvelope: envelope,
  };
}

function parseMaterial(value: unknown, fail: (message: string) => LarderError): BundleVerificationMaterial {
  if (!isObject(value)) throw fail('verificationMaterial is not an object');
  const { publicKey, certificate, x509CertificateChain, tlogEntries, timestampVerificationData } = value;
  const kinds = [publicKey, certificate, x509CertificateChain].filter((k) => k !== undefined).length;
  if (kinds !== 1) {
    throw fail('verificationMaterial needs exactly one of publicKey, certificate, x509CertificateChain');
  }
  const base: Pick<BundleVerificationMaterial, 'tlogEntries' | 'timestampVerificationData'> = {
    tlogEntries: parseList(tlogEntries, 'verificationMaterial.tlogEntries', fail),
    timestampVerificationData: parseTimestamps(timestampVerificationData, fail),
  };
  if (publicKey !== undefined) {
    if (!isObject(publicKey)) throw fail('verificationMaterial.publicKey is not an object');
    const hint = publicKey.hint ?? '';
    if (typeof hint !== 'string') throw fail('verificationMaterial.publicKey.hint is not a string');
    return { publicKey: { hint }, ...base };
  }
  if (certificate !== undefined) {
    return {
      certificate: { rawBytes: rawBytes(certificate, 'verificationMaterial.certificate', fail) },
      ...base,
    };
  }
  if (!isObject(x509CertificateChain) || !Array.isArray(x509CertificateChain.certificates)) {
    throw fail('verificationMaterial.x509CertificateChain.certificates is not an array');
  }
  const certificates = x509CertificateChain.certificates.map((c: unknown, i) => ({
    rawBytes: rawBytes(c, `verificationMaterial.x509CertificateChain.certificates[${i}]`, fail),
  }));
  if (certificates.length === 0)
    throw fail('verificationMaterial.x509CertificateChain.certificates is empty');
  return { x509CertificateChain: { certificates }, ...base };
}

function rawBytes(value: unknown, field: string, fail: (message: string) => LarderError): string {
  if (
    !isObject(value) ||
    typeof value.rawBytes !== 'string' ||
    value.rawBytes === '' ||
    !BASE64.test(value.rawBytes)
  ) {
    throw fail(`${field}.rawBytes is not base64`);
  }
  return value.rawBytes;
}

function parseList(value: unknown, field: string, fail: (message: string) => LarderError): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw fail(`${field} is not an array`);
  value.forEach((entry: unknown, i) => {
    if (!isObject(entry)) throw fail(`${field}[${i}] is not an object`);
  });
  return value;
}

function parseTimestamps(
  value: unknown,
  fail: (message: string) => LarderError,
): BundleVerificationMaterial['timestampVerificationData'] {
  if (value === undefined || value === null) return { rfc3161Timestamps: [] };
  if (!isObject(value)) throw fail('verificationMaterial.timestampVerificationData is not an object');
  return {
    rfc3161Timestamps: parseList(
      value.rfc3161Timestamps,
      'verificationMaterial.timestampVerificationData.rfc3161Timestamps',
      fail,
    ),
  };
}
