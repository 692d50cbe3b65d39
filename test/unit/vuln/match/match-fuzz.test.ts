// Records come from feeds larder does not control: whatever versions and states they carry,
// matching must finish with findings and warnings, never an exception.
import { describe, expect, it } from 'vitest';
import { matchCatalog } from '../../../../src/vuln/match/index.js';
import type { DistroRecord, Ecosystem, RangeRecord } from '../../../../src/vuln/model.js';
import { prng } from '../../../kit/prng.js';
import { testVulnSource } from '../../../kit/vuln-source.js';
import { apk, catalog, lang, without } from './builders.js';

const VERSIONS = [
  '0',
  '1.0',
  '1.0.0',
  'v1.2.3',
  '1.0-r0',
  '2.0_rc1-r3',
  'go1.21rc2',
  '1!2.0',
  'x',
  '',
  '(devel)',
  '1..0',
  '*',
  '1.0-SNAPSHOT',
  'v0.0.0-20220308185742-91533d04e894',
];
const STATES: DistroRecord['state'][] = [
  'fixed',
  'not-affected',
  'affected',
  'under-investigation',
  'pending-upstream-fix',
  'fix-not-planned',
  'analysis-not-planned',
];
const ECOSYSTEMS: Exclude<Ecosystem, 'apk'>[] = ['go', 'pypi', 'npm', 'maven', 'cargo'];
const IDS = ['CVE-1', 'CVE-2', 'GHSA-a', 'cga-1', 'GO-1'];
const TIMES = [undefined, '2024-01-01T00:00:00Z', 'not a date', '2023-06-01'];

describe('matching under seeded fuzz', () => {
  it('never throws whatever the records hold', () => {
    const next = prng(0xabc);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
    const totals = { findings: 0, suppressed: 0, warnings: 0 };
    for (let round = 0; round < 200; round++) {
      const distro: DistroRecord[] = [];
      const ranges: RangeRecord[] = [];
      for (let i = 0; i < 8; i++) {
        const timestamp = pick(TIMES);
        distro.push({
          distro: pick(['', 'wolfi', 'alpine:3.18', 'chainguard']),
          package: 'pkg',
          vulnerability: pick(IDS),
          aliases: [pick(IDS)],
          state: pick(STATES),
          ...(next() < 0.8 ? { fixedVersion: pick(VERSIONS) } : {}),
          ...(timestamp === undefined ? {} : { timestamp }),
          source: 's',
        });
        const events = Array.from({ length: Math.floor(next() * 4) }, () => ({
          [pick(['introduced', 'fixed', 'lastAffected', 'limit'])]: pick(VERSIONS),
        }));
        ranges.push({
          ecosystem: pick(ECOSYSTEMS),
          package: 'lib',
          vulnerability: pick(IDS),
          aliases: [pick(IDS)],
          ranges: [{ type: pick(['SEMVER', 'ECOSYSTEM', 'GIT'] as const), events }],
          versions: next() < 0.3 ? [pick(VERSIONS)] : [],
          source: 'o',
        });
      }
      const owner = apk('pkg', pick(VERSIONS));
      const pkgs = [
        owner,
        ...ECOSYSTEMS.map((e) =>
          lang(e, 'lib', pick(VERSIONS), { id: e, ownedBy: owner.id, goMainModule: next() < 0.5 }),
        ),
      ];
      const result = matchCatalog(
        next() < 0.5 ? without(catalog(pkgs), 'distro') : catalog(pkgs),
        testVulnSource({ distro, ranges }),
      );
      totals.findings += result.findings.length;
      totals.suppressed += result.suppressed.length;
      totals.warnings += result.warnings.length;
    }
    // The rounds reach every outcome, so "did not throw" covers the paths that matter.
    expect(totals.findings).toBeGreaterThan(100);
    expect(totals.suppressed).toBeGreaterThan(10);
    expect(totals.warnings).toBeGreaterThan(100);
  });
});
