import { describe, expect, it } from 'vitest';
import { licenseExpression, normalizeLicense, upstreamSource } from '../../../src/build/index.js';

// Upstream sources in package SBOMs, as melange's SBOMPackageForUpstreamSource derives them.
describe('upstreamSource', () => {
  const sha = 'ab'.repeat(32);

  it('describes a fetch step by its purl name and version, URI and checksums', () => {
    expect(
      upstreamSource(
        {
          uses: 'fetch',
          with: {
            uri: 'https://x.org/foo-1.2.tar.gz',
            'expected-sha256': sha,
            'purl-name': 'foo',
            'purl-version': '1.2',
          },
        },
        3,
        'wolfi',
        'MIT',
      ),
    ).toEqual({
      idComponents: ['Source', 'foo', '1.2', '3'],
      name: 'foo',
      version: '1.2',
      downloadLocation: 'https://x.org/foo-1.2.tar.gz',
      checksums: { SHA256: sha },
      purl: `pkg:generic/foo@1.2?checksum=sha256:${sha}&download_url=https:%2F%2Fx.org%2Ffoo-1.2.tar.gz`,
      namespace: 'wolfi',
    });
  });

  it('describes a GitHub checkout by owner, repository and tag, and another host by its path', () => {
    const gh = upstreamSource(
      {
        uses: 'git-checkout',
        with: {
          repository: 'https://github.com/acme/tool.git',
          tag: 'v1.0',
          'expected-commit': 'c'.repeat(40),
        },
      },
      0,
      'wolfi',
      'Apache-2.0',
    );
    expect(gh).toMatchObject({
      idComponents: ['Source', 'github.com/acme/tool.git', 'v1.0', 'c'.repeat(40), '0'],
      name: 'tool',
      version: 'v1.0',
      namespace: 'acme',
      downloadLocation: `https://github.com/acme/tool/archive/${'c'.repeat(40)}.tar.gz`,
      purl: 'pkg:github/acme/tool@v1.0',
      licenseDeclared: 'Apache-2.0',
    });
    const other = upstreamSource(
      {
        uses: 'git-checkout',
        with: { repository: 'https://git.example.org/group/lib.git', 'expected-commit': 'd'.repeat(40) },
      },
      1,
      'wolfi',
      'MIT',
    );
    expect(other).toMatchObject({ name: 'group/lib', version: 'd'.repeat(40), namespace: 'wolfi' });
    expect(other?.purl).toMatch(
      /^pkg:generic\/group%2Flib@d{40}\?vcs_url=git%2Bhttps:%2F%2Fgit\.example\.org/,
    );
  });

  it('gives nothing for other steps and for a checkout without tag or commit', () => {
    expect(upstreamSource({ uses: 'autoconf/make' }, 0, 'wolfi', '')).toBeUndefined();
    expect(
      upstreamSource(
        { uses: 'git-checkout', with: { repository: 'https://github.com/a/b', branch: 'main' } },
        0,
        'w',
        '',
      ),
    ).toBeUndefined();
  });
});

describe('licences', () => {
  it('keeps SPDX expressions and turns anything else into a LicenseRef', () => {
    expect(normalizeLicense('GPL-2.0-or-later OR MIT')).toBe('GPL-2.0-or-later OR MIT');
    expect(normalizeLicense('Foo Bar_1.0+')).toBe('LicenseRef-Foo-Bar-1.0');
    expect(normalizeLicense('©')).toMatch(/^LicenseRef-[0-9a-f]{16}$/);
    expect(
      licenseExpression({
        origin: {
          name: 'a',
          version: '1',
          epoch: 0,
          copyright: [{ license: 'MIT' }, { license: 'odd one' }],
        },
      }),
    ).toBe('MIT AND LicenseRef-odd-one');
  });
});
