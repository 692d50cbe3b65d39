import { generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  encryptPrivateKey,
  generateEcdsaP256Key,
  keyHint,
  keyPairPem,
  loadSigningKey,
  loadVerifyingKey,
  passwordFromEnv,
  signBytes,
  verifyBytes,
  writeEcdsaKeyPair,
} from '../../../src/attest/index.js';
import { tempDir } from '../../kit/paths.js';
import { failure } from './failure.js';
import { VECTOR_HINT, VECTOR_PAYLOAD, VECTOR_PAYLOAD_SIG, VECTOR_PUB } from './vectors.js';

describe('ECDSA P-256 keys', () => {
  it('writes NAME.key (PKCS#8, 0600) and NAME.pub (SPKI) that load and sign', async () => {
    const dir = await tempDir();
    const { privateKeyPath, publicKeyPath } = await writeEcdsaKeyPair('cosign', { dir });
    expect(privateKeyPath).toBe(join(dir, 'cosign.key'));
    expect(publicKeyPath).toBe(join(dir, 'cosign.pub'));
    expect((await stat(privateKeyPath)).mode & 0o777).toBe(0o600);
    const priv = await readFile(privateKeyPath, 'utf8');
    const pub = await readFile(publicKeyPath, 'utf8');
    expect(priv).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(pub).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    const key = loadSigningKey(priv);
    expect(key.algorithm).toBe('ecdsa-p256-sha256');
    const verifier = loadVerifyingKey(pub);
    const sig = signBytes(key, Buffer.from('hello'));
    expect(sig[0]).toBe(0x30); // ASN.1 SEQUENCE: DER, not raw r||s
    expect(verifyBytes(verifier, Buffer.from('hello'), sig)).toBe(true);
    expect(verifyBytes(verifier, Buffer.from('hellO'), sig)).toBe(false);
    expect(keyHint(verifier)).toBe(keyHint(key));
  });

  it('verifies the spec vector and computes its key hint', () => {
    const pub = loadVerifyingKey(VECTOR_PUB);
    expect(verifyBytes(pub, Buffer.from(VECTOR_PAYLOAD), Buffer.from(VECTOR_PAYLOAD_SIG, 'base64'))).toBe(
      true,
    );
    expect(keyHint(pub)).toBe(VECTOR_HINT);
  });

  it('refuses a raw r||s signature', () => {
    const key = generateEcdsaP256Key();
    const raw = signBytes(key, Buffer.from('x'));
    const p1363 = nodeSign('sha256', Buffer.from('x'), { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
    expect(p1363.length).toBe(64);
    expect(verifyBytes(key, Buffer.from('x'), p1363)).toBe(false);
    expect(verifyBytes(key, Buffer.from('x'), raw)).toBe(true);
  });

  it('loads SEC1 EC PRIVATE KEY and RSA keys; refuses other curves and small RSA', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const sec1 = ec.privateKey.export({ format: 'pem', type: 'sec1' }) as string;
    expect(loadSigningKey(sec1).algorithm).toBe('ecdsa-p256-sha256');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const rsaKey = loadSigningKey(rsa.privateKey.export({ format: 'pem', type: 'pkcs1' }) as string);
    expect(rsaKey.algorithm).toBe('rsa-pkcs1v15-sha256');
    expect(verifyBytes(rsaKey, Buffer.from('a'), signBytes(rsaKey, Buffer.from('a')))).toBe(true);
    const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
    expect(
      failure(() => loadSigningKey(p384.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string)),
    ).toMatch(/^KEY_INVALID: ECDSA key on curve secp384r1/);
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(
      failure(() => loadVerifyingKey(small.publicKey.export({ format: 'pem', type: 'spki' }) as string)),
    ).toMatch(/^KEY_INVALID: RSA key of 1024 bits/);
    const ed = generateKeyPairSync('ed25519');
    expect(
      failure(() => loadSigningKey(ed.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string)),
    ).toMatch(/^KEY_INVALID: ed25519 key/);
  });

  it('takes the password from LARDER_PASSWORD, then COSIGN_PASSWORD', () => {
    expect(passwordFromEnv({ LARDER_PASSWORD: 'a', COSIGN_PASSWORD: 'b' })).toBe('a');
    expect(passwordFromEnv({ COSIGN_PASSWORD: '' })).toBe('');
    expect(passwordFromEnv({})).toBeUndefined();
  });
});

describe('cosign encrypted private keys', () => {
  it('round-trips with the right password and fails clearly with a wrong one', () => {
    const key = generateEcdsaP256Key();
    const pem = encryptPrivateKey(key.privateKey, 'correct horse');
    expect(pem).toMatch(/^-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n/);
    const body = JSON.parse(Buffer.from(pem.split('\n').slice(1, -2).join(''), 'base64').toString('utf8'));
    expect(Object.keys(body)).toEqual(['kdf', 'cipher', 'ciphertext']);
    expect(body.kdf).toMatchObject({ name: 'scrypt', params: { N: 65536, r: 8, p: 1 } });
    expect(Buffer.from(body.kdf.salt, 'base64')).toHaveLength(32);
    expect(body.cipher.name).toBe('nacl/secretbox');
    expect(Buffer.from(body.cipher.nonce, 'base64')).toHaveLength(24);
    const loaded = loadSigningKey(pem, { password: 'correct horse' });
    expect(keyHint(loaded)).toBe(keyHint(key));
    expect(verifyBytes(key, Buffer.from('m'), signBytes(loaded, Buffer.from('m')))).toBe(true);
    expect(failure(() => loadSigningKey(pem, { password: 'wrong' }))).toBe(
      'KEY_PASSWORD_WRONG: encrypted key: wrong password, or the key file is corrupted',
    );
    expect(failure(() => loadSigningKey(pem))).toMatch(
      /^USAGE: the private key is encrypted: set LARDER_PASSWORD/,
    );
  });

  it('reads the older ENCRYPTED COSIGN PRIVATE KEY label and an empty password', () => {
    const key = generateEcdsaP256Key();
    const pem = encryptPrivateKey(key.privateKey, '').replaceAll('SIGSTORE', 'COSIGN');
    expect(keyHint(loadSigningKey(pem, { password: '' }))).toBe(keyHint(key));
  });

  it('writes an encrypted NAME.key when given a password', async () => {
    const dir = await tempDir();
    const { privateKeyPath } = await writeEcdsaKeyPair('enc', { dir, password: 'pw' });
    const text = await readFile(privateKeyPath, 'utf8');
    expect(loadSigningKey(text, { password: 'pw' }).algorithm).toBe('ecdsa-p256-sha256');
    expect(keyPairPem(generateEcdsaP256Key()).privatePem).toMatch(/BEGIN PRIVATE KEY/);
  });
});

function encryptedPem(doc: unknown): string {
  const b64 = Buffer.from(JSON.stringify(doc)).toString('base64');
  return `-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n${b64}\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n`;
}

describe('broken key files', () => {
  const good = {
    kdf: { name: 'scrypt', params: { N: 32768, r: 8, p: 1 }, salt: Buffer.alloc(32).toString('base64') },
    cipher: { name: 'nacl/secretbox', nonce: Buffer.alloc(24).toString('base64') },
    ciphertext: Buffer.alloc(40).toString('base64'),
  };
  const cases: [string, string, RegExp][] = [
    ['empty file', '', /^KEY_INVALID: not a PEM file/],
    ['no END', '-----BEGIN PRIVATE KEY-----\nAAAA\n', /^KEY_INVALID: not a PEM file/],
    [
      'mismatched END',
      '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PUBLIC KEY-----\n',
      /^KEY_INVALID: PEM block BEGIN PRIVATE KEY ends with END PUBLIC KEY/,
    ],
    [
      'bad base64',
      '-----BEGIN PRIVATE KEY-----\n@@@@\n-----END PRIVATE KEY-----\n',
      /^KEY_INVALID: PEM block PRIVATE KEY: the body is not base64/,
    ],
    [
      'garbage DER',
      '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n',
      /^KEY_INVALID: PEM block 'PRIVATE KEY'/,
    ],
    ['public key as private', VECTOR_PUB, /^KEY_INVALID: PEM block 'PUBLIC KEY' is not a private key/],
    ['certificate', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n', /is not a private key/],
    [
      'encrypted body not JSON',
      '-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n',
      /^KEY_INVALID: encrypted key: the PEM body is not JSON/,
    ],
    ['encrypted JSON array', encryptedPem([1]), /not a JSON object/],
    [
      'other kdf',
      encryptedPem({ ...good, kdf: { ...good.kdf, name: 'pbkdf2' } }),
      /kdf 'pbkdf2' is not scrypt/,
    ],
    [
      'other cipher',
      encryptedPem({ ...good, cipher: { ...good.cipher, name: 'aes' } }),
      /cipher 'aes' is not nacl\/secretbox/,
    ],
    [
      'huge scrypt N',
      encryptedPem({ ...good, kdf: { ...good.kdf, params: { N: 1 << 30, r: 8, p: 1 } } }),
      /scrypt parameters N=1073741824 r=8 p=1 are not one of cosign's/,
    ],
    [
      'salt not base64',
      encryptedPem({ ...good, kdf: { ...good.kdf, salt: 42 } }),
      /kdf.salt is not a base64 string/,
    ],
    [
      'short nonce',
      encryptedPem({ ...good, cipher: { ...good.cipher, nonce: 'AAAA' } }),
      /nonce is 3 bytes, not 24/,
    ],
    ['tampered ciphertext', encryptedPem(good), /^KEY_PASSWORD_WRONG/],
  ];
  for (const [name, pem, expected] of cases) {
    it(`refuses: ${name}`, () => {
      expect(failure(() => loadSigningKey(pem, { password: 'pw' }))).toMatch(expected);
    });
  }

  it('refuses a private key where a public key is expected', () => {
    const pem = generateEcdsaP256Key().privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
    expect(failure(() => loadVerifyingKey(pem))).toBe(
      "KEY_INVALID: PEM block 'PRIVATE KEY' is not a PUBLIC KEY",
    );
  });
});
