import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  generateEcdsaP256Key,
  MAX_SIGNATURE_LAYERS,
  SIGNATURE_ANNOTATION,
  SIMPLE_SIGNING_MEDIA_TYPE,
  signatureConfig,
  signatureImage,
  signatureLayer,
  signatureLayers,
  signatureTag,
  signImage,
  verifyImageSignature,
} from '../../../src/attest/index.js';
import { isLarderError } from '../../../src/core/index.js';

const HEX = 'ab'.repeat(32);
const DIGEST = `sha256:${HEX}`;
const sha = (b: Uint8Array) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

describe('cosign legacy signature manifest', () => {
  it('names the tag sha256-<hex>.sig and rejects other digests', () => {
    expect(signatureTag(DIGEST)).toBe(`sha256-${HEX}.sig`);
    expect(() => signatureTag('sha512:00')).toThrow(/expected sha256/);
  });

  it('builds one simple-signing layer per signature with the signature annotation', () => {
    const key = generateEcdsaP256Key();
    const signed = signImage(key, {
      dockerReference: 'r.example/a/b',
      manifestDigest: DIGEST,
      optional: null,
    });
    const layer = signatureLayer(signed.payload, signed.signature);
    expect(layer).toEqual({
      mediaType: SIMPLE_SIGNING_MEDIA_TYPE,
      size: signed.payload.length,
      digest: sha(signed.payload),
      annotations: { [SIGNATURE_ANNOTATION]: signed.signature },
    });
    const image = signatureImage([layer, layer]);
    const manifest = JSON.parse(image.manifest.bytes.toString('utf8'));
    expect(manifest.schemaVersion).toBe(2);
    expect(manifest.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
    expect(manifest.config).toEqual({
      mediaType: 'application/vnd.oci.image.config.v1+json',
      size: image.config.size,
      digest: image.config.digest,
    });
    expect(manifest.layers).toHaveLength(2);
    expect(image.manifest.digest).toBe(sha(image.manifest.bytes));
    expect(image.config.digest).toBe(sha(image.config.bytes));
    expect(signatureLayers(image.manifest.bytes)).toEqual([layer, layer]);
    const back = signatureLayers(image.manifest.bytes)[0]!;
    const claims = verifyImageSignature(
      key,
      { payload: signed.payload, signature: back.annotations![SIGNATURE_ANNOTATION]! },
      DIGEST,
    );
    expect(claims.manifestDigest).toBe(DIGEST);
  });

  it("writes the config in go-containerregistry's empty-image shape", () => {
    const layer = signatureLayer(Buffer.from('{}'), 'AA==');
    expect(JSON.parse(signatureConfig([layer]).bytes.toString('utf8'))).toEqual({
      architecture: '',
      created: '0001-01-01T00:00:00Z',
      history: [{ created: '0001-01-01T00:00:00Z' }],
      os: '',
      rootfs: { type: 'layers', diff_ids: [layer.digest] },
      config: {},
    });
  });

  it('caps a signature image at 1000 layers', () => {
    const layer = signatureLayer(Buffer.from('{}'), 'AA==');
    expect(signatureImage(Array(MAX_SIGNATURE_LAYERS).fill(layer)).manifest.size).toBeGreaterThan(0);
    expect(() => signatureImage(Array(MAX_SIGNATURE_LAYERS + 1).fill(layer))).toThrow(/at most 1000/);
  });

  it('rejects manifests that are not JSON or whose layers are not descriptors', () => {
    for (const text of ['nope', '{"layers":{}}', '{"layers":[{"mediaType":"x","digest":"y"}]}']) {
      try {
        signatureLayers(Buffer.from(text));
        expect.unreachable();
      } catch (err) {
        expect(isLarderError(err, 'PAYLOAD_INVALID')).toBe(true);
      }
    }
  });
});
