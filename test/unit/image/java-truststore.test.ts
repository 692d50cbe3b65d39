import { createHash, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type JksStore, readJks, writeJks } from '../../../src/image/assemble/java-truststore.js';
import { fixtureCertificates } from '../../kit/certificates.js';
import { thrown } from './helpers.js';

const der = (name: string) => new X509Certificate(fixtureCertificates().get(name)!).raw;

function sample(): JksStore {
  return new Map([
    ['zeta', { kind: 'trusted', millis: 1_337_000n, certificate: { type: 'X.509', der: der('cert-a') } }],
    [
      'alpha',
      {
        kind: 'key',
        millis: 42n,
        encryptedKey: Buffer.from('opaque encrypted key'),
        chain: [{ type: 'X.509', der: der('cert-b') }],
      },
    ],
    [
      'Mixed-Case',
      { kind: 'trusted', millis: 2n ** 63n + 5n, certificate: { type: 'X.509', der: der('cert-c') } },
    ],
  ]);
}

describe('Java KeyStore files (keystore-go, as apko edits cacerts)', () => {
  it('writes version 2, aliases in byte order, and the SHA-1 over password + whitener + body', () => {
    const bytes = writeJks(sample(), 'changeit');
    expect(bytes.readUInt32BE(0)).toBe(0xfeedfeed);
    expect(bytes.readUInt32BE(4)).toBe(2);
    expect(bytes.readUInt32BE(8)).toBe(3);
    // The first entry: tag, then the alias that sorts first in byte order.
    expect(bytes.readUInt32BE(12)).toBe(2);
    expect(bytes.subarray(16, 18).readUInt16BE()).toBe('Mixed-Case'.length);
    expect(bytes.subarray(18, 28).toString()).toBe('Mixed-Case');
    const body = bytes.subarray(0, bytes.length - 20);
    const password = Buffer.from([...'changeit'].flatMap((c) => [0, c.charCodeAt(0)]));
    const digest = createHash('sha1').update(password).update('Mighty Aphrodite').update(body).digest();
    expect(bytes.subarray(bytes.length - 20).equals(digest)).toBe(true);
  });

  it('reads back what it wrote, entry for entry (private keys kept as they were)', () => {
    const back = readJks(writeJks(sample(), 'changeit'), 'changeit', 'cacerts');
    expect([...back.keys()].sort()).toEqual(['Mixed-Case', 'alpha', 'zeta']);
    expect(back).toEqual(sample());
    expect(writeJks(back, 'changeit').equals(writeJks(sample(), 'changeit'))).toBe(true);
  });

  it('reads a version 1 store (no certificate types) as X509 entries', () => {
    const cert = der('cert-d');
    const alias = Buffer.from('old');
    const head = Buffer.alloc(12);
    head.writeUInt32BE(0xfeedfeed, 0);
    head.writeUInt32BE(1, 4);
    head.writeUInt32BE(1, 8);
    const entry = Buffer.alloc(4 + 2 + alias.length + 8 + 4);
    entry.writeUInt32BE(2, 0);
    entry.writeUInt16BE(alias.length, 4);
    alias.copy(entry, 6);
    entry.writeBigUInt64BE(99n, 6 + alias.length);
    entry.writeUInt32BE(cert.length, 14 + alias.length);
    const body = Buffer.concat([head, entry, cert]);
    const password = Buffer.from([...'changeit'].flatMap((c) => [0, c.charCodeAt(0)]));
    const digest = createHash('sha1').update(password).update('Mighty Aphrodite').update(body).digest();
    const store = readJks(Buffer.concat([body, digest]), 'changeit', 'v1');
    expect(store.get('old')).toEqual({
      kind: 'trusted',
      millis: 99n,
      certificate: { type: 'X509', der: cert },
    });
  });

  it('refuses every truncation, a wrong password, a changed byte, a bad magic, tag or version', () => {
    const good = writeJks(sample(), 'changeit');
    for (let n = 0; n < good.length; n++) {
      expect(
        thrown(() => readJks(good.subarray(0, n), 'changeit', 'cacerts'), 'PACKAGE_INVALID').message,
      ).toMatch(/^cacerts: cannot load the Java truststore: /);
    }
    expect(thrown(() => readJks(good, 'secret', 'cacerts'), 'PACKAGE_INVALID').message).toMatch(/digest/);
    const changed = Buffer.from(good);
    changed[good.length - 30]! ^= 1;
    expect(thrown(() => readJks(changed, 'changeit', 'x'), 'PACKAGE_INVALID').message).toMatch(/digest/);
    const magic = Buffer.from(good);
    magic[0] = 0x30; // a PKCS#12 store starts with a DER SEQUENCE
    expect(thrown(() => readJks(magic, 'changeit', 'x'), 'PACKAGE_INVALID').message).toMatch(
      /not a Java KeyStore/,
    );
    const tag = Buffer.from(good);
    tag.writeUInt32BE(7, 12);
    expect(thrown(() => readJks(tag, 'changeit', 'x'), 'PACKAGE_INVALID').message).toMatch(/unknown tag 7/);
    const version = Buffer.from(good);
    version.writeUInt32BE(3, 4);
    expect(thrown(() => readJks(version, 'changeit', 'x'), 'PACKAGE_INVALID').message).toMatch(/version 3/);
  });
});
