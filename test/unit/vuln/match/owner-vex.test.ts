import { describe, expect, it } from 'vitest';
import { explain, matchCatalog } from '../../../../src/vuln/match/index.js';
import { testVulnSource } from '../../../kit/vuln-source.js';
import { apk, catalog, fixed, lang, meta, osv, stated, vex, without } from './builders.js';

const ghsa = 'GHSA-qppj-fm5r-hxr3';
const cve = 'CVE-2023-44487';

describe('distro statements carried to owned language packages', () => {
  const source = testVulnSource({
    distro: [
      fixed('argo-cd', 'CGA-aaaa-1111-bbbb', '2.8.4-r1', {
        aliases: [cve, ghsa],
        timestamp: '2023-10-12T00:00:00Z',
      }),
      stated('argo-cd', 'CGA-cccc-2222-dddd', 'not-affected', {
        aliases: ['CVE-2024-0001'],
        reason: 'component-vulnerability-mismatch',
      }),
    ],
    ranges: [
      osv('go', 'golang.org/x/net', ghsa, [{ introduced: '0' }, { fixed: '0.17.0' }], { aliases: [cve] }),
      osv('go', 'golang.org/x/net', 'GO-2024-0002', [{ introduced: '0' }, { fixed: '0.19.0' }], {
        aliases: ['CVE-2024-0001'],
      }),
      osv('go', 'golang.org/x/net', 'GO-2024-0003', [{ introduced: '0' }, { fixed: '0.20.0' }]),
    ],
  });
  const owner = apk('argo-cd', '2.8.4-r1');
  const module = lang('go', 'golang.org/x/net', 'v0.15.0', {
    ownedBy: owner.id,
    locations: ['usr/bin/argocd'],
  });

  it('suppresses the GHSA on the Go module of an APK the distro fixed (backport), by alias', () => {
    const result = matchCatalog(catalog([owner, module]), source);
    expect(result.findings.map((f) => f.vulnerability)).toEqual(['GO-2024-0003']);
    expect(result.suppressed.map((s) => [s.finding.vulnerability, s.reason.kind, s.reason.detail])).toEqual([
      [ghsa, 'distro-fixed-owner', 'wolfi CGA-aaaa-1111-bbbb: fixed in 2.8.4-r1'],
      [
        'GO-2024-0002',
        'distro-not-affected',
        'wolfi CGA-cccc-2222-dddd: not affected (component-vulnerability-mismatch)',
      ],
    ]);
  });

  it('keeps the finding when the owner APK is older than the fix, or the module is not owned', () => {
    const old = apk('argo-cd', '2.8.4-r0');
    const owned = { ...module, ownedBy: old.id };
    const result = matchCatalog(catalog([old, owned]), source);
    expect(result.findings.map((f) => `${f.package.name} ${f.vulnerability}`).sort()).toEqual([
      'argo-cd CGA-aaaa-1111-bbbb',
      `golang.org/x/net ${ghsa}`,
      'golang.org/x/net GO-2024-0003',
    ]);
    const loose = without(module, 'ownedBy');
    expect(matchCatalog(catalog([owner, loose]), source).findings).toHaveLength(3);
  });
});

describe('VEX statements', () => {
  const source = testVulnSource({
    distro: [fixed('openssl', 'CGA-1', '3.1.4-r0', { aliases: [cve] })],
    ranges: [osv('go', 'golang.org/x/net', ghsa, [{ introduced: '0' }, { fixed: '0.17.0' }])],
    meta: [meta(ghsa, 'high', [cve])],
  });
  const openssl = apk('openssl', '3.1.3-r0');
  const libcrypto = apk('libcrypto3', '3.1.3-r0', 'openssl');
  const tool = apk('tool', '1.0-r0');
  const net = lang('go', 'golang.org/x/net', 'v0.15.0', { ownedBy: tool.id });
  const image = catalog([openssl, libcrypto, tool, net]);
  const run = (statements: ReturnType<typeof vex>[]) => matchCatalog(image, source, { vex: statements });
  const kept = (statements: ReturnType<typeof vex>[]) =>
    run(statements).findings.map((f) => `${f.package.name} ${f.vulnerability}`);

  it('without statements, three findings', () => {
    expect(kept([])).toEqual(['golang.org/x/net GHSA-qppj-fm5r-hxr3', 'libcrypto3 CGA-1', 'openssl CGA-1']);
  });

  it('a statement about the CVE covers the GHSA and CGA findings (aliases, db aliases)', () => {
    const result = run([
      vex(cve, 'not_affected', [image.source.digest!], { justification: 'vulnerable_code_not_present' }),
    ]);
    expect(result.findings).toEqual([]);
    expect(result.suppressed.map((s) => [s.finding.package.name, s.reason.kind, s.reason.detail])).toEqual([
      ['golang.org/x/net', 'vex', `VEX not_affected (vulnerable_code_not_present) for ${cve}`],
      ['libcrypto3', 'vex', `VEX not_affected (vulnerable_code_not_present) for ${cve}`],
      ['openssl', 'vex', `VEX not_affected (vulnerable_code_not_present) for ${cve}`],
    ]);
  });

  it('matches products by package purl: versionless covers all versions, qualifiers must be present', () => {
    expect(kept([vex('CGA-1', 'not_affected', ['pkg:apk/wolfi/openssl'])])).toEqual([
      'golang.org/x/net GHSA-qppj-fm5r-hxr3',
      'libcrypto3 CGA-1',
    ]);
    expect(kept([vex('CGA-1', 'fixed', ['pkg:apk/wolfi/openssl@3.1.3-r0?arch=x86_64'])])).toHaveLength(2);
    expect(kept([vex('CGA-1', 'fixed', ['pkg:apk/wolfi/openssl@3.1.2-r0'])])).toHaveLength(3);
    expect(kept([vex('CGA-1', 'fixed', ['pkg:apk/wolfi/openssl?arch=aarch64'])])).toHaveLength(3);
    expect(kept([vex('CGA-1', 'fixed', ['pkg:apk/chainguard/openssl'])])).toHaveLength(3);
  });

  it('matches the image by digest, pkg:oci purl, reference or bare digest, with subcomponents', () => {
    const digest = image.source.digest!;
    const hex = digest.slice('sha256:'.length);
    for (const product of [
      digest,
      hex,
      `pkg:oci/app@sha256%3A${hex}?arch=amd64`,
      'pkg:oci/app?tag=1.0',
      'cgr.dev/acme/app:1.0',
      `cgr.dev/acme/app@${digest}`,
    ]) {
      expect(kept([vex(cve, 'not_affected', [product])]), product).toEqual([]);
    }
    for (const product of [
      'pkg:oci/other',
      `sha256:${'cd'.repeat(32)}`,
      'pkg:oci/app?tag=2.0',
      'cgr.dev/acme/app:2.0',
    ]) {
      expect(kept([vex(cve, 'not_affected', [product])]), product).toHaveLength(3);
    }
    expect(
      kept([
        vex(cve, 'not_affected', [digest], {
          subcomponents: ['pkg:apk/wolfi/libcrypto3', 'pkg:golang/golang.org/x/net'],
        }),
      ]),
    ).toEqual(['openssl CGA-1']);
  });

  it('reaches an owned module through its APK product with the module as subcomponent', () => {
    expect(
      kept([
        vex(ghsa, 'not_affected', ['pkg:apk/wolfi/tool'], { subcomponents: ['pkg:golang/golang.org/x/net'] }),
      ]),
    ).toEqual(['libcrypto3 CGA-1', 'openssl CGA-1']);
    expect(
      kept([
        vex(ghsa, 'not_affected', ['pkg:apk/wolfi/other'], {
          subcomponents: ['pkg:golang/golang.org/x/net'],
        }),
      ]),
    ).toHaveLength(3);
  });

  it('lets the newest applicable statement decide; affected and under_investigation keep the finding', () => {
    const older = vex(cve, 'not_affected', ['pkg:apk/wolfi/openssl'], { timestamp: '2024-01-01T00:00:00Z' });
    const newer = vex(cve, 'affected', ['pkg:apk/wolfi/openssl'], { timestamp: '2024-02-01T00:00:00Z' });
    const untimed = vex(cve, 'not_affected', ['pkg:apk/wolfi/openssl']);
    expect(kept([newer, older])).toHaveLength(3);
    expect(kept([older, newer])).toHaveLength(3);
    expect(kept([untimed, newer])).toHaveLength(3);
    expect(kept([{ ...newer, timestamp: '2023-12-01T00:00:00Z' }, older])).toHaveLength(2);
    expect(kept([vex(cve, 'under_investigation', ['pkg:apk/wolfi/openssl'])])).toHaveLength(3);
    // A statement about another vulnerability does not interfere.
    expect(
      kept([
        older,
        vex('CVE-2000-1', 'affected', ['pkg:apk/wolfi/openssl'], { timestamp: '2025-01-01T00:00:00Z' }),
      ]),
    ).toHaveLength(2);
  });
});

describe('explain', () => {
  it('lists findings and suppressions whose id or aliases contain the id', () => {
    const source = testVulnSource({
      distro: [
        fixed('openssl', 'CGA-1', '3.1.4-r0', { aliases: [cve] }),
        stated('tool', 'CGA-2', 'not-affected', { aliases: [ghsa] }),
      ],
      ranges: [
        osv('go', 'golang.org/x/net', ghsa, [{ introduced: '0' }, { fixed: '0.17.0' }], { aliases: [cve] }),
      ],
    });
    const tool = apk('tool', '1.0-r0');
    const result = matchCatalog(
      catalog([
        apk('libcrypto3', '3.1.3-r0', 'openssl'),
        tool,
        lang('go', 'golang.org/x/net', 'v0.15.0', { ownedBy: tool.id }),
      ]),
      source,
    );
    const entries = explain(result, cve.toLowerCase());
    expect(
      entries.map((e) => [
        e.outcome,
        e.package,
        e.installed,
        e.searchedBy,
        e.constraint,
        e.record,
        e.reason?.kind,
      ]),
    ).toEqual([
      [
        'finding',
        'libcrypto3',
        '3.1.3-r0',
        'openssl',
        '< 3.1.4-r0 (apk)',
        'advisories/openssl.advisories.yaml',
        undefined,
      ],
      [
        'suppressed',
        'golang.org/x/net',
        'v0.15.0',
        'golang.org/x/net',
        '< 0.17.0 (go)',
        `osv/${ghsa}.json`,
        'distro-not-affected',
      ],
    ]);
    expect(explain(result, 'CVE-1999-0001')).toEqual([]);
  });
});
