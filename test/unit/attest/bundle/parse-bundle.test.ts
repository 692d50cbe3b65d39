import { describe, expect, it } from 'vitest';
import {
  bundleFromEnvelope,
  cosignSignStatement,
  generateEcdsaP256Key,
  IN_TOTO_PAYLOAD_TYPE,
  parseBundle,
  serializeBundle,
  signEnvelope,
  verifyBundle,
} from '../../../../src/attest/index.js';
import { isLarderError } from '../../../../src/core/index.js';
import { prng } from '../../../kit/prng.js';

const key = generateEcdsaP256Key();
const DIGEST = `sha256:${'ab'.repeat(32)}`;
const GOOD = serializeBundle(
  bundleFromEnvelope(signEnvelope(key, IN_TOTO_PAYLOAD_TYPE, cosignSignStatement(DIGEST)), key),
);
// biome-ignore lint/suspicious/noExplicitAny: the corpus edits arbitrary JSON fields
type Doc = any;
const good = (): Doc => JSON.parse(GOOD.toString('utf8'));

function failure(bytes: Uint8Array | string): string {
  try {
    parseBundle(typeof bytes === 'string' ? Buffer.from(bytes) : bytes, 'reg/app@sha256:1');
  } catch (err) {
    if (isLarderError(err, 'BUNDLE_INVALID')) return err.message;
    throw err;
  }
  throw new Error('expected BUNDLE_INVALID');
}

function edited(edit: (doc: Doc) => void): string {
  const doc = good();
  edit(doc);
  return JSON.stringify(doc);
}

describe('parseBundle broken-input corpus', () => {
  const P = 'reg/app@sha256:1: sigstore bundle: ';
  const cases: [string, string, string][] = [
    ['empty input', '', 'not JSON'],
    ['truncated JSON', GOOD.subarray(0, 40).toString(), 'not JSON'],
    ['an array', '[]', 'not a JSON object'],
    ['null', 'null', 'not a JSON object'],
    ['no mediaType', edited((d) => delete d.mediaType), 'mediaType is not a string'],
    [
      'foreign mediaType',
      edited((d) => (d.mediaType = 'application/json')),
      "mediaType 'application/json' is not a sigstore bundle media type",
    ],
    [
      'v0.2 bundle',
      edited((d) => (d.mediaType = 'application/vnd.dev.sigstore.bundle+json;version=0.2')),
      "mediaType 'application/vnd.dev.sigstore.bundle+json;version=0.2': bundle version below 0.3",
    ],
    ['no envelope', edited((d) => delete d.dsseEnvelope), 'dsseEnvelope is missing'],
    [
      'message signature',
      edited((d) => {
        delete d.dsseEnvelope;
        d.messageSignature = {};
      }),
      'a messageSignature bundle, not a DSSE envelope',
    ],
    [
      'payload not base64',
      edited((d) => (d.dsseEnvelope.payload = '%%%')),
      'dsseEnvelope: DSSE envelope: payload is not base64',
    ],
    [
      'signatures not an array',
      edited((d) => (d.dsseEnvelope.signatures = {})),
      'dsseEnvelope: DSSE envelope: signatures is not an array',
    ],
    [
      'two signatures',
      edited((d) => d.dsseEnvelope.signatures.push(d.dsseEnvelope.signatures[0])),
      'dsseEnvelope.signatures has 2 entries, a bundle holds exactly one',
    ],
    [
      'no signatures',
      edited((d) => (d.dsseEnvelope.signatures = [])),
      'dsseEnvelope.signatures has 0 entries, a bundle holds exactly one',
    ],
    [
      'keyid a number',
      edited((d) => (d.dsseEnvelope.signatures[0].keyid = 7)),
      'dsseEnvelope: DSSE envelope: signatures[0].keyid is not a string',
    ],
    ['no material', edited((d) => delete d.verificationMaterial), 'verificationMaterial is not an object'],
    [
      'no key kind',
      edited((d) => delete d.verificationMaterial.publicKey),
      'verificationMaterial needs exactly one of publicKey, certificate, x509CertificateChain',
    ],
    [
      'two key kinds',
      edited((d) => (d.verificationMaterial.certificate = { rawBytes: 'AAAA' })),
      'verificationMaterial needs exactly one of publicKey, certificate, x509CertificateChain',
    ],
    [
      'hint a number',
      edited((d) => (d.verificationMaterial.publicKey.hint = 1)),
      'verificationMaterial.publicKey.hint is not a string',
    ],
    [
      'certificate without bytes',
      edited((d) => {
        delete d.verificationMaterial.publicKey;
        d.verificationMaterial.certificate = {};
      }),
      'verificationMaterial.certificate.rawBytes is not base64',
    ],
    [
      'empty chain',
      edited((d) => {
        delete d.verificationMaterial.publicKey;
        d.verificationMaterial.x509CertificateChain = { certificates: [] };
      }),
      'verificationMaterial.x509CertificateChain.certificates is empty',
    ],
    [
      'tlogEntries an object',
      edited((d) => (d.verificationMaterial.tlogEntries = {})),
      'verificationMaterial.tlogEntries is not an array',
    ],
    [
      'tlog entry a string',
      edited((d) => (d.verificationMaterial.tlogEntries = ['x'])),
      'verificationMaterial.tlogEntries[0] is not an object',
    ],
    [
      'timestamps a string',
      edited((d) => (d.verificationMaterial.timestampVerificationData = 'x')),
      'verificationMaterial.timestampVerificationData is not an object',
    ],
  ];
  it.each(cases)('%s', (_name, input, reason) => {
    expect(failure(input)).toBe(`${P}${reason}`);
  });

  it('accepts later bundle versions and the v0.1-style version parameter at 0.3', () => {
    for (const mediaType of [
      'application/vnd.dev.sigstore.bundle.v0.4+json',
      'application/vnd.dev.sigstore.bundle+json;version=0.3',
    ]) {
      expect(parseBundle(Buffer.from(edited((d) => (d.mediaType = mediaType))), 'x').mediaType).toBe(
        mediaType,
      );
    }
  });

  it('names the subject in the error', () => {
    let subject: string | undefined;
    try {
      parseBundle(Buffer.from('{'), 'registry.test/app referrer sha256:9');
    } catch (err) {
      if (isLarderError(err, 'BUNDLE_INVALID')) subject = err.subject;
    }
    expect(subject).toBe('registry.test/app referrer sha256:9');
  });
});

describe('parseBundle seeded fuzz', () => {
  it('mutated bytes either parse or throw BUNDLE_INVALID, never anything else', () => {
    const random = prng(0x5eed7);
    let parsed = 0;
    let refused = 0;
    for (let round = 0; round < 3000; round++) {
      const bytes = Buffer.from(GOOD);
      const edits = 1 + Math.floor(random() * 6);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(random() * bytes.length);
        const kind = random();
        if (kind < 0.5) bytes[at] = Math.floor(random() * 256);
        else if (kind < 0.75) bytes[at] = '{}[]":,0an"'.charCodeAt(Math.floor(random() * 11));
        else bytes[at] = 0x20;
      }
      const cut = random() < 0.2 ? bytes.subarray(0, Math.floor(random() * bytes.length)) : bytes;
      try {
        const bundle = parseBundle(cut, 'fuzz');
        expect(typeof verifyBundle(bundle, key, DIGEST).ok).toBe('boolean');
        parsed++;
      } catch (err) {
        expect(isLarderError(err, 'BUNDLE_INVALID')).toBe(true);
        refused++;
      }
    }
    expect(parsed + refused).toBe(3000);
    expect(refused).toBeGreaterThan(100);
  });

  it('structure-aware mutations (wrong JSON types in every field) throw BUNDLE_INVALID', () => {
    const random = prng(42);
    const values: unknown[] = [null, 0, 1.5, '', 'x', [], {}, [1], { a: 1 }, true];
    const paths: string[][] = [];
    const walk = (node: unknown, path: string[]) => {
      paths.push(path);
      if (node !== null && typeof node === 'object') {
        for (const [k, v] of Object.entries(node as object)) walk(v, [...path, k]);
      }
    };
    walk(good(), []);
    for (let round = 0; round < 2000; round++) {
      const doc = good();
      const path = paths[Math.floor(random() * paths.length)]!;
      const value = values[Math.floor(random() * values.length)];
      if (path.length === 0) continue;
      let node: Doc = doc;
      for (const k of path.slice(0, -1)) node = node[k];
      node[path[path.length - 1]!] = value;
      try {
        const bundle = parseBundle(Buffer.from(JSON.stringify(doc)), 'fuzz');
        expect(typeof verifyBundle(bundle, key, DIGEST).ok).toBe('boolean');
      } catch (err) {
        expect(isLarderError(err, 'BUNDLE_INVALID')).toBe(true);
      }
    }
  });
});
