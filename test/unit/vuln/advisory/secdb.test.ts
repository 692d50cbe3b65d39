import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type AdvisoryDocument,
  type AdvisoryEvent,
  formatSecdbJson,
  readAdvisoryDirectory,
  SECDB_APK_URL,
  toSecdb,
} from '../../../../src/vuln/advisory/index.js';
import { own } from '../../../kit/paths.js';

const fixed = (fixedVersion: string, timestamp = '2025-01-01T00:00:00Z'): AdvisoryEvent => ({
  timestamp,
  type: 'fixed',
  data: { fixedVersion },
});

function doc(name: string, advisories: [string, string[], AdvisoryEvent[]][]): AdvisoryDocument {
  return {
    file: `${name}.advisories.yaml`,
    schemaVersion: '2.0.2',
    package: { name },
    advisories: advisories.map(([id, aliases, events]) => ({ id, aliases, events })),
  };
}

describe('secdb export', () => {
  it('golden: the wolfi-like directory (hand-checked: reopened, pending, TP and detection-only left out)', async () => {
    const docs = await readAdvisoryDirectory(own('advisories', 'wolfi-like'));
    const golden = readFileSync(own('advisories', 'secdb', 'wolfi-like.security.json'), 'utf8');
    expect(formatSecdbJson(toSecdb(docs))).toBe(golden);
    const parsed = JSON.parse(golden);
    const openssl = parsed.packages.find((p: { pkg: { name: string } }) => p.pkg.name === 'openssl');
    expect(Object.keys(openssl.pkg.secfixes)).toEqual(['0', '3.0.7-r0', '3.5.1-r1', '3.5.2-r0']);
    const all = JSON.stringify(parsed);
    for (const omitted of [
      'CGA-cf8j-q96x-8r28',
      'CGA-4mg4-hmcp-58f5',
      'CGA-ppj4-rmqf-m48c',
      'CGA-8mg4-75jv-6pq4',
    ])
      expect(all).not.toContain(omitted);
  });

  it("version keys in apk order with '0' first (not byte order), ids deduplicated and sorted", () => {
    const fp: AdvisoryEvent = {
      timestamp: '2025-01-01T00:00:00Z',
      type: 'false-positive-determination',
      data: { type: 'inline-mitigations-exist' },
    };
    const secdb = toSecdb([
      doc('p', [
        ['CGA-2222-2222-2222', ['CVE-2025-10001'], [fixed('3.10.0-r0')]],
        ['CGA-3333-3333-3333', ['GHSA-2222-3333-4444'], [fixed('3.9.0-r0')]],
        ['CGA-4444-4444-4444', ['CVE-2025-10002'], [fixed('3.9.0_rc1-r0')]],
        ['CGA-5555-5555-5555', ['CVE-2025-10003'], [fixed('3.10.0-r0')]],
        ['CGA-6666-6666-6666', ['CVE-2025-10004', 'GHSA-4444-3333-2222'], [fp]],
        ['CGA-7777-7777-7777', [], [fixed('3.9.0-r10')]],
        ['CGA-8888-8888-8888', [], [fixed('3.9.0-r2')]],
      ]),
    ]);
    const secfixes = secdb.packages[0]?.pkg.secfixes ?? {};
    expect(Object.keys(secfixes)).toEqual([
      '0',
      '3.9.0_rc1-r0',
      '3.9.0-r0',
      '3.9.0-r2',
      '3.9.0-r10',
      '3.10.0-r0',
    ]);
    expect(secfixes['3.10.0-r0']).toEqual([
      'CGA-2222-2222-2222',
      'CGA-5555-5555-5555',
      'CVE-2025-10001',
      'CVE-2025-10003',
    ]);
    expect(secfixes['0']).toEqual(['CGA-6666-6666-6666', 'CVE-2025-10004', 'GHSA-4444-3333-2222']);
    expect(Object.keys(JSON.parse(formatSecdbJson(secdb)).packages[0].pkg.secfixes)).toEqual(
      Object.keys(secfixes),
    );
  });

  it('the latest event decides: a fix followed by a false positive is listed under "0" only', () => {
    const secdb = toSecdb([
      doc('p', [
        [
          'CGA-2222-2222-2222',
          ['CVE-2025-10001'],
          [
            {
              timestamp: '2025-02-01T00:00:00Z',
              type: 'false-positive-determination',
              data: { type: 'vulnerable-code-version-not-used', note: 'n' },
            },
            fixed('1.0-r1', '2025-01-01T00:00:00Z'),
          ],
        ],
      ]),
    ]);
    expect(secdb.packages[0]?.pkg.secfixes).toEqual({ '0': ['CGA-2222-2222-2222', 'CVE-2025-10001'] });
  });

  it('packages sorted by name; documents with nothing to say are left out', () => {
    const pending: AdvisoryEvent = {
      timestamp: '2025-01-01T00:00:00Z',
      type: 'pending-upstream-fix',
      data: { note: 'n' },
    };
    const secdb = toSecdb([
      doc('zz', [['CGA-2222-2222-2222', [], [fixed('1-r1')]]]),
      doc('pending-only', [['CGA-3333-3333-3333', [], [pending]]]),
      doc('Aa', [['CGA-4444-4444-4444', [], [fixed('1-r1')]]]),
      doc('aa', [['CGA-5555-5555-5555', [], [fixed('1-r1')]]]),
    ]);
    expect(secdb.packages.map((p) => p.pkg.name)).toEqual(['Aa', 'aa', 'zz']);
  });

  it("Wolfi's defaults, or the options given; an empty export is a valid document", () => {
    const empty = toSecdb([]);
    expect(empty).toEqual({
      apkurl: SECDB_APK_URL,
      archs: ['x86_64', 'aarch64'],
      reponame: 'os',
      urlprefix: 'https://packages.wolfi.dev',
      packages: [],
    });
    expect(formatSecdbJson(empty)).toBe(
      [
        '{',
        '  "apkurl": "{{urlprefix}}/{{reponame}}/{{arch}}/{{pkg.name}}-{{pkg.ver}}.apk",',
        '  "archs": [',
        '    "x86_64",',
        '    "aarch64"',
        '  ],',
        '  "reponame": "os",',
        '  "urlprefix": "https://packages.wolfi.dev",',
        '  "packages": []',
        '}',
      ].join('\n'),
    );
    const custom = toSecdb([], {
      archs: ['x86_64'],
      urlprefix: 'https://example.test/a?x=1&y=<2>',
      reponame: 'main',
    });
    expect(custom).toMatchObject({
      archs: ['x86_64'],
      urlprefix: 'https://example.test/a?x=1&y=<2>',
      reponame: 'main',
    });
    // Go's encoding/json escapes <, > and & (wolfictl writes with it).
    expect(formatSecdbJson(custom)).toContain(
      '"urlprefix": "https://example.test/a?x=1\\u0026y=\\u003c2\\u003e"',
    );
    expect(JSON.parse(formatSecdbJson(custom)).urlprefix).toBe('https://example.test/a?x=1&y=<2>');
  });
});
