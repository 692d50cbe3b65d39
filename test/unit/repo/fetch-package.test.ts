import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadKeyring, type PackageRecord } from '../../../src/apk/index.js';
import type { ProgressEvent } from '../../../src/core/index.js';
import { createCachingFetcher, fetchPackage, loadIndexes } from '../../../src/repo/index.js';
import { FakeFetcher } from '../../kit/fake-fetcher.js';
import { shared, tempDir } from '../../kit/paths.js';

const REPO_DIR = shared('repo', 'melange-test');
const BASE = 'https://fake.test/melange';
const repository = { url: BASE };

async function setup(arch = 'x86_64') {
  const fake = new FakeFetcher({ dir: REPO_DIR, baseUrl: BASE });
  const keyring = await loadKeyring([shared('keys', 'melange')]);
  const [index] = await loadIndexes({ repositories: [repository], arch, keyring, fetcher: fake });
  const record = (name: string): PackageRecord => index!.records.find((r) => r.name === name)!;
  return { fake, record, stateDir: await tempDir(), arch };
}

describe('fetchPackage', () => {
  it('downloads, verifies S: and C:, and keeps the package in the cache', async () => {
    const { fake, record, stateDir, arch } = await setup();
    const rec = record('pretend-baselayout');
    const got = await fetchPackage({ repository, arch, record: rec, fetcher: fake, stateDir });
    const url = `${BASE}/x86_64/pretend-baselayout-1.0.0-r0.apk`;
    expect(got.url).toBe(url);
    expect(got.cached).toBe(false);
    expect(got.package.checksum).toBe(rec.checksum);
    expect(got.package.pkginfo.pkgname).toBe('pretend-baselayout');
    const hex = Buffer.from(rec.checksum!.slice(2), 'base64').toString('hex');
    expect(got.path).toBe(join(stateDir, 'cache', 'packages', `pretend-baselayout-1.0.0-r0.${hex}.apk`));
    expect(await readFile(got.path)).toEqual(
      await readFile(join(REPO_DIR, 'x86_64', 'pretend-baselayout-1.0.0-r0.apk')),
    );
    expect(await readdir(join(stateDir, 'cache', 'packages'))).toEqual([
      `pretend-baselayout-1.0.0-r0.${hex}.apk`,
    ]);
    // The package cache is the cache: the HTTP cache is told not to store packages.
    expect(fake.requestsFor(url)).toEqual([{ url, cache: 'no-store' }]);
  });

  it('serves a second fetch from the package cache without a request, also offline', async () => {
    const { fake, record, stateDir, arch } = await setup();
    const rec = record('replayout');
    await fetchPackage({ repository, arch, record: rec, fetcher: fake, stateDir });
    const offline = createCachingFetcher(fake, { dir: join(stateDir, 'cache', 'http'), offline: true });
    const again = await fetchPackage({ repository, arch, record: rec, fetcher: offline, stateDir });
    expect(again.cached).toBe(true);
    expect(again.package.checksum).toBe(rec.checksum);
    expect(fake.requestsFor(again.url)).toHaveLength(1);
  });

  it('offline without the package is OFFLINE_MISS naming the URL', async () => {
    const { fake, record, stateDir, arch } = await setup();
    const offline = createCachingFetcher(fake, { dir: join(stateDir, 'cache', 'http'), offline: true });
    await expect(
      fetchPackage({ repository, arch, record: record('replayout'), fetcher: offline, stateDir }),
    ).rejects.toMatchObject({ code: 'OFFLINE_MISS', subject: `${BASE}/x86_64/replayout-1.0.0-r0.apk` });
  });

  it('rejects another package of the same size served under the name (C: differs)', async () => {
    const { fake, record, stateDir, arch } = await setup();
    const rec = record('pretend-baselayout');
    const url = `${BASE}/x86_64/pretend-baselayout-1.0.0-r0.apk`;
    // aarch64's build has the same size (2930 bytes) but another control member.
    fake.put(url, await readFile(join(REPO_DIR, 'aarch64', 'pretend-baselayout-1.0.0-r0.apk')));
    const run = fetchPackage({ repository, arch, record: rec, fetcher: fake, stateDir });
    await expect(run).rejects.toMatchObject({ code: 'PACKAGE_CHECKSUM_MISMATCH', subject: url });
    await expect(run).rejects.toThrow(
      `${url}: control checksum (C:) mismatch: the index says ${rec.checksum}, the package has Q1JQ8nfsxa27d0f6oa056sdT5IcJY=`,
    );
    expect(await readdir(join(stateDir, 'cache', 'packages'))).toEqual([]);
  });

  it('rejects a download of the wrong size, stopping at the first byte too many', async () => {
    const { fake, record, stateDir, arch } = await setup();
    const url = `${BASE}/x86_64/replayout-1.0.0-r0.apk`;
    fake.put(url, await readFile(join(REPO_DIR, 'x86_64', 'custom-ca-certs-1-1.0.0-r0.apk')));
    await expect(
      fetchPackage({ repository, arch, record: record('replayout'), fetcher: fake, stateDir }),
    ).rejects.toThrow(
      `${url}: size (S:) mismatch: the index says 2961, the package has more than 2961 bytes`,
    );
    fake.put(url, Buffer.alloc(100));
    await expect(
      fetchPackage({ repository, arch, record: record('replayout'), fetcher: fake, stateDir }),
    ).rejects.toThrow(`${url}: size (S:) mismatch: the index says 2961, the package has 100`);
    expect(await readdir(join(stateDir, 'cache', 'packages'))).toEqual([]);
  });

  it('rejects a package whose record carries another checksum', async () => {
    const { fake, record, stateDir, arch } = await setup();
    const rec = { ...record('replayout'), checksum: record('pretend-baselayout').checksum! };
    await expect(
      fetchPackage({ repository, arch, record: rec, fetcher: fake, stateDir }),
    ).rejects.toMatchObject({
      code: 'PACKAGE_CHECKSUM_MISMATCH',
    });
  });

  it('a cut download is FETCH_FAILED and leaves nothing behind', async () => {
    const { fake, record, stateDir, arch } = await setup();
    const url = `${BASE}/x86_64/replayout-1.0.0-r0.apk`;
    fake.behave(url, { kind: 'cut', afterBytes: 1500 });
    await expect(
      fetchPackage({ repository, arch, record: record('replayout'), fetcher: fake, stateDir }),
    ).rejects.toMatchObject({ code: 'FETCH_FAILED', subject: url });
    expect(await readdir(join(stateDir, 'cache', 'packages'))).toEqual([]);
  });

  it('replaces a damaged cached package, with a warning', async () => {
    const { fake, record, stateDir, arch } = await setup();
    const rec = record('replayout');
    const first = await fetchPackage({ repository, arch, record: rec, fetcher: fake, stateDir });
    const bytes = await readFile(first.path);
    bytes[bytes.length - 100]! ^= 0xff;
    await writeFile(first.path, bytes);
    const events: ProgressEvent[] = [];
    const again = await fetchPackage({
      repository,
      arch,
      record: rec,
      fetcher: fake,
      stateDir,
      onProgress: (e) => events.push(e),
    });
    expect(again.cached).toBe(false);
    expect(events.filter((e) => e.kind === 'warn')).toHaveLength(1);
    expect(await readFile(again.path)).toEqual(
      await readFile(join(REPO_DIR, 'x86_64', 'replayout-1.0.0-r0.apk')),
    );
  });

  it('needs C: unless allowUntrusted, and can write to dest', async () => {
    const { fake, record, stateDir, arch } = await setup('aarch64');
    const { checksum: _dropped, ...rec } = record('custom-ca-certs-2');
    await expect(
      fetchPackage({ repository, arch, record: rec, fetcher: fake, stateDir }),
    ).rejects.toMatchObject({
      code: 'SIGNATURE_UNTRUSTED',
    });
    const dest = join(stateDir, 'out', 'p.apk');
    const got = await fetchPackage({
      repository,
      arch,
      record: rec,
      fetcher: fake,
      stateDir,
      dest,
      allowUntrusted: true,
    });
    expect(got.path).toBe(dest);
    expect(got.package.pkginfo.pkgname).toBe('custom-ca-certs-2');
  });
});
