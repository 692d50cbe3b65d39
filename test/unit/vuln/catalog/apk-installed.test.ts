import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { osReleaseFromApkRepositories } from '../../../../src/vuln/catalog/apk/index.js';
import {
  apkPackagePurl,
  catalogTarget,
  parseOsRelease,
  readInstalledApks,
} from '../../../../src/vuln/catalog/index.js';
import { shared } from '../../../kit/paths.js';

const WOLFI = { id: 'wolfi', versionId: '20230201' };

describe('installed databases (../shared/fixtures/installed)', () => {
  it('wolfi-base: 15 packages from 11 origins, subpackages carry their origin', async () => {
    const text = await readFile(shared('installed', 'wolfi-base'), 'utf8');
    const db = readInstalledApks(text, 'lib/apk/db/installed', WOLFI);
    expect(db.packages).toHaveLength(15);
    expect(new Set(db.packages.map((p) => p.origin)).size).toBe(11);
    const byName = new Map(db.packages.map((p) => [p.name, p]));
    expect(byName.get('libcrypto3')).toEqual({
      ecosystem: 'apk',
      name: 'libcrypto3',
      version: '3.5.1-r1',
      purl: 'pkg:apk/wolfi/libcrypto3@3.5.1-r1?arch=x86_64&distro=wolfi-20230201&upstream=openssl',
      origin: 'openssl',
      arch: 'x86_64',
      locations: ['lib/apk/db/installed'],
      evidence: 'apk-installed-db',
      licenses: ['Apache-2.0'],
    });
    expect(['glibc-locale-posix', 'ld-linux', 'libcrypt1'].map((n) => byName.get(n)?.origin)).toEqual([
      'glibc',
      'glibc',
      'glibc',
    ]);
    expect(byName.get('busybox')?.purl).toBe(
      'pkg:apk/wolfi/busybox@1.37.0-r47?arch=x86_64&distro=wolfi-20230201',
    );
    expect(db.files.flat()).toHaveLength(91);
    expect(db.files[db.packages.findIndex((p) => p.name === 'busybox')]).toContain('usr/bin/busybox');
  });

  it('redis-operator-compat: 16 packages from 12 origins; /operator is owned by redis-operator-compat', async () => {
    const text = await readFile(shared('installed', 'redis-operator-compat'), 'utf8');
    const db = readInstalledApks(text, 'lib/apk/db/installed', WOLFI);
    expect(db.packages).toHaveLength(16);
    expect(new Set(db.packages.map((p) => p.origin)).size).toBe(12);
    const i = db.packages.findIndex((p) => p.name === 'redis-operator-compat');
    expect(db.packages[i]?.origin).toBe('redis-operator');
    expect(db.files[i]).toContain('operator');
  });

  it('as a target: an installed database file on its own has no distribution, so no purl namespace', async () => {
    const catalog = await catalogTarget(shared('installed', 'alpine-3.16-image'));
    expect(catalog.source.kind).toBe('installed-db');
    expect(catalog.distro).toBeUndefined();
    expect(catalog.packages).toHaveLength(14);
    expect(catalog.packages.find((p) => p.name === 'libssl1.1')).toMatchObject({
      id: 'apk:libssl1.1@1.1.1q-r0',
      origin: 'openssl',
      purl: 'pkg:apk/libssl1.1@1.1.1q-r0?arch=aarch64&upstream=openssl',
      locations: ['alpine-3.16-image'],
    });
    const given = await catalogTarget(shared('installed', 'alpine-3.16-image'), {
      distro: { id: 'alpine', versionId: '3.16.2' },
    });
    expect(given.distro).toEqual({ id: 'alpine', versionId: '3.16.2' });
    expect(given.packages.find((p) => p.name === 'zlib')?.purl).toBe(
      'pkg:apk/alpine/zlib@1.2.12-r3?arch=aarch64&distro=alpine-3.16.2',
    );
  });
});

describe('os-release and apk purls', () => {
  it('shell quoting, comments, ID lower-cased', () => {
    expect(
      parseOsRelease(
        '# x\nNAME="Wolfi"\nID=Wolfi\nVERSION_ID="20230201"\nPRETTY_NAME=\'Wolfi "base"\'\nBUILD_ID=\n',
      ),
    ).toEqual({ id: 'wolfi', versionId: '20230201', prettyName: 'Wolfi "base"' });
    expect(parseOsRelease('NAME=x\n')).toBeUndefined();
    expect(parseOsRelease('ID="ch\\"ain"\n')?.id).toBe('ch"ain');
  });

  it("syft's fallback to Alpine repository URLs; other URLs say nothing", () => {
    expect(osReleaseFromApkRepositories('https://dl-cdn.alpinelinux.org/alpine/v3.20/main\n')).toEqual({
      id: 'alpine',
      versionId: '3.20',
    });
    expect(
      osReleaseFromApkRepositories('@edge https://dl-cdn.alpinelinux.org/alpine/v3.19/community\n')
        ?.versionId,
    ).toBe('3.19');
    expect(osReleaseFromApkRepositories('https://packages.wolfi.dev/os\n')).toBeUndefined();
  });

  it('purls: upstream only when it differs, BUILD_ID when VERSION_ID is empty, names percent-encoded', () => {
    const rel = { id: 'alpine', versionId: '3.20.3' };
    expect(
      apkPackagePurl({ name: 'libcrypto3', version: '3.3.2-r0', arch: 'x86_64', origin: 'openssl' }, rel),
    ).toBe('pkg:apk/alpine/libcrypto3@3.3.2-r0?arch=x86_64&distro=alpine-3.20.3&upstream=openssl');
    expect(apkPackagePurl({ name: 'g++', version: '13-r0', origin: 'g++' }, { id: 'x', buildId: 'b7' })).toBe(
      'pkg:apk/x/g%2B%2B@13-r0?distro=x-b7',
    );
  });
});
