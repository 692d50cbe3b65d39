import { describe, expect, it } from 'vitest';
import { apkPurl, encodePurlComponent, formatPurl, ociPurl } from '../../../src/sbom/index.js';
import { ociArch, splitImageRef } from '../../../src/sbom/purl.js';

const WOLFI = { id: 'wolfi' };

describe('encodePurlComponent', () => {
  it.each([
    ['zlib', 'zlib'],
    ['libstdc++', 'libstdc%2B%2B'],
    ['py3.12-pip', 'py3.12-pip'],
    ['under_score~tilde', 'under_score~tilde'],
    ['1.2.3+git20240101-r0', '1.2.3%2Bgit20240101-r0'],
    ['sha256:abc', 'sha256:abc'],
    ['a b', 'a%20b'],
    ['a/b', 'a%2Fb'],
    ['a@b?c#d&e=f', 'a%40b%3Fc%23d%26e%3Df'],
    ['100%', '100%25'],
    ["it's(ok)!*", 'it%27s%28ok%29%21%2A'],
    ['é', '%C3%A9'],
  ])('%s → %s', (text, encoded) => {
    expect(encodePurlComponent(text)).toBe(encoded);
    expect(decodeURIComponent(encoded)).toBe(text);
  });
});

describe('apkPurl', () => {
  it.each([
    [{ name: 'zlib', version: '1.3.1-r0', arch: 'x86_64' }, WOLFI, 'pkg:apk/wolfi/zlib@1.3.1-r0?arch=x86_64'],
    [
      { name: 'libstdc++', version: '14.2.0-r8', arch: 'aarch64', origin: 'gcc' },
      WOLFI,
      'pkg:apk/wolfi/libstdc%2B%2B@14.2.0-r8?arch=aarch64&upstream=gcc',
    ],
    [
      { name: 'busybox', version: '1.35.0-r17', arch: 'x86_64', origin: 'busybox' },
      { id: 'alpine', versionId: '3.16.2' },
      'pkg:apk/alpine/busybox@1.35.0-r17?arch=x86_64&distro=alpine-3.16.2',
    ],
    [
      { name: 'Perl-Foo', version: '1.0-r0', arch: 'noarch' },
      { id: 'Wolfi', versionId: '' },
      'pkg:apk/wolfi/perl-foo@1.0-r0?arch=noarch',
    ],
  ])('%o in %o', (pkg, os, purl) => {
    expect(apkPurl(pkg, os)).toBe(purl);
  });
});

describe('formatPurl', () => {
  it('sorts and lower-cases qualifier keys, drops empty ones, encodes values', () => {
    expect(
      formatPurl({
        type: 'OCI',
        name: 'x',
        qualifiers: { tag: 'v1', Arch: 'amd64', os: '', repository_url: 'r.io/a/x', z: undefined },
      }),
    ).toBe('pkg:oci/x?arch=amd64&repository_url=r.io%2Fa%2Fx&tag=v1');
  });

  it('encodes each namespace segment on its own', () => {
    expect(formatPurl({ type: 'github', namespace: 'o+o/p', name: 'n', version: 'v 1' })).toBe(
      'pkg:github/o%2Bo/p/n@v%201',
    );
  });
});

describe('ociPurl', () => {
  it('names the image by the last path segment and qualifies it as apko does', () => {
    const digest = `sha256:${'0'.repeat(64)}`;
    expect(
      ociPurl({
        name: 'cgr.dev/chainguard/static:latest',
        digest,
        ref: 'localhost:5000/a/static:v1',
        arch: 'aarch64',
      }),
    ).toBe(`pkg:oci/static@${digest}?arch=arm64&os=linux&repository_url=localhost:5000%2Fa%2Fstatic&tag=v1`);
    expect(ociPurl({ name: 'wolfi-base' })).toBe('pkg:oci/wolfi-base');
  });

  it('splits references and maps arches', () => {
    expect(splitImageRef('localhost:5000/img')).toEqual({ name: 'img', repository: 'localhost:5000/img' });
    expect(splitImageRef(`r.io/x/img:t@sha256:${'1'.repeat(64)}`)).toEqual({
      name: 'img',
      repository: 'r.io/x/img',
      tag: 't',
    });
    expect(['x86_64', 'aarch64', 'armv7', 'x86', 'riscv64'].map(ociArch)).toEqual([
      'amd64',
      'arm64',
      'arm',
      '386',
      'riscv64',
    ]);
  });
});
