import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleFromJSON } from '@sigstore/bundle';
import { toSignedEntity, Verifier } from '@sigstore/verify';
import { afterAll, describe, expect, it } from 'vitest';
import {
  bundleFromEnvelope,
  COSIGN_SIGN_PREDICATE,
  cosignSignStatement,
  generateEcdsaP256Key,
  IN_TOTO_PAYLOAD_TYPE,
  keyHint,
  keyPairPem,
  pae,
  parseBundle,
  SIGSTORE_BUNDLE_V03,
  type SigstoreBundle,
  serializeBundle,
  signEnvelope,
  verifyBundle,
} from '../../../../src/attest/index.js';

const DIGEST = `sha256:${'ab'.repeat(32)}`;
const OTHER = `sha256:${'cd'.repeat(32)}`;
const key = generateEcdsaP256Key();
const stranger = generateEcdsaP256Key();
const dir = mkdtempSync(join(tmpdir(), 'larder-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function signed(digest = DIGEST, signer = key): SigstoreBundle {
  const envelope = signEnvelope(signer, IN_TOTO_PAYLOAD_TYPE, cosignSignStatement(digest));
  return bundleFromEnvelope(envelope, signer);
}

describe('bundleFromEnvelope / serializeBundle', () => {
  it('writes the key-based v0.3 shape of oci-trust.md §5.1', () => {
    const bundle = signed();
    const json = JSON.parse(serializeBundle(bundle).toString('utf8'));
    expect(Object.keys(json)).toEqual(['mediaType', 'verificationMaterial', 'dsseEnvelope']);
    expect(json.mediaType).toBe(SIGSTORE_BUNDLE_V03);
    expect(json.verificationMaterial).toEqual({
      publicKey: { hint: keyHint(key) },
      tlogEntries: [],
      timestampVerificationData: { rfc3161Timestamps: [] },
    });
    expect(json.dsseEnvelope.payloadType).toBe('application/vnd.in-toto+json');
    expect(json.dsseEnvelope.signatures).toHaveLength(1);
    expect(json.dsseEnvelope.signatures[0].keyid).toBe('');
    const statement = JSON.parse(Buffer.from(json.dsseEnvelope.payload, 'base64').toString('utf8'));
    expect(statement).toEqual({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ digest: { sha256: 'ab'.repeat(32) } }],
      predicateType: COSIGN_SIGN_PREDICATE,
      predicate: {},
    });
  });

  it('round-trips through parseBundle', () => {
    const bundle = signed();
    const bytes = serializeBundle(bundle);
    expect(serializeBundle(parseBundle(bytes, 'x'))).toEqual(bytes);
  });

  it('refuses an envelope with two signatures', () => {
    const envelope = signEnvelope(key, IN_TOTO_PAYLOAD_TYPE, cosignSignStatement(DIGEST));
    const two = { ...envelope, signatures: [...envelope.signatures, ...envelope.signatures] };
    expect(() => bundleFromEnvelope(two, key)).toThrow(/exactly one DSSE signature/);
  });
});

describe('independent verification of the bundles we write', () => {
  it('@sigstore/bundle parses it and @sigstore/verify verifies it with the key', () => {
    const json = JSON.parse(serializeBundle(signed()).toString('utf8'));
    const parsed = bundleFromJSON(json);
    expect(parsed.mediaType).toBe(SIGSTORE_BUNDLE_V03);
    const verifier = new Verifier(
      {
        certificateAuthorities: [],
        timestampAuthorities: [],
        tlogs: [],
        ctlogs: [],
        publicKey: (hint: string) => {
          expect(hint).toBe(keyHint(key));
          return { publicKey: key.publicKey, validFor: () => true };
        },
      },
      { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 },
    );
    expect(() => verifier.verify(toSignedEntity(parsed))).not.toThrow();
    const wrong = new Verifier(
      {
        certificateAuthorities: [],
        timestampAuthorities: [],
        tlogs: [],
        ctlogs: [],
        publicKey: () => ({ publicKey: stranger.publicKey, validFor: () => true }),
      },
      { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 },
    );
    expect(() => wrong.verify(toSignedEntity(parsed))).toThrow(/signature verification failed/);
  });

  it('openssl dgst -sha256 -verify accepts the DSSE signature over the PAE bytes', () => {
    const bundle = signed();
    const body = Buffer.from(bundle.dsseEnvelope.payload, 'base64');
    const paeFile = join(dir, 'pae.bin');
    const sigFile = join(dir, 'sig.der');
    const pubFile = join(dir, 'key.pub');
    writeFileSync(paeFile, pae(IN_TOTO_PAYLOAD_TYPE, body));
    writeFileSync(sigFile, Buffer.from(bundle.dsseEnvelope.signatures[0]!.sig, 'base64'));
    writeFileSync(pubFile, keyPairPem(key).publicPem);
    const out = execFileSync('openssl', [
      'dgst',
      '-sha256',
      '-verify',
      pubFile,
      '-signature',
      sigFile,
      paeFile,
    ]);
    expect(out.toString()).toMatch(/Verified OK/);
    writeFileSync(pubFile, keyPairPem(stranger).publicPem);
    expect(() =>
      execFileSync('openssl', ['dgst', '-sha256', '-verify', pubFile, '-signature', sigFile, paeFile], {
        stdio: 'pipe',
      }),
    ).toThrow();
  });
});

describe('verifyBundle', () => {
  it('accepts our bundle for its digest and returns the statement', () => {
    const verdict = verifyBundle(signed(), key, DIGEST);
    expect(verdict).toMatchObject({ ok: true, predicateType: COSIGN_SIGN_PREDICATE });
  });

  it('accepts a bundle as cosign writes it (no tlogEntries, no keyid)', () => {
    const json = JSON.parse(serializeBundle(signed()).toString('utf8'));
    delete json.verificationMaterial.tlogEntries;
    delete json.verificationMaterial.timestampVerificationData;
    delete json.dsseEnvelope.signatures[0].keyid;
    const bundle = parseBundle(Buffer.from(JSON.stringify(json)), 'cosign');
    expect(verifyBundle(bundle, key, DIGEST).ok).toBe(true);
  });

  it('ignores tlog entries it cannot check offline', () => {
    const json = JSON.parse(serializeBundle(signed()).toString('utf8'));
    json.verificationMaterial.tlogEntries = [{ logIndex: '1', logId: { keyId: 'AAAA' } }];
    expect(verifyBundle(parseBundle(Buffer.from(JSON.stringify(json)), 'x'), key, DIGEST).ok).toBe(true);
  });

  it('verifies bundles signed with RSA keys too', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const rsa = { algorithm: 'rsa-pkcs1v15-sha256' as const, privateKey, publicKey };
    expect(verifyBundle(signed(DIGEST, rsa), rsa, DIGEST).ok).toBe(true);
    expect(verifyBundle(signed(DIGEST, rsa), key, DIGEST).ok).toBe(false);
  });

  it('accepts URL-safe base64 and ignores the key hint (the supplied key decides)', () => {
    const bundle = signed();
    const sig = bundle.dsseEnvelope.signatures[0]!.sig;
    const urlSafe: SigstoreBundle = {
      ...bundle,
      verificationMaterial: { ...bundle.verificationMaterial, publicKey: { hint: keyHint(stranger) } },
      dsseEnvelope: {
        ...bundle.dsseEnvelope,
        payload: Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('base64url'),
        signatures: [{ keyid: 'someone-else', sig: Buffer.from(sig, 'base64').toString('base64url') }],
      },
    };
    expect(verifyBundle(urlSafe, key, DIGEST).ok).toBe(true);
    expect(verifyBundle(urlSafe, stranger, DIGEST).ok).toBe(false);
  });

  it('rejects another key', () => {
    const verdict = verifyBundle(signed(), stranger, DIGEST);
    expect(verdict).toEqual({
      ok: false,
      reason: 'signature does not verify with the key (signature verification failed)',
    });
  });

  it('rejects another digest, naming the subjects', () => {
    const verdict = verifyBundle(signed(OTHER), key, DIGEST);
    expect(verdict).toEqual({
      ok: false,
      reason: `the statement's subjects (${OTHER}) do not include ${DIGEST}`,
    });
  });

  it('rejects a tampered payload', () => {
    const bundle = signed();
    const forged = Buffer.from(cosignSignStatement(OTHER)).toString('base64');
    const tampered = { ...bundle, dsseEnvelope: { ...bundle.dsseEnvelope, payload: forged } };
    const verdict = verifyBundle(tampered, key, OTHER);
    expect(verdict.ok).toBe(false);
    expect(!verdict.ok && verdict.reason).toMatch(/^signature does not verify/);
  });

  it('rejects a signed non-in-toto payload type', () => {
    const envelope = signEnvelope(key, 'application/json', cosignSignStatement(DIGEST));
    const verdict = verifyBundle(bundleFromEnvelope(envelope, key), key, DIGEST);
    expect(verdict).toEqual({
      ok: false,
      reason: "payloadType 'application/json' is not application/vnd.in-toto+json",
    });
  });

  it('rejects a signed payload that is not a statement', () => {
    const envelope = signEnvelope(key, IN_TOTO_PAYLOAD_TYPE, Buffer.from('{"hello":1}'));
    const verdict = verifyBundle(bundleFromEnvelope(envelope, key), key, DIGEST);
    expect(verdict.ok).toBe(false);
    expect(!verdict.ok && verdict.reason).toMatch(/in-toto statement: _type/);
  });

  it('refuses keyless bundles', () => {
    const json = JSON.parse(serializeBundle(signed()).toString('utf8'));
    json.verificationMaterial = { certificate: { rawBytes: 'MIIB' } };
    const verdict = verifyBundle(parseBundle(Buffer.from(JSON.stringify(json)), 'x'), key, DIGEST);
    expect(verdict).toEqual({ ok: false, reason: 'a keyless bundle (certificate), not signed by a key' });
  });
});
