import { readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ScanJson } from '../../src/vuln/index.js';
import { larder } from '../kit/cli.js';
import { own, shared, tempDir } from '../kit/paths.js';
import {
  cycloneDxProblems,
  openVexValidator,
  problems,
  sarifValidator,
} from '../unit/vuln/report/schemas.js';

// `larder scan` over the shared installed databases with synthetic Wolfi-like advisories, secdb
// and OSV records (test/fixtures): formats, policies, VEX, ignore rules, --explain, bad input.

const WOLFI_BASE = shared('installed', 'wolfi-base');
const REDIS = shared('installed', 'redis-operator-compat');
const DATA = [
  '--advisories',
  own('advisories', 'wolfi-like'),
  '--secdb',
  own('secdb', 'wolfi-security.json'),
  '--osv',
  own('osv', 'records'),
  '--distro',
  'wolfi',
];
let dir: string;

const scan = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  larder(['scan', ...args, '--state-dir', join(dir, 'state')], {
    env: { SOURCE_DATE_EPOCH: '1700000000', ...env },
  });

function scanJson(args: string[]): ScanJson {
  const r = scan([...args, '--format', 'json']);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as ScanJson;
}

const rows = (doc: ScanJson) => doc.findings.map((f) => `${f.package.name} ${f.vulnerability}`);

beforeAll(async () => {
  dir = await tempDir('larder-scan-');
  await writeFile(
    join(dir, 'not-affected.openvex.json'),
    JSON.stringify({
      '@context': 'https://openvex.dev/ns/v0.2.0',
      '@id': 'https://example.com/vex/1',
      author: 'tests',
      timestamp: '2025-09-01T00:00:00Z',
      version: 1,
      statements: [
        {
          vulnerability: { name: 'CVE-2025-90005' },
          products: [{ '@id': 'pkg:apk/wolfi/libcrypto3' }],
          status: 'not_affected',
          justification: 'vulnerable_code_not_in_execute_path',
        },
      ],
    }),
  );
  await writeFile(
    join(dir, 'not-affected.cdx.json'),
    JSON.stringify({
      bomFormat: 'CycloneDX',
      specVersion: '1.6',
      version: 1,
      components: [
        { type: 'library', 'bom-ref': 'ssl', name: 'libssl3', purl: 'pkg:apk/wolfi/libssl3@3.5.1-r1' },
      ],
      vulnerabilities: [
        {
          id: 'GHSA-cc6f-38p5-7w52',
          analysis: {
            state: 'not_affected',
            justification: 'code_not_present',
            lastUpdated: '2025-09-01T00:00:00Z',
          },
          affects: [{ ref: 'ssl' }],
        },
      ],
    }),
  );
  await writeFile(
    join(dir, 'ignore.yaml'),
    '- vulnerability: CVE-2025-90012\n  include-aliases: true\n  reason: zlib is not reachable from the network here\n' +
      '- vulnerability: CVE-2000-0001\n  reason: matches nothing\n',
  );
  await writeFile(join(dir, 'bad-ignore.yaml'), '- vulnerability: CVE-1\n  resaon: typo\n');
  await writeFile(
    join(dir, 'bad.vex.json'),
    '{"@context": "https://openvex.dev/ns/v0.2.0", "statements": [{"status": "fixed"}]}',
  );
});

describe('larder scan: installed databases', () => {
  it('wolfi-base: subpackages reported under their own names, matched by origin, highest severity first', () => {
    const doc = scanJson([WOLFI_BASE, ...DATA]);
    expect(doc.source).toEqual({ kind: 'installed-db', target: WOLFI_BASE, digest: null, names: [] });
    expect(doc.dataSources).toHaveLength(3);
    const found = rows(doc);
    // openssl's advisory reaches libcrypto3 and libssl3 through their origin.
    expect(found).toEqual(
      expect.arrayContaining(['libcrypto3 CGA-xmfh-w54r-r85x', 'libssl3 CGA-xmfh-w54r-r85x']),
    );
    const libcrypto = doc.findings.find(
      (f) => f.vulnerability === 'CGA-xmfh-w54r-r85x' && f.package.name === 'libcrypto3',
    );
    expect(libcrypto).toMatchObject({
      package: { origin: 'openssl', type: 'apk' },
      fix: { state: 'fixed', versions: ['3.5.2-r0'] },
      match: { kind: 'apk-origin', searchedBy: 'openssl', constraint: '< 3.5.2-r0 (apk)' },
    });
    // glibc's fixed-before-install advisory (2.41-r55) is not a finding; its later one is, for all four subpackages.
    expect(found.filter((r) => r.endsWith('CGA-xcgj-q7fv-2xp3'))).toEqual([]);
    expect(found.filter((r) => r.endsWith('CGA-72xw-5hhq-w386'))).toEqual([
      'glibc CGA-72xw-5hhq-w386',
      'glibc-locale-posix CGA-72xw-5hhq-w386',
      'ld-linux CGA-72xw-5hhq-w386',
      'libcrypt1 CGA-72xw-5hhq-w386',
    ]);
    // Out-of-order events: the fix (3.5.1-r1, latest by time) decides; the installed 3.5.1-r1 has it.
    expect(found.filter((r) => r.endsWith('CGA-3w8h-q8rw-r2h9'))).toEqual([]);
    expect(doc.counts.total).toBe(doc.findings.length);
  });

  it('redis-operator-compat: the -compat subpackage matched through its origin redis-operator', () => {
    const doc = scanJson([REDIS, ...DATA]);
    const compat = doc.findings.filter((f) => f.package.name === 'redis-operator-compat');
    expect(compat.length).toBeGreaterThan(0);
    expect(
      compat.every((f) => f.match.searchedBy === 'redis-operator' && f.package.origin === 'redis-operator'),
    ).toBe(true);
  });

  it('the table: grype columns, CVE names, a summary line; exit 0 without a policy', () => {
    const r = scan([WOLFI_BASE, ...DATA]);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME +INSTALLED +FIXED-IN +TYPE +VULNERABILITY +SEVERITY$/);
    expect(r.stdout).toMatch(/\nlibcrypto3 +3\.5\.1-r1 +3\.5\.2-r0 +apk +CVE-2025-90005 +Unknown\n/);
    expect(r.stdout).toMatch(/\nbusybox +1\.37\.0-r47 +\(won't fix\) +apk +CVE-2023-90023 +Unknown\n/);
    expect(lines.at(-1)).toMatch(/^\d+ vulnerabilities in \d+ packages: \d+ unknown$/);
    expect(r.stdout).not.toContain('\x1b[');
  });

  it('SARIF, OpenVEX and CycloneDX outputs validate against the official schemas', () => {
    const sarif = scan([REDIS, ...DATA, '--format', 'sarif']);
    expect(sarif.status, sarif.stderr).toBe(0);
    expect(problems(sarifValidator(), JSON.parse(sarif.stdout))).toEqual([]);
    const openvex = scan([REDIS, ...DATA, '--format', 'openvex', '--author', 'Example Security']);
    expect(openvex.status, openvex.stderr).toBe(0);
    const vex = JSON.parse(openvex.stdout);
    expect(problems(openVexValidator(), vex)).toEqual([]);
    expect(vex).toMatchObject({
      author: 'Example Security',
      timestamp: '2023-11-14T22:13:20Z',
      tooling: 'larder 0.1.0',
    });
    // The same scan gives the same document.
    expect(scan([REDIS, ...DATA, '--format', 'openvex', '--author', 'Example Security']).stdout).toBe(
      openvex.stdout,
    );
    // openssl's false positive (never a finding) is stated as not affected, with its justification.
    const fp = vex.statements.find(
      (s: { vulnerability: { name: string } }) => s.vulnerability.name === 'CVE-2023-90002',
    );
    expect(fp).toMatchObject({ status: 'not_affected', justification: 'vulnerable_code_not_present' });
    expect(fp.products).toEqual([
      { '@id': 'pkg:apk/wolfi/libcrypto3@3.5.1-r1' },
      { '@id': 'pkg:apk/wolfi/libssl3@3.5.1-r1' },
    ]);
    const cdx = scan([REDIS, ...DATA, '--format', 'cyclonedx']);
    expect(cdx.status, cdx.stderr).toBe(0);
    expect(cycloneDxProblems(JSON.parse(cdx.stdout))).toEqual([]);
  });
});

describe('larder scan: policies', () => {
  it('--policy zero-known-cve: exit 1, the report still written, every finding named on stderr', () => {
    const r = scan([WOLFI_BASE, ...DATA, '--policy', 'zero-known-cve']);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^NAME/);
    expect(r.stderr).toMatch(/^policy violated: policy zero-known-cve: \d+ findings\n/);
    expect(r.stderr).toContain(
      '  CVE-2025-90005 (CGA-xmfh-w54r-r85x) unknown libcrypto3 3.5.1-r1 (fixed in 3.5.2-r0)\n',
    );
  });

  it('--fail-on: unknown severities are not judged (exit 0, with a note); bad values are usage errors', () => {
    const r = scan([WOLFI_BASE, ...DATA, '--fail-on', 'low']);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/note: \d+ findings of unknown severity not judged by --fail-on/);
    const bad = scan([WOLFI_BASE, ...DATA, '--fail-on', 'severe']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe(
      "larder: USAGE: --fail-on 'severe': expected one of negligible, low, medium, high, critical\n",
    );
    expect(scan([WOLFI_BASE, ...DATA, '--policy', 'no-cves']).stderr).toContain("--policy 'no-cves'");
  });

  it('a clean scan passes every policy: exit 0', () => {
    const r = scan([
      WOLFI_BASE,
      '--osv',
      own('osv', 'records', 'go'),
      '--policy',
      'zero-known-cve',
      '--fail-on',
      'low',
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('No vulnerabilities found\n');
  });

  it('--distro names the target: a feed that states its own namespace (Wolfi) does not apply to Alpine', () => {
    const alpine = shared('installed', 'alpine-3.16-image');
    const wolfiOnly = scan([
      alpine,
      '--secdb',
      own('secdb', 'wolfi-security.json'),
      '--distro',
      'alpine:3.16',
    ]);
    expect(wolfiOnly.status, wolfiOnly.stderr).toBe(0);
    expect(wolfiOnly.stdout).toBe('No vulnerabilities found\n');
    const both = scanJson([
      alpine,
      '--secdb',
      own('secdb', 'alpine-3.16-main.json'),
      '--secdb',
      own('secdb', 'wolfi-security.json'),
      '--distro',
      'alpine:3.16',
    ]);
    const alpineOnly = scanJson([
      alpine,
      '--secdb',
      own('secdb', 'alpine-3.16-main.json'),
      '--distro',
      'alpine:3.16',
    ]);
    expect(alpineOnly.findings.length).toBeGreaterThan(0);
    expect(rows(both)).toEqual(rows(alpineOnly));
  });
});

describe('larder scan: VEX, ignore rules, --only-fixed', () => {
  it('OpenVEX and CycloneDX VEX suppress by alias and product; the rest stays', () => {
    const before = scanJson([WOLFI_BASE, ...DATA]);
    const after = scanJson([
      WOLFI_BASE,
      ...DATA,
      '--vex',
      join(dir, 'not-affected.openvex.json'),
      '--vex',
      join(dir, 'not-affected.cdx.json'),
    ]);
    // The OpenVEX statement names the CVE; the finding's id is the CGA with that CVE as alias.
    expect(rows(after)).not.toContain('libcrypto3 CGA-xmfh-w54r-r85x');
    expect(rows(after)).toContain('libssl3 CGA-xmfh-w54r-r85x');
    // The CycloneDX statement is about libssl3 only.
    expect(rows(after)).not.toContain('libssl3 CGA-4mg4-hmcp-58f5');
    expect(rows(after)).toContain('libcrypto3 CGA-4mg4-hmcp-58f5');
    expect(after.findings.length).toBe(before.findings.length - 2);
    expect(after.suppressed.map((s) => [s.package.name, s.vulnerability, s.suppressedBy.kind])).toEqual(
      expect.arrayContaining([
        ['libcrypto3', 'CGA-xmfh-w54r-r85x', 'vex'],
        ['libssl3', 'CGA-4mg4-hmcp-58f5', 'vex'],
      ]),
    );
    expect(after.counts.suppressed).toBe(2);
  });

  it('ignore rules suppress with their reason; a rule that matched nothing is a warning', () => {
    const r = scan([WOLFI_BASE, ...DATA, '--ignore', join(dir, 'ignore.yaml'), '--format', 'json']);
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as ScanJson;
    expect(rows(doc)).not.toContain('zlib CGA-6q37-mxj5-p94x');
    expect(doc.suppressed.find((s) => s.vulnerability === 'CGA-6q37-mxj5-p94x')?.suppressedBy).toEqual({
      kind: 'ignore-rule',
      detail: 'ignore rule: zlib is not reachable from the network here',
      source: `${join(dir, 'ignore.yaml')}:1:3`,
    });
    expect(r.stderr).toBe(
      `larder: warning: ignore rule at ${join(dir, 'ignore.yaml')}:4:3 matched nothing\n`,
    );
  });

  it('--only-fixed keeps findings with a fix; the others are counted as suppressed', () => {
    const all = scanJson([WOLFI_BASE, ...DATA]);
    const fixed = scanJson([WOLFI_BASE, ...DATA, '--only-fixed']);
    expect(fixed.findings.every((f) => f.fix.state === 'fixed')).toBe(true);
    expect(fixed.findings.length + fixed.counts.suppressed).toBe(all.findings.length);
    expect(fixed.suppressed.every((s) => s.suppressedBy.kind === 'only-fixed')).toBe(true);
  });
});

describe('larder scan --explain and -o', () => {
  it('explains a finding found by alias: package, origin, record file, constraint, installed version', () => {
    const r = scan([
      WOLFI_BASE,
      ...DATA,
      '--explain',
      'CVE-2025-90005',
      '--vex',
      join(dir, 'not-affected.openvex.json'),
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^CVE-2025-90005: 1 finding, 1 suppressed\n/);
    expect(r.stdout).toContain('libssl3 3.5.1-r1 (apk): vulnerable\n');
    expect(r.stdout).toContain('  looked up:   openssl (the origin package; apk-origin)\n');
    expect(r.stdout).toContain(
      `  source:      ${own('advisories', 'wolfi-like', 'openssl.advisories.yaml')}\n`,
    );
    expect(r.stdout).toContain('  constraint:  < 3.5.2-r0 (apk)\n');
    expect(r.stdout).toContain('  installed:   3.5.1-r1 (matches the constraint: vulnerable)\n');
    expect(r.stdout).toContain('libcrypto3 3.5.1-r1 (apk): suppressed (vex)\n');
    expect(r.stdout).toContain(`  by:          ${join(dir, 'not-affected.openvex.json')}#statements/0\n`);
  });

  it('says when nothing matched the id', () => {
    const r = scan([WOLFI_BASE, ...DATA, '--explain', 'CVE-1999-0001']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(
      /^CVE-1999-0001: no finding and no suppressed match names it in this scan \(\d+ findings, 0 suppressed\)/,
    );
  });

  it('-o writes the report atomically and prints nothing', () => {
    const out = join(dir, 'out', 'report.json');
    const r = scan([WOLFI_BASE, ...DATA, '--format', 'json', '-o', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(JSON.parse(readFileSync(out, 'utf8')).schema).toBe('larder-scan/v1');
    expect(readdirSync(join(dir, 'out'))).toEqual(['report.json']);
  });
});

describe('larder scan: bad input exits 2 with one clear line', () => {
  it('no data given and no default database', () => {
    const r = scan([WOLFI_BASE]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `larder: NOT_FOUND: no vulnerability database at ${join(dir, 'state', 'vuln', 'vuln.db')} (the default): import data with 'larder vuln db import', or give --db, --advisories, --secdb or --osv\n`,
    );
  });

  it('a --db that does not exist, or is not a database', async () => {
    const missing = scan([WOLFI_BASE, '--db', join(dir, 'nope.db')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain(`larder: NOT_FOUND: ${join(dir, 'nope.db')}: no such database`);
    await writeFile(
      join(dir, 'junk.db'),
      'this is not sqlite, just some text that is long enough to have a header'.repeat(10),
    );
    const junk = scan([WOLFI_BASE, '--db', join(dir, 'junk.db')]);
    expect(junk.status).toBe(2);
    expect(junk.stderr).toMatch(/^larder: VULN_DB_INVALID: .*junk\.db/);
  });

  it('a bad ignore file names file:line:col', () => {
    const r = scan([WOLFI_BASE, ...DATA, '--ignore', join(dir, 'bad-ignore.yaml')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      `larder: IGNORE_RULES_INVALID: ${join(dir, 'bad-ignore.yaml')}:2:3: unknown key 'resaon'`,
    );
    expect(r.stdout).toBe('');
  });

  it('a bad VEX document names the file and the field', () => {
    const r = scan([WOLFI_BASE, ...DATA, '--vex', join(dir, 'bad.vex.json')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `larder: VEX_INVALID: ${join(dir, 'bad.vex.json')}: statements[0].vulnerability: expected an object, found nothing\n`,
    );
  });

  it('a target that is not one, and an unknown format', () => {
    const r = scan([join(dir, 'ignore.yaml'), ...DATA]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^larder: TARGET_INVALID: /);
    expect(scan([WOLFI_BASE, ...DATA, '--format', 'xml']).stderr).toBe(
      "larder: USAGE: --format 'xml': expected one of table, json, sarif, openvex, cyclonedx\n",
    );
  });
});
