import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  generateEcdsaP256Key,
  goJson,
  loadVerifyingKey,
  parseSimpleSigningPayload,
  signImage,
  simpleSigningPayload,
  verifyImageSignature,
} from '../../../src/attest/index.js';
import { failure } from './failure.js';
import { VECTOR_DIGEST, VECTOR_PAYLOAD, VECTOR_PAYLOAD_SIG, VECTOR_PUB } from './vectors.js';

const REPO = 'registry.example.com/team/app';
const OTHER = `sha256:${'0'.repeat(64)}`;

describe('simple-signing payload', () => {
  it('is byte for byte the spec example (245 bytes, known digest)', () => {
    const bytes = simpleSigningPayload({
      dockerReference: REPO,
      manifestDigest: VECTOR_DIGEST,
      optional: null,
    });
    expect(bytes.toString('utf8')).toBe(VECTOR_PAYLOAD);
    expect(bytes.length).toBe(245);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(
      '24a8e1d8994000d4cfdfaec0d671316eb7e73da280e29410fde69fb3032b464e',
    );
  });

  it('writes optional annotations as Go does: keys sorted, HTML characters escaped', () => {
    const bytes = simpleSigningPayload({
      dockerReference: REPO,
      manifestDigest: VECTOR_DIGEST,
      optional: { z: 'a<b>&c', a: { y: 1, b: [true] } },
    });
    expect(bytes.toString('utf8')).toMatch(
      /,"optional":\{"a":\{"b":\[true\],"y":1\},"z":"a\\u003cb\\u003e\\u0026c"\}\}$/,
    );
    expect(parseSimpleSigningPayload(bytes).optional).toEqual({ z: 'a<b>&c', a: { y: 1, b: [true] } });
    expect(goJson('\u2028')).toBe('"\\u2028"');
  });

  it('refuses a digest that is not sha256:<hex>', () => {
    expect(
      failure(() =>
        simpleSigningPayload({ dockerReference: REPO, manifestDigest: 'sha256:abc', optional: null }),
      ),
    ).toMatch(/^USAGE: manifest digest 'sha256:abc'/);
  });

  it('parses with clear reasons', () => {
    expect(failure(() => parseSimpleSigningPayload(Buffer.from('{')))).toBe(
      'PAYLOAD_INVALID: simple-signing payload: not JSON',
    );
    expect(failure(() => parseSimpleSigningPayload(Buffer.from('{"critical":[]}')))).toBe(
      'PAYLOAD_INVALID: simple-signing payload: critical is not an object',
    );
    expect(
      failure(() =>
        parseSimpleSigningPayload(
          Buffer.from('{"critical":{"identity":{},"image":{"docker-manifest-digest":"x"}}}'),
        ),
      ),
    ).toBe('PAYLOAD_INVALID: simple-signing payload: critical.identity.docker-reference is not a string');
  });
});

describe('image signatures (cosign .sig layers)', () => {
  it('verifies the spec vector signature', () => {
    const claims = verifyImageSignature(
      loadVerifyingKey(VECTOR_PUB),
      { payload: Buffer.from(VECTOR_PAYLOAD), signature: VECTOR_PAYLOAD_SIG },
      VECTOR_DIGEST,
    );
    expect(claims).toEqual({ dockerReference: REPO, manifestDigest: VECTOR_DIGEST, optional: null });
  });

  it('signs and verifies; tampering fails with a clear reason', () => {
    const key = generateEcdsaP256Key();
    const signed = signImage(key, {
      dockerReference: REPO,
      manifestDigest: VECTOR_DIGEST,
      optional: { a: 'b' },
    });
    expect(verifyImageSignature(key, signed, VECTOR_DIGEST).optional).toEqual({ a: 'b' });

    const changed = Buffer.from(signed.payload);
    changed[changed.length - 3] = (changed[changed.length - 3] ?? 0) ^ 1;
    expect(failure(() => verifyImageSignature(key, { ...signed, payload: changed }, VECTOR_DIGEST))).toBe(
      'SIGNATURE_BAD: the signature does not verify over the payload with this key',
    );
    expect(failure(() => verifyImageSignature(generateEcdsaP256Key(), signed, VECTOR_DIGEST))).toBe(
      'SIGNATURE_BAD: the signature does not verify over the payload with this key',
    );
    expect(failure(() => verifyImageSignature(key, signed, OTHER))).toBe(
      `SIGNATURE_BAD: the signature is valid but signs ${VECTOR_DIGEST}, not the image ${OTHER}`,
    );
    expect(
      failure(() => verifyImageSignature(key, { ...signed, signature: 'not base64!' }, VECTOR_DIGEST)),
    ).toBe('SIGNATURE_BAD: the signature is not standard base64');
  });

  it('verifies a well-signed payload that is not JSON only up to the claim check', () => {
    const key = generateEcdsaP256Key();
    const payload = Buffer.from('not json');
    const signature = signImage(key, {
      dockerReference: REPO,
      manifestDigest: VECTOR_DIGEST,
      optional: null,
    }).signature;
    expect(failure(() => verifyImageSignature(key, { payload, signature }, VECTOR_DIGEST))).toMatch(
      /^SIGNATURE_BAD/,
    );
  });
});
