import { describe, expect, it } from 'vitest';
import { packageUrlCovers, parsePackageUrl, purlTextCovers } from '../../../../src/vuln/match/index.js';
import { prng } from '../../../kit/prng.js';

describe('purl parsing and VEX coverage', () => {
  it('parses type, namespace, name, version and qualifiers, percent-decoded', () => {
    expect(
      parsePackageUrl(
        'pkg:apk/wolfi/libstdc%2B%2B@13.2.0-r1?arch=x86_64&distro=wolfi-20230201&upstream=gcc#sub',
      ),
    ).toEqual({
      type: 'apk',
      namespace: 'wolfi',
      name: 'libstdc++',
      version: '13.2.0-r1',
      qualifiers: new Map([
        ['arch', 'x86_64'],
        ['distro', 'wolfi-20230201'],
        ['upstream', 'gcc'],
      ]),
    });
    expect(parsePackageUrl('pkg:golang/github.com/cli/cli/v2@v2.63.0')).toMatchObject({
      namespace: 'github.com/cli/cli',
      name: 'v2',
      version: 'v2.63.0',
    });
    expect(parsePackageUrl('pkg:npm/%40angular/core@16.0.0')).toMatchObject({
      namespace: '@angular',
      name: 'core',
    });
    expect(parsePackageUrl('pkg:npm/@angular/core@16.0.0')).toMatchObject({
      namespace: '@angular',
      name: 'core',
      version: '16.0.0',
    });
    expect(parsePackageUrl('PKG:OCI/app@sha256%3Aabc')).toMatchObject({
      type: 'oci',
      name: 'app',
      version: 'sha256:abc',
    });
    expect(parsePackageUrl('pkg:generic/openssl')).toMatchObject({ name: 'openssl', namespace: '' });
  });

  it('returns undefined for what is not a purl', () => {
    for (const bad of [
      '',
      'openssl',
      'pkg:',
      'pkg:apk',
      'pkg:/name',
      'pkg:apk/',
      'pkg:apk/%zz',
      'pkg:apk/a?x=%zz',
      'sha256:abcd',
    ]) {
      expect(parsePackageUrl(bad), bad).toBeUndefined();
    }
  });

  it('covers per go-vex: version equal or absent, statement qualifiers a subset', () => {
    const pkg = 'pkg:apk/wolfi/openssl@3.1.3-r0?arch=x86_64&distro=wolfi-20230201';
    expect(purlTextCovers('pkg:apk/wolfi/openssl', pkg)).toBe(true);
    expect(purlTextCovers('pkg:apk/Wolfi/OpenSSL@3.1.3-r0', pkg)).toBe(true);
    expect(purlTextCovers('pkg:apk/wolfi/openssl?arch=x86_64', pkg)).toBe(true);
    expect(purlTextCovers('pkg:apk/wolfi/openssl?arch=aarch64', pkg)).toBe(false);
    expect(purlTextCovers('pkg:apk/wolfi/openssl@3.1.4-r0', pkg)).toBe(false);
    expect(purlTextCovers('pkg:apk/wolfi/libssl3', pkg)).toBe(false);
    expect(purlTextCovers('pkg:deb/wolfi/openssl', pkg)).toBe(false);
    expect(purlTextCovers(pkg, 'pkg:apk/wolfi/openssl')).toBe(false);
    expect(purlTextCovers('pkg:pypi/Foo_Bar', 'pkg:pypi/foo-bar@1.0')).toBe(true);
    expect(purlTextCovers('not a purl', pkg)).toBe(false);
  });

  it('never throws on random strings, and every parsed purl covers itself (seeded fuzz)', () => {
    const next = prng(0x9e11);
    const alphabet = 'pkg:apk/wolfi@?&=#%2B41zZ-_.~ ';
    const broken: string[] = [];
    let parsed = 0;
    for (let i = 0; i < 5000; i++) {
      let s = next() < 0.7 ? 'pkg:' : '';
      const length = Math.floor(next() * 24);
      for (let j = 0; j < length; j++) s += alphabet[Math.floor(next() * alphabet.length)];
      const purl = parsePackageUrl(s);
      if (purl === undefined) continue;
      parsed++;
      if (!packageUrlCovers(purl, purl)) broken.push(s);
    }
    expect(broken).toEqual([]);
    expect(parsed).toBeGreaterThan(200);
  });
});
