import { describe, expect, it } from 'vitest';
import type { VulnMeta } from '../../../../src/vuln/model.js';
import { type ScanReport, toSarif, toScanJson } from '../../../../src/vuln/report/index.js';
import { catalog, finding, pkg, rangeRecord, suppressed } from './builders.js';
import { problems, sarifValidator } from './schemas.js';

const libcrypto = pkg('libcrypto3', '3.0.7-r0', { origin: 'openssl' });
const libssl = pkg('libssl3', '3.0.7-r0', { origin: 'openssl' });
const gomod = pkg('golang.org/x/net', 'v0.17.0', { ecosystem: 'go', locations: ['usr/bin/my app'] });
const sbomPkg = pkg('zlib', '1.3-r0', { locations: [] });
const fix = { state: 'fixed' as const, versions: ['3.0.8-r0'] };

function report(): ScanReport {
  const cvss = [
    { version: '3.1' as const, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', score: 9.8 },
  ];
  return {
    catalog: catalog([libcrypto, libssl, gomod, sbomPkg]),
    findings: [
      finding(libssl, 'CVE-2024-0001', 'high', { fix, aliases: ['CGA-2345-6789-cfgh'] }),
      finding(libcrypto, 'CVE-2024-0001', 'high', { fix, aliases: ['CGA-2345-6789-cfgh'] }),
      {
        ...finding(gomod, 'GO-2024-0002', 'critical', {
          record: rangeRecord('golang.org/x/net', 'GO-2024-0002', 'v0.23.0'),
        }),
        cvss,
      },
      finding(sbomPkg, 'CVE-2024-0003', 'medium'),
      finding(libcrypto, 'CVE-2024-0004', 'negligible'),
    ],
    suppressed: [
      suppressed(
        finding(libcrypto, 'CVE-2024-0005', 'low'),
        'vex',
        'openvex: not_affected',
        'v.json#statements/0',
      ),
    ],
    dataSources: ['advisories:test/fixtures/advisories'],
    vulnerabilities: new Map<string, VulnMeta>([
      [
        'CVE-2024-0001',
        {
          id: 'CVE-2024-0001',
          aliases: [],
          summary: 'A heap overflow in the X.400 parser',
          severity: 'high',
          cvss: [],
          references: ['https://example.org/advisory/1'],
        },
      ],
    ]),
    tool: { name: 'larder', version: '0.1.0' },
  };
}

describe('JSON report (larder-scan/v1)', () => {
  it('has every documented key, findings in report order', () => {
    const doc = toScanJson(report());
    expect(Object.keys(doc)).toEqual([
      'schema',
      'tool',
      'source',
      'distro',
      'dataSources',
      'findings',
      'suppressed',
      'counts',
    ]);
    expect(doc.schema).toBe('larder-scan/v1');
    expect(doc.source).toEqual({
      kind: 'oci-layout',
      target: 'out/wolfi-base',
      digest: `sha256:${'ab'.repeat(32)}`,
      names: ['cgr.dev/chainguard/wolfi-base:latest'],
    });
    expect(doc.distro).toEqual({ id: 'wolfi', versionId: '20230201' });
    expect(doc.findings.map((f) => `${f.severity} ${f.package.name} ${f.vulnerability}`)).toEqual([
      'critical golang.org/x/net GO-2024-0002',
      'high libcrypto3 CVE-2024-0001',
      'high libssl3 CVE-2024-0001',
      'medium zlib CVE-2024-0003',
      'negligible libcrypto3 CVE-2024-0004',
    ]);
    expect(doc.findings[1]).toEqual({
      vulnerability: 'CVE-2024-0001',
      aliases: ['CGA-2345-6789-cfgh'],
      severity: 'high',
      cvss: [],
      package: {
        name: 'libcrypto3',
        version: '3.0.7-r0',
        type: 'apk',
        purl: 'pkg:apk/wolfi/libcrypto3@3.0.7-r0?arch=x86_64&distro=wolfi-20230201',
        origin: 'openssl',
        locations: ['lib/apk/db/installed'],
      },
      fix: { state: 'fixed', versions: ['3.0.8-r0'] },
      match: {
        kind: 'apk-origin',
        searchedBy: 'openssl',
        constraint: '< 3.0.8-r0 (apk)',
        source: 'advisories/openssl.advisories.yaml',
      },
    });
    expect(doc.findings[0]?.package.origin).toBeNull();
    expect(doc.findings[0]?.package.type).toBe('go-module');
    expect(doc.suppressed[0]?.suppressedBy).toEqual({
      kind: 'vex',
      detail: 'openvex: not_affected',
      source: 'v.json#statements/0',
    });
    expect(doc.counts).toEqual({
      critical: 1,
      high: 2,
      medium: 1,
      low: 0,
      negligible: 1,
      unknown: 0,
      total: 5,
      suppressed: 1,
    });
  });

  it('a target without digest or distro keeps the keys, with null', () => {
    const doc = toScanJson({
      ...report(),
      catalog: { source: { kind: 'installed-db', target: 'db' }, packages: [] },
    });
    expect(doc.source).toEqual({ kind: 'installed-db', target: 'db', digest: null, names: [] });
    expect(doc.distro).toBeNull();
  });
});

describe('SARIF 2.1.0 report', () => {
  it('validates against the official schema', () => {
    expect(problems(sarifValidator(), toSarif(report()))).toEqual([]);
  });

  it('one rule per vulnerability, one result per finding, levels from severity', () => {
    const log = toSarif(report());
    const run = log.runs[0]!;
    expect(run.tool.driver).toMatchObject({ name: 'larder', version: '0.1.0' });
    expect(run.tool.driver.rules.map((r) => [r.id, r.properties['security-severity'], r.helpUri])).toEqual([
      ['CVE-2024-0001', '7.0', 'https://example.org/advisory/1'],
      ['CVE-2024-0003', '4.0', 'https://nvd.nist.gov/vuln/detail/CVE-2024-0003'],
      ['CVE-2024-0004', '0.0', 'https://nvd.nist.gov/vuln/detail/CVE-2024-0004'],
      ['GO-2024-0002', '9.8', 'https://pkg.go.dev/vuln/GO-2024-0002'],
    ]);
    expect(run.tool.driver.rules[0]?.fullDescription.text).toBe('A heap overflow in the X.400 parser');
    expect(run.results.map((r) => [r.ruleId, r.level, run.tool.driver.rules[r.ruleIndex]?.id])).toEqual([
      ['GO-2024-0002', 'error', 'GO-2024-0002'],
      ['CVE-2024-0001', 'error', 'CVE-2024-0001'],
      ['CVE-2024-0001', 'error', 'CVE-2024-0001'],
      ['CVE-2024-0003', 'warning', 'CVE-2024-0003'],
      ['CVE-2024-0004', 'note', 'CVE-2024-0004'],
    ]);
    const [go, , , sbom] = run.results;
    expect(go?.locations[0]?.physicalLocation.artifactLocation.uri).toBe('usr/bin/my%20app');
    expect(go?.locations[0]?.logicalLocations[0]?.fullyQualifiedName).toBe(
      'pkg:golang/golang.org/x/net@v0.17.0',
    );
    // No evidence path (an SBOM's package): located at the target.
    expect(sbom?.locations[0]?.physicalLocation.artifactLocation.uri).toBe('out/wolfi-base');
    expect(go?.message.text).toBe('golang.org/x/net v0.17.0 is affected by GO-2024-0002 (critical)');
    expect(run.results[1]?.message.text).toContain('fixed in 3.0.8-r0');
    const hashes = run.results.map((r) => r.partialFingerprints.primaryLocationLineHash);
    expect(new Set(hashes).size).toBe(hashes.length);
  });
});
