import { describe, expect, it } from 'vitest';
import { matchCatalog } from '../../../../src/vuln/match/index.js';
import type { Distro, DistroRecord, Finding } from '../../../../src/vuln/model.js';
import { testVulnSource } from '../../../kit/vuln-source.js';
import { apk, catalog, fixed, meta, stated, without } from './builders.js';

/** `name vuln fix-state [fix versions]` per finding, for compact tables. */
function rows(findings: readonly Finding[]): string[] {
  return findings.map(
    (f) => `${f.package.name} ${f.vulnerability} ${f.fix.state} [${f.fix.versions.join(',')}]`,
  );
}

describe('APK matching by origin and apk order', () => {
  const source = testVulnSource({
    distro: [fixed('openssl', 'CVE-2022-0001', '3.0.7-r0'), fixed('openssl', 'CVE-2023-0002', '3.1.0-r2')],
  });

  it.each([
    ['3.0.6-r5', ['CVE-2022-0001', 'CVE-2023-0002']],
    ['3.0.7_rc1-r0', ['CVE-2022-0001', 'CVE-2023-0002']],
    ['3.0.7-r0', ['CVE-2023-0002']],
    ['3.0.7-r1', ['CVE-2023-0002']],
    ['3.1.0-r1', ['CVE-2023-0002']],
    ['3.1.0-r2', []],
    ['3.1.0_p1-r0', []],
    ['3.1.1-r0', []],
  ])('installed %s: vulnerable to %j', (version, ids) => {
    const result = matchCatalog(catalog([apk('openssl', version)]), source);
    expect(result.findings.map((f) => f.vulnerability).sort()).toEqual(ids);
    expect(result.warnings).toEqual([]);
  });

  it('reports the fix version and the apk constraint', () => {
    const [finding] = matchCatalog(catalog([apk('openssl', '3.0.7-r0')]), source).findings;
    expect(finding).toMatchObject({
      vulnerability: 'CVE-2023-0002',
      fix: { state: 'fixed', versions: ['3.1.0-r2'] },
      match: { kind: 'apk-name', searchedBy: 'openssl', constraint: '< 3.1.0-r2 (apk)' },
    });
    expect(finding?.match.record.source).toBe('advisories/openssl.advisories.yaml');
  });

  it('reports every subpackage of an affected origin under its own name, looking the origin up once', () => {
    const src = testVulnSource({ distro: [fixed('openssl', 'CVE-2023-0002', '3.1.0-r2')] });
    const pkgs = [
      apk('libcrypto3', '3.1.0-r1', 'openssl'),
      apk('libssl3', '3.1.0-r1', 'openssl'),
      apk('openssl', '3.1.0-r1'),
      apk('zlib', '1.3-r0'),
    ];
    const result = matchCatalog(catalog(pkgs), src);
    expect(result.findings.map((f) => [f.package.name, f.match.kind, f.match.searchedBy])).toEqual([
      ['libcrypto3', 'apk-origin', 'openssl'],
      ['libssl3', 'apk-origin', 'openssl'],
      ['openssl', 'apk-name', 'openssl'],
    ]);
    expect(src.lookups.filter((l) => l === 'distro:openssl')).toHaveLength(1);
    // A package without an origin is looked up by its name.
    const bare = without(apk('zlib', '1.3-r0'), 'origin');
    matchCatalog(catalog([bare]), src);
    expect(src.lookups).toContain('distro:zlib');
  });

  it('maps distro states to fix states', () => {
    const src = testVulnSource({
      distro: [
        stated('curl', 'CVE-1', 'affected'),
        stated('curl', 'CVE-2', 'under-investigation'),
        stated('curl', 'CVE-3', 'pending-upstream-fix'),
        stated('curl', 'CVE-4', 'fix-not-planned'),
        stated('curl', 'CVE-5', 'analysis-not-planned'),
        stated('curl', 'CVE-6', 'not-affected', { reason: 'vulnerable-code-not-included-in-package' }),
      ],
    });
    const result = matchCatalog(catalog([apk('curl', '8.0.0-r0')]), src);
    expect(rows(result.findings)).toEqual([
      'curl CVE-1 not-fixed []',
      'curl CVE-2 not-fixed []',
      'curl CVE-3 not-fixed []',
      'curl CVE-4 wont-fix []',
      'curl CVE-5 unknown []',
    ]);
    expect(result.findings[2]?.match.constraint).toBe('any version (apk): pending-upstream-fix');
    expect(result.suppressed).toEqual([]);
  });

  it('lets the newest statement decide: a reopened advisory is a finding again', () => {
    const src = testVulnSource({
      distro: [
        fixed('git', 'CGA-aaaa-bbbb-cccc', '2.40.1-r0', {
          aliases: ['CVE-2023-1111'],
          timestamp: '2023-05-01T00:00:00Z',
        }),
        stated('git', 'CGA-aaaa-bbbb-cccc', 'affected', {
          aliases: ['CVE-2023-1111'],
          timestamp: '2023-06-01T00:00:00Z',
        }),
        // secdb has no timestamps and lags: it still says fixed.
        fixed('git', 'CVE-2023-1111', '2.40.1-r0', { source: 'security.json' }),
      ],
    });
    const result = matchCatalog(catalog([apk('git', '2.41.0-r0')]), src);
    expect(rows(result.findings)).toEqual(['git CGA-aaaa-bbbb-cccc not-fixed []']);
    expect(result.findings[0]?.aliases).toEqual(['CVE-2023-1111']);
  });

  it('orders by timestamp, not by input order', () => {
    const newerFix = fixed('git', 'CVE-9', '2.42.0-r0', { timestamp: '2024-02-01T10:00:00Z' });
    const olderDetection = stated('git', 'CVE-9', 'affected', { timestamp: '2024-01-01T10:00:00+00:00' });
    for (const distro of [
      [newerFix, olderDetection],
      [olderDetection, newerFix],
    ]) {
      const src = testVulnSource({ distro });
      expect(rows(matchCatalog(catalog([apk('git', '2.42.0-r0')]), src).findings)).toEqual([]);
      expect(rows(matchCatalog(catalog([apk('git', '2.41.0-r3')]), src).findings)).toEqual([
        'git CVE-9 fixed [2.42.0-r0]',
      ]);
    }
  });

  it('a newer not-affected statement suppresses an older fix record the package is below', () => {
    const src = testVulnSource({
      distro: [
        fixed('go-1.21', 'CVE-7', '1.21.9-r0', { timestamp: '2024-01-01T00:00:00Z' }),
        stated('go-1.21', 'CVE-7', 'not-affected', {
          timestamp: '2024-03-01T00:00:00Z',
          reason: 'vulnerable-code-not-in-execution-path',
        }),
      ],
    });
    const result = matchCatalog(catalog([apk('go-1.21', '1.21.8-r0')]), src);
    expect(result.findings).toEqual([]);
    expect(result.suppressed.map((s) => [s.finding.vulnerability, s.reason.kind, s.reason.detail])).toEqual([
      ['CVE-7', 'distro-not-affected', 'wolfi CVE-7: not affected (vulnerable-code-not-in-execution-path)'],
    ]);
  });

  it('without timestamps (secdb): a "0" NAK beats a fix, and the highest fix wins over a lower one', () => {
    const src = testVulnSource({
      distro: [
        fixed('bash', 'CVE-10', '5.2-r1', { source: 'security.json' }),
        stated('bash', 'CVE-10', 'not-affected', { reason: 'secdb "0"', source: 'security.json' }),
        fixed('bash', 'CVE-11', '5.2-r1', { source: 'security.json' }),
        fixed('bash', 'CVE-11', '5.2-r4', { source: 'security.json' }),
      ],
    });
    const result = matchCatalog(catalog([apk('bash', '5.2-r0')]), src);
    expect(rows(result.findings)).toEqual(['bash CVE-11 fixed [5.2-r4]']);
    expect(result.suppressed.map((s) => s.finding.vulnerability)).toEqual(['CVE-10']);
  });

  it('groups records through aliases transitively: one finding per group', () => {
    const src = testVulnSource({
      distro: [
        fixed('nginx', 'CGA-1111-2222-3333', '1.25.3-r1', {
          aliases: ['CVE-2023-44487'],
          timestamp: '2023-10-11T00:00:00Z',
        }),
        fixed('nginx', 'CVE-2023-44487', '1.25.3-r1', {
          aliases: ['GHSA-qppj-fm5r-hxr3'],
          source: 'security.json',
        }),
        fixed('nginx', 'GHSA-qppj-fm5r-hxr3', '1.25.3-r1', { source: 'osv:GHSA-qppj-fm5r-hxr3' }),
      ],
      meta: [
        meta('CVE-2023-44487', 'high', ['GHSA-qppj-fm5r-hxr3']),
        meta('GHSA-qppj-fm5r-hxr3', 'critical'),
      ],
    });
    const result = matchCatalog(catalog([apk('nginx', '1.25.3-r0')]), src);
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({
      vulnerability: 'CGA-1111-2222-3333',
      aliases: ['CVE-2023-44487', 'GHSA-qppj-fm5r-hxr3'],
      severity: 'critical',
    });
  });

  it('uses only the records of the catalog distribution', () => {
    const src = testVulnSource({
      distro: [
        fixed('busybox', 'CVE-20', '1.36.1-r5', { distro: 'chainguard' }),
        fixed('busybox', 'CVE-21', '1.36.1-r5', { distro: 'alpine:3.18' }),
        fixed('busybox', 'CVE-22', '1.36.1-r5', { distro: '' }),
        fixed('busybox', 'CVE-23', '1.36.1-r5', { distro: 'wolfi' }),
        fixed('busybox', 'CVE-24', '1.36.1-r5', { distro: 'alpine:edge' }),
      ],
    });
    const ids = (distro: Distro): string[] =>
      matchCatalog(catalog([apk('busybox', '1.36.1-r2')], { distro }), src).findings.map(
        (f) => f.vulnerability,
      );
    expect(ids({ id: 'wolfi', versionId: '20230201' })).toEqual(['CVE-22', 'CVE-23']);
    expect(ids({ id: 'chainguard' })).toEqual(['CVE-20', 'CVE-22']);
    expect(ids({ id: 'alpine', versionId: '3.18.4' })).toEqual(['CVE-21', 'CVE-22']);
    expect(ids({ id: 'alpine', versionId: '3.19.1' })).toEqual(['CVE-22']);
    expect(ids({ id: 'alpine', versionId: '3.21.0_alpha20240807' })).toEqual(['CVE-22', 'CVE-24']);
    // The option overrides the catalog's distro.
    const chainguard = matchCatalog(catalog([apk('busybox', '1.36.1-r2')]), src, {
      distro: { id: 'chainguard' },
    });
    expect(chainguard.findings.map((f) => f.vulnerability)).toEqual(['CVE-20', 'CVE-22']);
  });

  it('without a distribution, each namespace decides and any finding is reported', () => {
    const src = testVulnSource({
      distro: [
        fixed('zlib', 'CVE-30', '1.3-r1', { distro: 'wolfi' }),
        fixed('zlib', 'CVE-30', '1.3-r5', { distro: 'alpine:3.18' }),
      ],
    });
    const noDistro = without(catalog([apk('zlib', '1.3-r2')]), 'distro');
    const result = matchCatalog(noDistro, src);
    expect(rows(result.findings)).toEqual(['zlib CVE-30 fixed [1.3-r5]']);
    expect((result.findings[0]!.match.record as DistroRecord).distro).toBe('alpine:3.18');
  });

  it('warns about a fix version that is not an apk version and skips the record', () => {
    const src = testVulnSource({
      distro: [fixed('jq', 'CVE-40', '1.7_foo-r0'), fixed('jq', 'CVE-41', '1.8-r0')],
    });
    const result = matchCatalog(catalog([apk('jq', '1.7-r0')]), src);
    expect(rows(result.findings)).toEqual(['jq CVE-41 fixed [1.8-r0]']);
    expect(result.warnings).toEqual([
      "CVE-40 (advisories/jq.advisories.yaml): jq: fixed version '1.7_foo-r0' is not an apk version; record skipped",
    ]);
  });

  it('takes severity and CVSS from the database, by id then aliases, highest severity winning', () => {
    const cvss = [
      { version: '3.1' as const, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', score: 9.8 },
    ];
    const src = testVulnSource({
      distro: [fixed('expat', 'CGA-2', '2.6.0-r0', { aliases: ['CVE-2024-1'] })],
      meta: [meta('CGA-2', 'medium'), meta('CVE-2024-1', 'critical', ['GHSA-x'], { cvss })],
    });
    const [finding] = matchCatalog(catalog([apk('expat', '2.5.0-r0')]), src).findings;
    expect(finding).toMatchObject({ severity: 'critical', cvss, aliases: ['CVE-2024-1', 'GHSA-x'] });
  });
});
