import { describe, expect, it } from 'vitest';
import type { Ecosystem, RangeEvent, RangeRecord } from '../../../../src/vuln/model.js';
import { evaluateRangeRecord } from '../../../../src/vuln/versions/index.js';

function record(
  ecosystem: Ecosystem,
  ranges: { type: 'SEMVER' | 'ECOSYSTEM' | 'GIT'; events: RangeEvent[] }[],
  versions: string[] = [],
): RangeRecord {
  return {
    ecosystem,
    package: 'pkg',
    vulnerability: 'GHSA-test',
    aliases: [],
    ranges,
    versions,
    source: 'osv:GHSA-test',
  };
}

/** Affected-or-not for each version, as a map, so a failing table shows every row. */
function verdicts(r: RangeRecord, versions: readonly string[]): Record<string, boolean> {
  return Object.fromEntries(versions.map((v) => [v, evaluateRangeRecord(r, v).affected]));
}

describe('OSV range evaluation', () => {
  it('introduced/fixed: below, at and above each bound', () => {
    const r = record('npm', [{ type: 'SEMVER', events: [{ introduced: '1.0.0' }, { fixed: '1.2.5' }] }]);
    expect(
      verdicts(r, ['0.9.9', '1.0.0-rc.1', '1.0.0', '1.2.4', '1.2.5-beta', '1.2.5', '1.2.6', '2.0.0']),
    ).toEqual({
      '0.9.9': false,
      '1.0.0-rc.1': false,
      '1.0.0': true,
      '1.2.4': true,
      '1.2.5-beta': true,
      '1.2.5': false,
      '1.2.6': false,
      '2.0.0': false,
    });
    const v = evaluateRangeRecord(r, '1.2.4');
    expect(v).toEqual({
      affected: true,
      kind: 'osv-range',
      constraint: '>= 1.0.0, < 1.2.5 (semver)',
      fixVersions: ['1.2.5'],
      warnings: [],
    });
  });

  it('introduced 0, several intervals, events out of order', () => {
    const r = record('go', [
      {
        type: 'SEMVER',
        events: [{ fixed: '1.21.5' }, { introduced: '1.21.0-0' }, { introduced: '0' }, { fixed: '1.20.12' }],
      },
    ]);
    expect(
      verdicts(r, ['go1.19', 'go1.20.11', 'go1.20.12', 'go1.21rc2', 'go1.21.0', 'go1.21.4', 'go1.21.5']),
    ).toEqual({
      'go1.19': true,
      'go1.20.11': true,
      'go1.20.12': false,
      'go1.21rc2': true,
      'go1.21.0': true,
      'go1.21.4': true,
      'go1.21.5': false,
    });
    const v = evaluateRangeRecord(r, 'go1.21.4');
    expect(v.constraint).toBe('< 1.20.12 || >= 1.21.0-0, < 1.21.5 (go)');
    expect(v.fixVersions).toEqual(['1.21.5']);
    expect(evaluateRangeRecord(r, 'go1.20.1').fixVersions).toEqual(['1.20.12']);
  });

  it('last_affected is inclusive and gives no fix', () => {
    const r2 = record('pypi', [
      { type: 'ECOSYSTEM', events: [{ introduced: '2.0' }, { lastAffected: '2.3.1' }] },
    ]);
    expect(verdicts(r2, ['1.9', '2.0', '2.3.1', '2.3.1.post1', '2.3.2'])).toEqual({
      '1.9': false,
      '2.0': true,
      '2.3.1': true,
      '2.3.1.post1': false,
      '2.3.2': false,
    });
    const v = evaluateRangeRecord(r2, '2.3');
    expect(v.constraint).toBe('>= 2.0, <= 2.3.1 (pep440)');
    expect(v.fixVersions).toEqual([]);
  });

  it('limit caps the range; "*" is no limit', () => {
    const r = record('maven', [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { limit: '2.0' }] }]);
    expect(verdicts(r, ['1.0', '1.9.9', '2.0-rc1', '2.0', '2.1'])).toEqual({
      '1.0': true,
      '1.9.9': true,
      '2.0-rc1': true,
      '2.0': false,
      '2.1': false,
    });
    expect(evaluateRangeRecord(r, '1.0').constraint).toBe('>= 0 (limit < 2.0) (maven)');
    const star = record('maven', [{ type: 'ECOSYSTEM', events: [{ introduced: '1.0' }, { limit: '*' }] }]);
    expect(evaluateRangeRecord(star, '9.9').affected).toBe(true);
  });

  it('explicit versions match with ecosystem normalization', () => {
    const r = record('pypi', [], ['1.0', '1.1.post1']);
    expect(verdicts(r, ['1.0.0', '1.0', '1.1.post1', '1.1-1', '1.1', '1.2'])).toEqual({
      '1.0.0': true,
      '1.0': true,
      '1.1.post1': true,
      '1.1-1': true,
      '1.1': false,
      '1.2': false,
    });
    expect(evaluateRangeRecord(r, '1.0.0')).toMatchObject({
      kind: 'osv-version',
      constraint: '= 1.0 (pep440, listed version)',
    });
    const go = record(
      'go',
      [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.5.0' }] }],
      ['1.7.0'],
    );
    expect(evaluateRangeRecord(go, 'v1.7.0')).toMatchObject({
      affected: true,
      kind: 'osv-version',
      fixVersions: [],
    });
    expect(evaluateRangeRecord(go, 'v1.4.0')).toMatchObject({
      affected: true,
      kind: 'osv-range',
      fixVersions: ['1.5.0'],
    });
  });

  it('ignores GIT ranges', () => {
    const r = record('go', [{ type: 'GIT', events: [{ introduced: '0' }, { fixed: 'abc123' }] }]);
    expect(evaluateRangeRecord(r, 'v1.0.0')).toMatchObject({ affected: false, warnings: [] });
  });

  it('skips with a warning a range whose versions no order reads', () => {
    const r = record('pypi', [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.0' }] }]);
    const v = evaluateRangeRecord(r, 'not-a-version!');
    expect(v.affected).toBe(false);
    expect(v.warnings).toEqual([
      "GHSA-test (osv:GHSA-test): ECOSYSTEM range skipped for pkg@not-a-version!: invalid pep440 version 'not-a-version!': not a PEP 440 version",
    ]);
    const badEvent = record('npm', [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.0' }] }]);
    expect(evaluateRangeRecord(badEvent, '0.5.0').warnings[0]).toMatch(/invalid semver version '1.0'/);
  });

  it('retries a SEMVER range in semver when the ecosystem order cannot read the version', () => {
    const r = record('pypi', [{ type: 'SEMVER', events: [{ introduced: '1.0.0' }, { fixed: '1.2.0' }] }]);
    // `1.1.0-beta.1.2` is not PEP 440 but is semver.
    expect(evaluateRangeRecord(r, '1.1.0-beta.1.2')).toMatchObject({
      affected: true,
      constraint: '>= 1.0.0, < 1.2.0 (semver)',
    });
    expect(evaluateRangeRecord(r, '1.1')).toMatchObject({
      affected: true,
      constraint: '>= 1.0.0, < 1.2.0 (pep440)',
    });
  });

  it('PEP 440 local versions count only against bounds with a local label', () => {
    const r = record('pypi', [
      { type: 'ECOSYSTEM', events: [{ introduced: '0' }, { lastAffected: '1.0.0' }] },
    ]);
    expect(evaluateRangeRecord(r, '1.0.0+local').affected).toBe(true);
    const fixed = record('pypi', [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.0.0' }] }]);
    expect(evaluateRangeRecord(fixed, '1.0.0+local').affected).toBe(false);
  });

  it('Maven, cargo and npm ranges', () => {
    const maven = record('maven', [
      { type: 'ECOSYSTEM', events: [{ introduced: '2.0-beta9' }, { fixed: '2.15.0' }] },
    ]);
    expect(
      verdicts(maven, ['2.0-alpha1', '2.0-beta9', '2.0', '2.14.1', '2.15.0-rc1', '2.15.0', '2.15.0.Final']),
    ).toEqual({
      '2.0-alpha1': false,
      '2.0-beta9': true,
      '2.0': true,
      '2.14.1': true,
      '2.15.0-rc1': true,
      '2.15.0': false,
      '2.15.0.Final': false,
    });
    const cargo = record('cargo', [
      { type: 'SEMVER', events: [{ introduced: '0.0.0-0' }, { fixed: '0.10.55' }] },
    ]);
    expect(verdicts(cargo, ['0.10.54', '0.10.55', '0.9.0'])).toEqual({
      '0.10.54': true,
      '0.10.55': false,
      '0.9.0': true,
    });
    const npm = record('npm', [
      { type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '4.17.21' }] },
      { type: 'SEMVER', events: [{ introduced: '5.0.0' }, { fixed: '5.0.1' }] },
    ]);
    expect(verdicts(npm, ['4.17.20', '4.17.21', '5.0.0', '5.0.1'])).toEqual({
      '4.17.20': true,
      '4.17.21': false,
      '5.0.0': true,
      '5.0.1': false,
    });
    expect(evaluateRangeRecord(npm, '5.0.0').constraint).toBe('>= 5.0.0, < 5.0.1 (semver)');
  });
});
