import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseApkIndexText } from '../../../../src/apk/index.js';
import {
  COMMUNITY_PACKAGES,
  mapPackage,
  packageMapEntries,
} from '../../../../src/dockerfile/convert/package-map.js';
import { shared } from '../../../kit/paths.js';

/** Package names of the real Alpine 3.17 main index the table was derived against. */
function alpineNames(): Set<string> {
  const file = shared('index', 'alpine-317-aarch64', 'APKINDEX.tar.gz');
  const text = execFileSync('tar', ['-xzOf', file, 'APKINDEX'], { maxBuffer: 64 << 20 }).toString('utf8');
  return new Set(parseApkIndexText(text, file).map((r) => r.name));
}

describe('the package map', () => {
  const names = alpineNames();
  const community = new Set(COMMUNITY_PACKAGES);

  it('has at least 200 Debian entries and 80 Fedora entries', () => {
    expect(packageMapEntries('debian').length).toBeGreaterThanOrEqual(200);
    expect(packageMapEntries('fedora').length).toBeGreaterThanOrEqual(80);
  });

  it('maps only to packages of the Alpine index, or to the listed community names', () => {
    const missing: string[] = [];
    for (const family of ['debian', 'fedora', 'alpine'] as const) {
      for (const [from, to] of packageMapEntries(family)) {
        for (const t of to) if (!names.has(t) && !community.has(t)) missing.push(`${family} ${from} → ${t}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('lists as community only names the main index lacks (no typos of main names)', () => {
    expect(COMMUNITY_PACKAGES.length).toBeGreaterThan(0);
    expect(COMMUNITY_PACKAGES.filter((c) => names.has(c))).toEqual([]);
  });

  it.each([
    ['debian', 'build-essential', ['build-base']],
    ['debian', 'libssl-dev', ['openssl-dev']],
    ['debian', 'python3-pip', ['py3-pip']],
    ['debian', 'ca-certificates', ['ca-certificates']],
    ['debian', 'curl', ['curl']],
    ['debian', 'git', ['git']],
    ['debian', 'libc6-dev', ['musl-dev']],
    ['debian', 'zlib1g-dev', ['zlib-dev']],
    ['debian', 'libxml2-dev', ['libxml2-dev']],
    ['debian', 'libffi-dev', ['libffi-dev']],
    ['debian', 'pkg-config', ['pkgconf']],
    ['debian', 'apt-transport-https', []],
    ['fedora', 'gcc-c++', ['g++']],
    ['fedora', 'openssl-devel', ['openssl-dev']],
    ['fedora', 'python3-devel', ['python3-dev']],
    ['fedora', 'shadow-utils', ['shadow']],
    ['alpine', 'libressl-dev', ['openssl-dev']],
    ['alpine', 'py-pip', ['py3-pip']],
    ['alpine', 'busybox', ['busybox']],
  ] as const)('%s %s → %j', (family, name, expected) => {
    expect(mapPackage(family, name)).toEqual(expected);
  });

  it('has no entry for names it does not know (they are flagged, not guessed)', () => {
    expect(mapPackage('debian', 'libfoo-dev')).toBeUndefined();
    expect(mapPackage('fedora', 'epel-release-9')).toBeUndefined();
    expect(mapPackage('debian', 'constructor')).toBeUndefined();
    expect(mapPackage('debian', '__proto__')).toBeUndefined();
  });
});
