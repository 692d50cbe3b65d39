import { execFileSync } from 'node:child_process';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSigningKey, loadVerifyingKey, signBytes, verifyBytes } from '../../src/attest/index.js';
import { larder } from '../kit/cli.js';
import { tempDir } from '../kit/paths.js';

// Keys from `larder keygen --type ecdsa-p256` and signatures from the attest library, checked by
// a path that shares no code with larder: openssl.
function opensslVerify(pub: string, sig: string, data: string): string {
  return execFileSync('openssl', ['dgst', '-sha256', '-verify', pub, '-signature', sig, data], {
    encoding: 'utf8',
  });
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
  });
});
