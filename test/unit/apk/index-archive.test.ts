import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  formatApkIndexText,
  loadApkSigningKey,
  loadKeyring,
  newPackageRecord,
  readApkIndex,
  writeApkIndex,
} from '../../../src/apk/index.js';
import { gzipMember, splitGzipMembers, writeTar } from '../../../src/archive/index.js';
import { own, shared } from '../../kit/paths.js';

const SIGNED = [
  [
    'index/alpine-317-aarch64/APKINDEX.tar.gz',
    'keys/alpine',
    5004,
    'alpine-devel@lists.alpinelinux.org-616ae350.rsa.pub',
  ],
  ['index/rsa256-signed/APKINDEX.tar.gz', 'keys/rsa256', undefined, 'test-rsa256.rsa.pub'],
  ['index/signing/APKINDEX.tar.gz', 'keys/chainguard', 16, undefined],
  ['repo/melange-test/x86_64/APKINDEX.tar.gz', 'keys/melange', 4, 'melange.rsa.pub'],
  ['repo/melange-test/aarch64/APKINDEX.tar.gz', 'keys/melange', 4, 'melange.rsa.pub'],
] as const;

describe('real indexes', () => {
  for (const [file, keys, count, keyName] of SIGNED) {
    it(`${file} verifies with ${keys}`, async () => {
      const index = readApkIndex(await readFile(shared(file)), {
        source: file,
        keyring: await loadKeyring([shared(keys)]),
      });
      expect(index.signature.verdict).toBe('ok');
      if (keyName !== undefined) expect(index.signature).toMatchObject({ keyName });
      if (count !== undefined) expect(index.records.length).toBe(count);
      for (const r of index.records) expect(r.checksum).toMatch(/^Q1[A-Za-z0-9+/]{27}=$/);
    });
  }

  it('verifyApkIndex gives the same verdicts without parsing', async () => {
    const { verifyApkIndex } = await import('../../../src/apk/index.js');
    for (const [file, keys, , keyName] of SIGNED) {
      const trust = verifyApkIndex(await readFile(shared(file)), {
        keyring: await loadKeyring([shared(keys)]),
      });
      expect(trust.signature.verdict).toBe('ok');
      if (keyName !== undefined) expect(trust.signature).toMatchObject({ keyName });
    }
    const bytes = await readFile(shared('index/rsa256-signed/APKINDEX.tar.gz'));
    const melange = await loadKeyring([shared('keys/melange')]);
    expect(() => verifyApkIndex(bytes, { keyring: melange, source: 'x' })).toThrow(
      /x: signed with \.SIGN\.RSA256\.test-rsa256\.rsa\.pub/,
    );
    expect(verifyApkIndex(bytes, { keyring: melange, allowUntrusted: true }).signature.verdict).toBe(
      'untrusted',
    );
    const tampered = Buffer.from(bytes);
    tampered[tampered.length - 20]! ^= 1;
    const rsa256 = await loadKeyring([shared('keys/rsa256')]);
    expect(() => verifyApkIndex(tampered, { keyring: rsa256, allowUntrusted: true })).toThrow(
      expect.objectContaining({ code: 'SIGNATURE_BAD' }),
    );
  });

  it('the Chainguard index carries three RSA256 signatures and verifies with any one key', async () => {
    const bytes = await readFile(shared('index/signing/APKINDEX.tar.gz'));
    const all = readApkIndex(bytes, { keyring: await loadKeyring([shared('keys/chainguard')]) });
    expect(all.signatures.map((s) => s.type)).toEqual(['RSA256', 'RSA256', 'RSA256']);
    for (const s of all.signatures) {
      const one = await loadKeyring([shared('keys/chainguard', s.keyName)]);
      expect(readApkIndex(bytes, { keyring: one }).signature).toEqual({ verdict: 'ok', keyName: s.keyName });
    }
  });

  it('refuses an index whose key is missing unless --allow-untrusted, naming keys on both sides', async () => {
    const bytes = await readFile(shared('index/rsa256-signed/APKINDEX.tar.gz'));
    const keyring = await loadKeyring([shared('keys/melange')]);
    expect(() => readApkIndex(bytes, { source: 'x/APKINDEX.tar.gz', keyring })).toThrow(
      /x\/APKINDEX\.tar\.gz: signed with \.SIGN\.RSA256\.test-rsa256\.rsa\.pub; no such key in the keyring \(melange\.rsa\.pub\)/,
    );
    expect(readApkIndex(bytes, { keyring, allowUntrusted: true }).signature.verdict).toBe('untrusted');
  });

  it('rejects a tampered index even with --allow-untrusted', async () => {
    const bytes = Buffer.from(await readFile(shared('repo/melange-test/x86_64/APKINDEX.tar.gz')));
    const [sig, idx] = splitGzipMembers(bytes);
    const text = readApkIndex(bytes).records;
    text[0] = { ...text[0]!, description: 'tampered' };
    const forged = Buffer.concat([
      sig!.raw,
      gzipMember(
        writeTar(
          [
            {
              entry: { name: 'APKINDEX', type: 'file', mode: 0o644, mtime: 0 },
              data: Buffer.from(formatApkIndexText(text)),
            },
          ],
          { endBlocks: true },
        ),
      ),
    ]);
    expect(idx).toBeDefined();
    const keyring = await loadKeyring([shared('keys/melange')]);
    expect(() => readApkIndex(forged, { keyring, allowUntrusted: true })).toThrow(
      expect.objectContaining({ code: 'SIGNATURE_BAD' }),
    );
  });
});

describe('index write → read', () => {
  const records = [newPackageRecord('zlib', '1.3-r0'), newPackageRecord('busybox', '1.36.1-r2')].map((r) => ({
    ...r,
    checksum: 'Q1m6wB0UFePGN8Drz82pC8y2uAiu8=',
    arch: 'x86_64',
    size: 100,
    installedSize: 200,
    description: 'd',
    url: 'u',
    license: 'MIT',
    depends: ['so:libc.so.6'],
  }));

  it('round-trips signed, with DESCRIPTION, byte-identical on rewrite', async () => {
    const signKey = await loadApkSigningKey(own('keys/larder-test.rsa'));
    const a = writeApkIndex(records, { signKey, description: 'v1' });
    const b = writeApkIndex(records, { signKey, description: 'v1' });
    expect(a.equals(b)).toBe(true);
    const back = readApkIndex(a, { keyring: await loadKeyring([own('keys/larder-test.rsa.pub')]) });
    expect(back.signature).toEqual({ verdict: 'ok', keyName: 'larder-test.rsa.pub' });
    expect(back.description).toBe('v1');
    expect(back.records.map((r) => ({ ...r, fieldOrder: undefined }))).toEqual(
      records.map((r) => ({ ...r, fieldOrder: undefined })),
    );
    expect(back.signatures.map((s) => `${s.type}.${s.keyName}`)).toEqual(['RSA256.larder-test.rsa.pub']);
  });

  it('reads DESCRIPTION-first archives (apk-tools order) and plain APKINDEX text', () => {
    const text = formatApkIndexText(records);
    const tar = writeTar(
      [
        { entry: { name: 'DESCRIPTION', type: 'file', mode: 0o644, mtime: 0 }, data: Buffer.from('desc') },
        { entry: { name: 'APKINDEX', type: 'file', mode: 0o644, mtime: 0 }, data: Buffer.from(text) },
      ],
      { endBlocks: true },
    );
    const fromTar = readApkIndex(gzipMember(tar));
    expect(fromTar.description).toBe('desc');
    expect(fromTar.records.length).toBe(2);
    expect(readApkIndex(Buffer.from(text)).records.map((r) => r.name)).toEqual(['zlib', 'busybox']);
  });

  it('an archive without APKINDEX is INDEX_INVALID naming the source', () => {
    const tar = writeTar(
      [{ entry: { name: 'OTHER', type: 'file', mode: 0o644, mtime: 0 }, data: Buffer.from('x') }],
      { endBlocks: true },
    );
    expect(() => readApkIndex(gzipMember(tar), { source: 'r/x86_64/APKINDEX.tar.gz' })).toThrow(
      /r\/x86_64\/APKINDEX\.tar\.gz: .*no APKINDEX/,
    );
  });
});
