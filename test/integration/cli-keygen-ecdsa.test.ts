import { execFileSync, spawnSync } from 'node:child_process';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  imageSubject,
  loadSigningKey,
  loadVerifyingKey,
  makeStatement,
  pae,
  predicateTypeFor,
  signBytes,
  signImage,
  signStatement,
  slsaProvenanceV1,
  verifyBytes,
} from '../../src/attest/index.js';
import { larder } from '../kit/cli.js';
import { tempDir } from '../kit/paths.js';

// Keys from `larder keygen --type ecdsa-p256` and signatures from the attest library, checked by
// a path that shares no code with larder: openssl.
function opensslVerify(pub: string, sig: string, data: string): string {
  return execFileSync('openssl', ['dgst', '-sha256', '-verify', pub, '-signature', sig, data], {
    encoding: 'utf8',
  });
}

function opensslRefuses(pub: string, sig: string, data: string): string {
  const r = spawnSync('openssl', ['dgst', '-sha256', '-verify', pub, '-signature', sig, data], {
    encoding: 'utf8',
  });
  expect(r.status).toBe(1);
  return r.stdout;
}

describe('larder keygen --type ecdsa-p256', () => {
  it('writes NAME.key and NAME.pub, prints both paths; openssl verifies a signature made with them', async () => {
    const dir = await tempDir();
    const r = larder(['keygen', '--type', 'ecdsa-p256', '--name', 'cosign', '--out', dir]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const keyPath = join(dir, 'cosign.key');
    const pubPath = join(dir, 'cosign.pub');
    expect(r.stdout).toBe(`${keyPath}\n${pubPath}\n`);
    expect((await stat(keyPath)).mode & 0o777).toBe(0o600);
    const text = execFileSync('openssl', ['pkey', '-in', keyPath, '-noout', '-text'], { encoding: 'utf8' });
    expect(text).toMatch(/NIST CURVE: P-256|prime256v1/);
    const pubText = execFileSync('openssl', ['pkey', '-pubin', '-in', pubPath, '-noout', '-text'], {
      encoding: 'utf8',
    });
    expect(pubText).toMatch(/Public-Key: \(256 bit\)/);

    const key = loadSigningKey(await readFile(keyPath, 'utf8'));
    const payload = join(dir, 'payload');
    await writeFile(payload, 'some payload bytes');
    await writeFile(join(dir, 'sig.der'), signBytes(key, Buffer.from('some payload bytes')));
    expect(opensslVerify(pubPath, join(dir, 'sig.der'), payload)).toBe('Verified OK\n');

    // and the other way round: openssl signs, larder verifies
    execFileSync('openssl', ['dgst', '-sha256', '-sign', keyPath, '-out', join(dir, 'ossl.der'), payload]);
    const pub = loadVerifyingKey(await readFile(pubPath, 'utf8'));
    expect(verifyBytes(pub, Buffer.from('some payload bytes'), await readFile(join(dir, 'ossl.der')))).toBe(
      true,
    );
  });

  it('--encrypt writes cosign encrypted form under LARDER_PASSWORD; needs a password', async () => {
    const dir = await tempDir();
    const r = larder(['keygen', '--type', 'ecdsa-p256', '--encrypt', '--name', 'enc', '--out', dir], {
      env: { LARDER_PASSWORD: 's3cret', COSIGN_PASSWORD: '' },
    });
    expect(r.status).toBe(0);
    const text = await readFile(join(dir, 'enc.key'), 'utf8');
    expect(text).toMatch(/^-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n/);
    expect(loadSigningKey(text, { password: 's3cret' }).algorithm).toBe('ecdsa-p256-sha256');
    expect(() => loadSigningKey(text, { password: 'other' })).toThrow(/wrong password/);

    const env = { ...process.env };
    delete env.LARDER_PASSWORD;
    delete env.COSIGN_PASSWORD;
    const none = larder(['keygen', '--type', 'ecdsa-p256', '--encrypt', '--name', 'x', '--out', dir], {
      env,
    });
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/--encrypt: set LARDER_PASSWORD \(or COSIGN_PASSWORD\)/);
  });

  it('keeps rsa the default and refuses unknown types', async () => {
    const dir = await tempDir();
    const rsa = larder(['keygen', '--name', 'apk', '--out', dir, '--bits', '2048']);
    expect(rsa.status).toBe(0);
    expect(rsa.stdout).toBe(`${join(dir, 'apk.rsa')}\n${join(dir, 'apk.rsa.pub')}\n`);
    const bad = larder(['keygen', '--type', 'dsa', '--name', 'k', '--out', dir]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--type 'dsa': use rsa or ecdsa-p256/);
    const bits = larder(['keygen', '--type', 'ecdsa-p256', '--bits', '2048', '--name', 'k', '--out', dir]);
    expect(bits.status).toBe(2);
    expect(bits.stderr).toMatch(/--bits applies to --type rsa only/);
    const enc = larder(['keygen', '--encrypt', '--name', 'k', '--out', dir], {
      env: { LARDER_PASSWORD: 'x' },
    });
    expect(enc.status).toBe(2);
    expect(enc.stderr).toMatch(/--encrypt applies to --type ecdsa-p256 only/);
  });
});

describe('signatures made with a keygen key verify with openssl', () => {
  const digest = `sha256:${'ab'.repeat(32)}`;

  it('a cosign simple-signing signature and a DSSE in-toto signature; tampered bytes fail', async () => {
    const dir = await tempDir();
    const r = larder(['keygen', '--type', 'ecdsa-p256', '--encrypt', '--name', 'k', '--out', dir], {
      env: { LARDER_PASSWORD: 'pw' },
    });
    expect(r.status).toBe(0);
    const key = loadSigningKey(await readFile(join(dir, 'k.key'), 'utf8'), { password: 'pw' });
    const pub = join(dir, 'k.pub');

    const signed = signImage(key, {
      dockerReference: 'registry.example.com/team/app',
      manifestDigest: digest,
      optional: null,
    });
    await writeFile(join(dir, 'payload.json'), signed.payload);
    await writeFile(join(dir, 'payload.sig'), Buffer.from(signed.signature, 'base64'));
    expect(opensslVerify(pub, join(dir, 'payload.sig'), join(dir, 'payload.json'))).toBe('Verified OK\n');

    const statement = makeStatement(
      [imageSubject('registry.example.com/team/app', digest)],
      predicateTypeFor('slsaprovenance1'),
      slsaProvenanceV1({
        builderId: 'https://larder.dev/builder/v1',
        buildType: 'https://larder.dev/build/image/v1',
        externalParameters: {},
        sourceDateEpoch: '0',
      }),
    );
    const env = signStatement(key, statement);
    await writeFile(join(dir, 'pae.bin'), pae(env.payloadType, Buffer.from(env.payload, 'base64')));
    await writeFile(join(dir, 'pae.sig'), Buffer.from(env.signatures[0]?.sig ?? '', 'base64'));
    expect(opensslVerify(pub, join(dir, 'pae.sig'), join(dir, 'pae.bin'))).toBe('Verified OK\n');

    // openssl rejects the statement signature over the bare payload (it covers the PAE) and a changed payload
    await writeFile(join(dir, 'bare.json'), Buffer.from(env.payload, 'base64'));
    expect(opensslRefuses(pub, join(dir, 'pae.sig'), join(dir, 'bare.json'))).toMatch(
      /Verification [Ff]ailure/,
    );
    const changed = Buffer.from(signed.payload);
    changed[10] = (changed[10] ?? 0) ^ 1;
    await writeFile(join(dir, 'changed.json'), changed);
    expect(opensslRefuses(pub, join(dir, 'payload.sig'), join(dir, 'changed.json'))).toMatch(
      /Verification [Ff]ailure/,
    );
  });
});
