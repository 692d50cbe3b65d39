import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { splitGzipMembers } from '../../../src/archive/index.js';
import {
  type LockPackage,
  lockKeyringEntry,
  lockPackageEntry,
  lockRepositoryEntries,
  parseLockFile,
  sortLockKeyring,
} from '../../../src/image/index.js';
import { shared } from '../../kit/paths.js';

const lockOf = async (name: string) => parseLockFile(await readFile(shared('apko', name), 'utf8'), name);
const digest = (algorithm: 'sha1' | 'sha256', bytes: Uint8Array) =>
  createHash(algorithm).update(bytes).digest();

/** The entry for a real package file, from its gzip members as larder splits them. */
async function entryFor(path: string, locked: LockPackage): Promise<LockPackage> {
  const members = splitGzipMembers(await readFile(path));
  expect(members).toHaveLength(3);
  const [sig, control, data] = members as [(typeof members)[0], (typeof members)[0], (typeof members)[0]];
  return lockPackageEntry({
    name: locked.name,
    version: locked.version,
    arch: locked.architecture,
    url: locked.url,
    members: {
      signature: { offset: sig.offset, length: sig.length, sha1: digest('sha1', sig.raw) },
      control: { offset: control.offset, length: control.length, sha1: digest('sha1', control.raw) },
      data: { offset: data.offset, length: data.length, sha256: digest('sha256', data.raw) },
    },
  });
}

describe('lock entries', () => {
  it("reproduces every package entry of apko.lock.json from the real package files' members", async () => {
    const lock = await lockOf('apko.lock.json');
    expect(lock.contents.packages).toHaveLength(4);
    for (const locked of lock.contents.packages) {
      const file = locked.url.replace('./testdata/packages/', `${shared('repo', 'melange-test')}/`);
      expect(await entryFor(file, locked), locked.url).toEqual(locked);
    }
  });

  it('an unsigned package gets an empty signature and ranges from byte 0', () => {
    const entry = lockPackageEntry({
      name: 'hello',
      version: '0.1.0-r0',
      arch: 'x86_64',
      url: 'https://example.com/os/x86_64/hello-0.1.0-r0.apk',
      members: {
        control: { offset: 0, length: 300, sha1: new Uint8Array(20) },
        data: { offset: 300, length: 1000, sha256: new Uint8Array(32).fill(1) },
      },
    });
    expect(entry.signature).toEqual({ range: '', checksum: '' });
    expect(entry.control).toEqual({ range: 'bytes=0-299', checksum: 'sha1-AAAAAAAAAAAAAAAAAAAAAAAAAAA=' });
    expect(entry.data.range).toBe('bytes=300-1299');
    expect(entry.checksum).toBe('Q1AAAAAAAAAAAAAAAAAAAAAAAAAAA=');
  });

  it.each([
    ['apko.lock.json', ['./testdata/packages']],
    [
      'apko-discover.lock.json',
      [
        'https://dl-cdn.alpinelinux.org/alpine/v3.22/main',
        'https://apk.cgr.dev/chainguard',
        './testdata/packages',
      ],
    ],
  ])('repository entries of %s: arch by arch, config order within', async (name, repositories) => {
    const lock = await lockOf(name);
    expect(lockRepositoryEntries(repositories, ['x86_64', 'aarch64'])).toEqual(lock.contents.repositories);
  });

  it('labels are stripped; like apko, a labelled https repository keeps its scheme in the name', () => {
    expect(
      lockRepositoryEntries(
        ['@local ./packages', '@edge https://example.com/os', 'http://plain/os'],
        ['x86_64'],
      ),
    ).toEqual([
      { name: './packages/x86_64', url: './packages/x86_64/APKINDEX.tar.gz', architecture: 'x86_64' },
      {
        name: 'https://example.com/os/x86_64',
        url: 'https://example.com/os/x86_64/APKINDEX.tar.gz',
        architecture: 'x86_64',
      },
      { name: 'plain/os/x86_64', url: 'http://plain/os/x86_64/APKINDEX.tar.gz', architecture: 'x86_64' },
    ]);
  });

  it('keyring entries: the name without scheme, the URL as written, the PEM text; sorted by name', async () => {
    const lock = await lockOf('apko-discover.lock.json');
    const pem = await readFile(shared('keys', 'melange', 'melange.rsa.pub'), 'utf8');
    expect(lockKeyringEntry('./testdata/melange.rsa.pub', pem)).toEqual(lock.contents.keyring[0]);
    const rebuilt = lock.contents.keyring.map((k) => lockKeyringEntry(k.url, k.content));
    expect(sortLockKeyring([...rebuilt].reverse())).toEqual(lock.contents.keyring);
    expect(lockKeyringEntry('http://example.com/k.rsa.pub')).toEqual({
      name: 'example.com/k.rsa.pub',
      url: 'http://example.com/k.rsa.pub',
    });
  });
});
