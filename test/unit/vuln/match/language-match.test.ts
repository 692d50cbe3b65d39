import { describe, expect, it } from 'vitest';
import { matchCatalog, unmatchableReason } from '../../../../src/vuln/match/index.js';
import { testVulnSource } from '../../../kit/vuln-source.js';
import { catalog, lang, meta, osv } from './builders.js';

describe('language packages against OSV ranges', () => {
  it('Go modules: semver with v, pseudo-version dependencies compared as pre-releases', () => {
    const src = testVulnSource({
      ranges: [
        osv('go', 'golang.org/x/net', 'GO-2023-2102', [{ introduced: '0' }, { fixed: '0.17.0' }], {
          aliases: ['CVE-2023-39325'],
        }),
      ],
    });
    const pkgs = [
      lang('go', 'golang.org/x/net', 'v0.16.0', { id: 'a' }),
      lang('go', 'golang.org/x/net', 'v0.17.0', { id: 'b' }),
      lang('go', 'golang.org/x/net', 'v0.0.0-20220722155237-a158d28d115b', { id: 'c' }),
      lang('go', 'golang.org/x/net', 'v0.17.1-0.20231010180000-abcdefabcdef', { id: 'd' }),
    ];
    const result = matchCatalog(catalog(pkgs), src);
    expect(result.findings.map((f) => [f.package.id, f.fix.versions, f.match.constraint])).toEqual([
      ['c', ['0.17.0'], '< 0.17.0 (go)'],
      ['a', ['0.17.0'], '< 0.17.0 (go)'],
    ]);
  });

  it('never matches a Go main module at (devel) or a pseudo-version, nor an empty version', () => {
    const src = testVulnSource({
      ranges: [osv('go', 'github.com/acme/tool', 'GO-2024-0001', [{ introduced: '0' }, { fixed: '1.5.0' }])],
    });
    const main = (version: string) =>
      lang('go', 'github.com/acme/tool', version, { goMainModule: true, id: version });
    const dep = lang('go', 'github.com/acme/tool', 'v0.0.0-20240101000000-0123456789ab', { id: 'dep' });
    const result = matchCatalog(
      catalog([main('(devel)'), main('v0.0.0-20240101000000-0123456789ab'), main(''), main('v1.4.0'), dep]),
      src,
    );
    expect(result.findings.map((f) => f.package.id).sort()).toEqual(['dep', 'v1.4.0']);
    expect(result.warnings).toEqual([]);
    expect(unmatchableReason(main('(devel)'))).toBe('no version');
    expect(unmatchableReason(main('v1.2.4-0.20191109021931-daa7c04131f5'))).toBe(
      'Go main module at a pseudo-version',
    );
  });

  it('matches the Go toolchain as stdlib at go1.x.y, rc versions included', () => {
    const src = testVulnSource({
      ranges: [
        osv('go', 'stdlib', 'GO-2024-2887', [
          { introduced: '0' },
          { fixed: '1.21.11' },
          { introduced: '1.22.0-0' },
          { fixed: '1.22.4' },
        ]),
      ],
    });
    const versions = [
      'go1.21.10',
      'go1.21.11',
      'go1.22rc1',
      'go1.22.0',
      'go1.22.3 X:boringcrypto',
      'go1.22.4',
      'go1.23.0',
    ];
    const result = matchCatalog(catalog(versions.map((v) => lang('go', 'stdlib', v, { id: v }))), src);
    expect(result.findings.map((f) => [f.package.id, f.fix.versions[0]]).sort()).toEqual([
      ['go1.21.10', '1.21.11'],
      ['go1.22.0', '1.22.4'],
      ['go1.22.3 X:boringcrypto', '1.22.4'],
      ['go1.22rc1', '1.22.4'],
    ]);
  });

  it('PyPI: PEP 440 order, last_affected, explicit versions, withdrawn records skipped', () => {
    const src = testVulnSource({
      ranges: [
        osv('pypi', 'requests', 'GHSA-j8r2-6x86-q33q', [{ introduced: '2.3.0' }, { fixed: '2.31.0' }]),
        osv('pypi', 'requests', 'PYSEC-2014-13', [{ introduced: '0' }, { lastAffected: '2.2.1' }]),
        osv('pypi', 'requests', 'PYSEC-OLD', [{ introduced: '0' }], { withdrawn: '2020-01-01T00:00:00Z' }),
        osv('pypi', 'requests', 'PYSEC-LIST', [], { ranges: [], versions: ['2.31.0rc1'] }),
      ],
    });
    const ids = (version: string): string[] =>
      matchCatalog(catalog([lang('pypi', 'requests', version)]), src).findings.map(
        (f) => `${f.vulnerability}:${f.fix.state}`,
      );
    expect(ids('2.2.1')).toEqual(['PYSEC-2014-13:not-fixed']);
    expect(ids('2.2.1.post1')).toEqual([]);
    expect(ids('2.3')).toEqual(['GHSA-j8r2-6x86-q33q:fixed']);
    expect(ids('2.31.0rc1')).toEqual(['GHSA-j8r2-6x86-q33q:fixed', 'PYSEC-LIST:not-fixed']);
    expect(ids('2.31.0')).toEqual([]);
    expect(ids('2.31.0.dev0')).toEqual(['GHSA-j8r2-6x86-q33q:fixed']);
  });

  it('npm, Maven and crates.io in their own orders', () => {
    const src = testVulnSource({
      ranges: [
        osv('npm', 'lodash', 'GHSA-35jh-r3h4-6jhm', [{ introduced: '0' }, { fixed: '4.17.21' }]),
        osv('maven', 'org.apache.logging.log4j:log4j-core', 'GHSA-jfh8-c2jp-5v3q', [
          { introduced: '2.0-beta9' },
          { fixed: '2.15.0' },
        ]),
        osv('cargo', 'openssl', 'RUSTSEC-2023-0044', [{ introduced: '0.10.0' }, { fixed: '0.10.55' }]),
      ],
    });
    const pkgs = [
      lang('npm', 'lodash', '4.17.20', { id: 'n1' }),
      lang('npm', 'lodash', '4.17.21', { id: 'n2' }),
      lang('maven', 'org.apache.logging.log4j:log4j-core', '2.14.1', { id: 'm1' }),
      lang('maven', 'org.apache.logging.log4j:log4j-core', '2.15.0', { id: 'm2' }),
      lang('maven', 'org.apache.logging.log4j:log4j-core', '2.0-alpha1', { id: 'm3' }),
      lang('cargo', 'openssl', '0.10.54', { id: 'c1' }),
      lang('cargo', 'openssl', '0.10.55', { id: 'c2' }),
    ];
    const result = matchCatalog(catalog(pkgs), src);
    expect(result.findings.map((f) => `${f.package.id} ${f.match.constraint}`).sort()).toEqual([
      'c1 >= 0.10.0, < 0.10.55 (fuzzy)',
      'm1 >= 2.0-beta9, < 2.15.0 (maven)',
      'n1 < 4.17.21 (semver)',
    ]);
  });

  it('skips, with a warning, a version its ecosystem cannot read', () => {
    const src = testVulnSource({
      ranges: [osv('pypi', 'weird', 'PYSEC-1', [{ introduced: '0' }, { fixed: '1.0' }])],
    });
    const result = matchCatalog(catalog([lang('pypi', 'weird', 'build-7')]), src);
    expect(result.findings).toEqual([]);
    expect(result.warnings).toEqual([
      "PYSEC-1 (osv/PYSEC-1.json): ECOSYSTEM range skipped for weird@build-7: invalid pep440 version 'build-7': not a PEP 440 version",
    ]);
  });

  it('merges GHSA and GO records of one vulnerability into one finding, keeping the nearest fix', () => {
    const src = testVulnSource({
      ranges: [
        osv('go', 'github.com/gin-gonic/gin', 'GO-2023-1737', [{ introduced: '0' }, { fixed: '1.9.1' }], {
          aliases: ['CVE-2023-29401', 'GHSA-2c4m-59x9-fr2g'],
        }),
        osv(
          'go',
          'github.com/gin-gonic/gin',
          'GHSA-2c4m-59x9-fr2g',
          [{ introduced: '1.3.1-0.20190301021747-ccb9e902956d' }, { fixed: '1.9.1' }],
          {
            aliases: ['CVE-2023-29401'],
          },
        ),
        osv('go', 'github.com/gin-gonic/gin', 'GHSA-other', [{ introduced: '0' }]),
      ],
      meta: [meta('CVE-2023-29401', 'medium'), meta('GHSA-2c4m-59x9-fr2g', 'high', ['CVE-2023-29401'])],
    });
    const result = matchCatalog(catalog([lang('go', 'github.com/gin-gonic/gin', 'v1.9.0')]), src);
    expect(result.findings.map((f) => [f.vulnerability, f.aliases, f.severity, f.fix.state])).toEqual([
      ['GHSA-2c4m-59x9-fr2g', ['CVE-2023-29401', 'GO-2023-1737'], 'high', 'fixed'],
      ['GHSA-other', [], 'unknown', 'not-fixed'],
    ]);
  });
});
