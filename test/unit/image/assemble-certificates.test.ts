// apko's installCertificates and writeCABundleChecksums (pkg/build/certificates_test.go's
// cases), on hand-made trees.
import { createHash, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { InstalledPackage } from '../../../src/apk/index.js';
import { writeCaBundleChecksums } from '../../../src/image/assemble/ca-checksums.js';
import { installCertificates } from '../../../src/image/assemble/certificates.js';
import { readJks, writeJks } from '../../../src/image/assemble/java-truststore.js';
import { RootTree, synthDir, synthFile } from '../../../src/image/assemble/tree.js';
import type { ImageCertificates } from '../../../src/image/index.js';
import { fixtureCertificates } from '../../kit/certificates.js';
import { thrown } from './helpers.js';

const CERTS = fixtureCertificates();
const [A, B, C, D] = ['cert-a', 'cert-b', 'cert-c', 'cert-d'].map((n) => CERTS.get(n)!) as [
  string,
  string,
  string,
  string,
];
const fp = (pem: string) => new X509Certificate(pem).fingerprint256.replaceAll(':', '').toLowerCase();
const der = (pem: string) => new X509Certificate(pem).raw;

const BUNDLE = 'etc/ssl/certs/ca-certificates.crt';
const ECS = 'var/lib/ecs/deps/execute-command/certs/tls-ca-bundle.pem';
const CACERTS = 'etc/ssl/certs/java/cacerts';
const DIR = 'usr/local/share/ca-certificates';
const TIME = 1337;
const MTIME = 7;

function treeWith(files: Record<string, string | Buffer>): RootTree {
  const tree = new RootTree();
  for (const [path, data] of Object.entries(files)) {
    tree.mkdirAll(path.slice(0, path.lastIndexOf('/')), () => synthDir(0o755, 0));
    tree.set(path, synthFile(data, 0o644, 0));
  }
  return tree;
}

function pkg(name: string, provides: string[], files: string[]): InstalledPackage {
  const dirs = new Map<string, string[]>();
  for (const f of files) {
    const slash = f.lastIndexOf('/');
    dirs.set(f.slice(0, slash), [...(dirs.get(f.slice(0, slash)) ?? []), f.slice(slash + 1)]);
  }
  return {
    record: { name, version: '1.0.0-r0', depends: [], provides, installIf: [], replaces: [], extra: [] },
    files: [...dirs].map(([path, names]) => ({ path, files: names.map((n) => ({ name: n })) })),
  };
}

const text = (tree: RootTree, path: string) => tree.get(path)?.data?.toString('utf8');
const install = (tree: RootTree, certs: ImageCertificates | undefined, installed: InstalledPackage[] = []) =>
  installCertificates(tree, certs, installed, { time: TIME, mtime: MTIME });
const inline = (...entries: Array<[string, string]>): ImageCertificates => ({
  additional: entries.map(([name, content]) => ({ name, content })),
  providers: [],
});

describe('installCertificates', () => {
  it('does nothing without a certificates block, or with no certificate at all', () => {
    const tree = treeWith({ [BUNDLE]: '# bundle\n' });
    install(tree, undefined);
    install(tree, { additional: [], providers: ['custom-ca-certificates'] });
    expect([...tree.paths()].sort()).toEqual(['etc', 'etc/ssl', 'etc/ssl/certs', BUNDLE]);
    expect(text(tree, BUNDLE)).toBe('# bundle\n');
  });

  it('writes each inline certificate as <name>-<sha256>.crt and creates no bundle', () => {
    const tree = new RootTree();
    install(tree, inline(['corp-root', `some comment\n${A}`], ['corp-root', B]));
    expect(text(tree, `${DIR}/corp-root-${fp(A)}.crt`)).toBe(A);
    expect(text(tree, `${DIR}/corp-root-${fp(B)}.crt`)).toBe(B);
    expect(tree.get(`${DIR}/corp-root-${fp(A)}.crt`)).toMatchObject({ mode: 0o644, mtime: TIME, uid: 0 });
    expect(tree.get(DIR)).toMatchObject({ type: 'directory', mode: 0o755, mtime: MTIME });
    expect(tree.get(BUNDLE)).toBeUndefined();
  });

  it('appends to every existing bundle, keeping its mode and owner, and dates it', () => {
    const tree = treeWith({ [BUNDLE]: '# Existing CA Bundle\n', [ECS]: '# Another\n' });
    tree.set(ECS, { ...tree.get(ECS)!, mode: 0o600, uid: 5, gid: 6, owner: 'aws-bundle' });
    install(tree, inline(['one', A], ['two', B]));
    expect(text(tree, BUNDLE)).toBe(`# Existing CA Bundle\n${A}\n${B}\n`);
    expect(text(tree, ECS)).toBe(`# Another\n${A}\n${B}\n`);
    expect(tree.get(ECS)).toMatchObject({ mode: 0o600, uid: 5, gid: 6, owner: 'aws-bundle', mtime: TIME });
    expect(tree.get('kaniko/ssl/certs/ca-certificates.crt')).toBeUndefined();
  });

  it('follows a symlinked bundle to its file', () => {
    const tree = treeWith({ 'etc/pki/tls/cert.pem': '' });
    tree.mkdirAll('etc/ssl/certs', () => synthDir(0o755, 0));
    tree.set(BUNDLE, { ...synthDir(0o777, 0), type: 'symlink', linkname: '../../pki/tls/cert.pem' });
    install(tree, inline(['x', C]));
    expect(text(tree, 'etc/pki/tls/cert.pem')).toBe(`${C}\n`);
    expect(tree.get(BUNDLE)?.type).toBe('symlink');
  });

  it('reads the .crt/.pem files under usr/local/share/ca-certificates of providing packages, in path order, after the inline ones', () => {
    const tree = treeWith({
      [BUNDLE]: '',
      [`${DIR}/zz.crt`]: C,
      [`${DIR}/README.md`]: A,
      [`${DIR}/broken.pem`]: 'not a certificate',
      [`${DIR}/aa.pem`]: `header\n${D}`,
      [`${DIR}/sneaky.crt`]: A,
      [`${DIR}/versioned.crt`]: A,
      'etc/other.crt': A,
    });
    install(tree, { additional: [{ name: 'inline', content: B }], providers: ['custom-ca-certificates'] }, [
      pkg('ca-certs-1', ['custom-ca-certificates'], [`${DIR}/zz.crt`, `${DIR}/README.md`, 'etc/other.crt']),
      pkg('ca-certs-2', ['custom-ca-certificates'], [`${DIR}/broken.pem`, `${DIR}/aa.pem`]),
      pkg('not-a-ca', ['something-else'], [`${DIR}/sneaky.crt`]),
      // apko compares provides as written: a versioned provide does not match.
      pkg('versioned', ['custom-ca-certificates=1.0'], [`${DIR}/versioned.crt`]),
    ]);
    expect(text(tree, BUNDLE)).toBe(`${B}\n${D}\n${C}\n`);
  });

  it('adds every certificate to an existing Java truststore under apko aliases', () => {
    const existing = writeJks(
      new Map([['existing', { kind: 'trusted', millis: 5n, certificate: { type: 'X.509', der: der(B) } }]]),
      'changeit',
    );
    const tree = treeWith({ [BUNDLE]: '', [CACERTS]: existing, [`${DIR}/c.crt`]: C });
    tree.set(CACERTS, { ...tree.get(CACERTS)!, mode: 0o664 });
    install(tree, { additional: [{ name: 'Inline-Cert', content: A }], providers: ['ca'] }, [
      pkg('ca', ['ca'], [`${DIR}/c.crt`]),
    ]);
    const store = readJks(tree.get(CACERTS)!.data!, 'changeit', CACERTS);
    expect([...store.keys()].sort()).toEqual(['existing', `inline-cert-${fp(A)}`, `pkg-${fp(C)}`].sort());
    expect(store.get(`pkg-${fp(C)}`)).toEqual({
      kind: 'trusted',
      millis: BigInt(TIME) * 1000n,
      certificate: { type: 'X.509', der: der(C) },
    });
    expect(tree.get(CACERTS)).toMatchObject({ mode: 0o664, mtime: TIME });
  });

  it('refuses a bad inline certificate or name, a bundle that is a directory, a broken truststore', () => {
    const bad = thrown(
      () => install(new RootTree(), inline(['ok', A], ['bad', `${A}${B}`])),
      'CONFIG_INVALID',
    );
    expect(bad.message).toBe(
      'certificates.additional[1] (bad): multiple certificates found; only one is allowed',
    );
    expect(thrown(() => install(new RootTree(), inline(['../x', A])), 'CONFIG_INVALID').message).toMatch(
      /^certificates.additional\[0\]: "..\/x" is not a safe file name/,
    );
    const dir = new RootTree();
    dir.mkdirAll(BUNDLE, () => synthDir(0o755, 0));
    expect(thrown(() => install(dir, inline(['x', A])), 'PACKAGE_INVALID').message).toMatch(BUNDLE);
    const jks = treeWith({ [CACERTS]: 'PKCS#12, not JKS' });
    expect(thrown(() => install(jks, inline(['x', A])), 'PACKAGE_INVALID').message).toMatch(
      /not a Java KeyStore/,
    );
  });
});

describe('writeCaBundleChecksums', () => {
  const sum = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

  it('writes a read-only sha256sum line beside each store that exists, even without certificates', () => {
    const tree = treeWith({ [BUNDLE]: A, [ECS]: B, [CACERTS]: 'jks bytes' });
    writeCaBundleChecksums(tree, TIME);
    expect(text(tree, 'etc/ssl/certs/.ca-certificates.crt.sha256')).toBe(`${sum(A)}  ca-certificates.crt\n`);
    expect(text(tree, 'var/lib/ecs/deps/execute-command/certs/.tls-ca-bundle.pem.sha256')).toBe(
      `${sum(B)}  tls-ca-bundle.pem\n`,
    );
    expect(text(tree, 'etc/ssl/certs/java/.cacerts.sha256')).toBe(`${sum('jks bytes')}  cacerts\n`);
    expect(tree.get('etc/ssl/certs/.ca-certificates.crt.sha256')).toMatchObject({ mode: 0o444, mtime: TIME });
    expect(tree.get('kaniko/ssl/certs/.ca-certificates.crt.sha256')).toBeUndefined();
  });

  it('writes nothing when there is no store, and refuses a store that is a directory', () => {
    const tree = new RootTree();
    writeCaBundleChecksums(tree, TIME);
    expect([...tree.paths()]).toEqual([]);
    tree.mkdirAll(CACERTS, () => synthDir(0o755, 0));
    expect(thrown(() => writeCaBundleChecksums(tree, TIME), 'PACKAGE_INVALID').message).toMatch(CACERTS);
  });
});
