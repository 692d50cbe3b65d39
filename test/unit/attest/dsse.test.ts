import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  generateEcdsaP256Key,
  loadSigningKey,
  loadVerifyingKey,
  pae,
  parseEnvelope,
  serializeEnvelope,
  signEnvelope,
  verifyEnvelope,
} from '../../../src/attest/index.js';
import { failure } from './failure.js';
import { VECTOR_PUB, VECTOR_STATEMENT, VECTOR_STATEMENT_SIG } from './vectors.js';

const INTOTO = 'application/vnd.in-toto+json';

describe('PAE', () => {
  it('matches the DSSE spec vector', () => {
    expect(pae('http://example.com/HelloWorld', Buffer.from('hello world')).toString()).toBe(
      'DSSEv1 29 http://example.com/HelloWorld 11 hello world',
    );
  });

  it('counts bytes, not characters', () => {
    expect(pae('t/é', Buffer.from('ü')).toString('utf8')).toBe('DSSEv1 4 t/é 2 ü');
    expect(pae('', new Uint8Array()).toString()).toBe('DSSEv1 0  0 ');
  });

  it('gives the spec statement prefix', () => {
    const bytes = pae(INTOTO, Buffer.from(VECTOR_STATEMENT));
    expect(bytes.length).toBe(295);
    expect(bytes.subarray(0, 43).toString()).toBe('DSSEv1 28 application/vnd.in-toto+json 252 ');
  });
});

describe('DSSE envelopes', () => {
  it('verifies the spec vector envelope, also with URL-safe base64', () => {
    const envelope = {
      payloadType: INTOTO,
      payload: Buffer.from(VECTOR_STATEMENT).toString('base64'),
      signatures: [{ keyid: '', sig: VECTOR_STATEMENT_SIG }],
    };
    const key = loadVerifyingKey(VECTOR_PUB);
    expect(verifyEnvelope(envelope, [key]).payload.toString()).toBe(VECTOR_STATEMENT);
    const urlSafe = {
      ...envelope,
      payload: Buffer.from(VECTOR_STATEMENT).toString('base64url'),
      signatures: [{ keyid: '', sig: Buffer.from(VECTOR_STATEMENT_SIG, 'base64').toString('base64url') }],
    };
    expect(verifyEnvelope(parseEnvelope(JSON.stringify(urlSafe)), [key]).payload.toString()).toBe(
      VECTOR_STATEMENT,
    );
  });

  it('round-trips through JSON and fails on tampering with a clear reason', () => {
    const key = generateEcdsaP256Key();
    const env = signEnvelope(key, INTOTO, Buffer.from('{"a":1}'), { keyid: 'k1' });
    const json = serializeEnvelope(env).toString();
    expect(json).toMatch(
      /^\{"payloadType":"application\/vnd.in-toto\+json","payload":"eyJhIjoxfQ==","signatures":\[\{"keyid":"k1","sig":"/,
    );
    const parsed = parseEnvelope(json);
    expect(verifyEnvelope(parsed, [key], { expectedPayloadType: INTOTO })).toEqual({
      payloadType: INTOTO,
      payload: Buffer.from('{"a":1}'),
      keys: [0],
    });
    const none = "SIGNATURE_BAD: none of the envelope's 1 signature(s) verifies with the given key(s)";
    expect(
      failure(() => verifyEnvelope({ ...parsed, payload: Buffer.from('{"a":2}').toString('base64') }, [key])),
    ).toBe(none);
    expect(failure(() => verifyEnvelope({ ...parsed, payloadType: 'application/json' }, [key]))).toBe(none);
    expect(failure(() => verifyEnvelope(parsed, [generateEcdsaP256Key()]))).toBe(none);
    expect(failure(() => verifyEnvelope({ ...parsed, signatures: [] }, [key]))).toBe(
      'SIGNATURE_BAD: the DSSE envelope has no signatures',
    );
    const other = generateEcdsaP256Key();
    expect(verifyEnvelope(parsed, [other, key]).keys).toEqual([1]);
  });

  it('signs and verifies with RSA keys too', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const key = loadSigningKey(rsa.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string);
    const env = signEnvelope(key, INTOTO, Buffer.from('{}'));
    expect(verifyEnvelope(env, [key]).payload.toString()).toBe('{}');
    expect(failure(() => verifyEnvelope(env, [generateEcdsaP256Key()]))).toMatch(/^SIGNATURE_BAD/);
  });

  it('checks the payload type after the signature', () => {
    const key = generateEcdsaP256Key();
    const env = signEnvelope(key, 'application/json', Buffer.from('{}'));
    expect(failure(() => verifyEnvelope(env, [key], { expectedPayloadType: INTOTO }))).toBe(
      "ENVELOPE_INVALID: DSSE envelope: payloadType 'application/json' is not 'application/vnd.in-toto+json'",
    );
  });

  it('refuses a raw r||s signature (cosign semantics)', () => {
    const env = {
      payloadType: INTOTO,
      payload: Buffer.from(VECTOR_STATEMENT).toString('base64'),
      signatures: [{ keyid: '', sig: Buffer.alloc(64, 1).toString('base64') }],
    };
    expect(failure(() => verifyEnvelope(env, [loadVerifyingKey(VECTOR_PUB)]))).toMatch(/^SIGNATURE_BAD/);
  });

  const broken: [string, string, string][] = [
    ['not JSON', '{', 'not JSON'],
    ['array', '[]', 'not a JSON object'],
    ['no payloadType', '{"payload":"","signatures":[]}', 'payloadType is not a string'],
    ['payload not base64', '{"payloadType":"t","payload":"!!","signatures":[]}', 'payload is not base64'],
    [
      'signatures not array',
      '{"payloadType":"t","payload":"","signatures":{}}',
      'signatures is not an array',
    ],
    [
      'signature not object',
      '{"payloadType":"t","payload":"","signatures":[1]}',
      'signatures[0] is not an object',
    ],
    ['sig missing', '{"payloadType":"t","payload":"","signatures":[{}]}', 'signatures[0].sig is not base64'],
    [
      'keyid number',
      '{"payloadType":"t","payload":"","signatures":[{"sig":"","keyid":1}]}',
      'signatures[0].keyid is not a string',
    ],
  ];
  for (const [name, text, reason] of broken) {
    it(`refuses a broken envelope: ${name}`, () => {
      expect(failure(() => parseEnvelope(text))).toBe(`ENVELOPE_INVALID: DSSE envelope: ${reason}`);
    });
  }

  it('ignores unknown fields and a missing keyid', () => {
    expect(
      parseEnvelope('{"payloadType":"t","payload":"","signatures":[{"sig":""}],"x":1}').signatures,
    ).toEqual([{ keyid: '', sig: '' }]);
  });
});
