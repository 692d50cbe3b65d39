import { describe, expect, it } from 'vitest';
import { displayId, renderTable, summaryLine } from '../../../../src/vuln/report/index.js';
import { finding, pkg, rangeRecord, suppressed } from './builders.js';

const libcrypto = pkg('libcrypto3', '3.0.7-r0', { origin: 'openssl' });
const busybox = pkg('busybox', '1.36.1-r2');
const gomod = pkg('golang.org/x/net', 'v0.17.0', { ecosystem: 'go' });

const FINDINGS = [
  finding(busybox, 'CVE-2024-0010', 'low'),
  finding(libcrypto, 'CVE-2024-0001', 'high', { fix: { state: 'fixed', versions: ['3.0.8-r0'] } }),
  finding(gomod, 'GHSA-cfgh-cfgh-cfgh', 'critical', {
    fix: { state: 'fixed', versions: ['v0.23.0', 'v0.24.0-rc.1', 'v0.25.0-very-long-pre-release'] },
    record: rangeRecord('golang.org/x/net', 'GHSA-cfgh-cfgh-cfgh', 'v0.23.0'),
  }),
  finding(busybox, 'CVE-2024-0009', 'unknown', { fix: { state: 'wont-fix', versions: [] } }),
  finding(libcrypto, 'CVE-2024-0002', 'high'),
];

describe('table report', () => {
  it('grype columns, severity first then name, a summary line', () => {
    expect(renderTable({ findings: FINDINGS, suppressed: [] })).toBe(
      [
        'NAME              INSTALLED  FIXED-IN                        TYPE       VULNERABILITY        SEVERITY',
        'golang.org/x/net  v0.17.0    v0.23.0, v0.24.0-rc.1, v0.2...  go-module  GHSA-cfgh-cfgh-cfgh  Critical',
        'libcrypto3        3.0.7-r0   3.0.8-r0                        apk        CVE-2024-0001        High',
        'libcrypto3        3.0.7-r0                                   apk        CVE-2024-0002        High',
        'busybox           1.36.1-r2                                  apk        CVE-2024-0010        Low',
        "busybox           1.36.1-r2  (won't fix)                     apk        CVE-2024-0009        Unknown",
        '5 vulnerabilities in 3 packages: 1 critical, 2 high, 1 low, 1 unknown',
        '',
      ].join('\n'),
    );
  });

  it('colours only the severity column, and only when asked', () => {
    const plain = renderTable({ findings: FINDINGS, suppressed: [] });
    expect(plain).not.toContain('\x1b[');
    const coloured = renderTable({ findings: FINDINGS, suppressed: [] }, { color: true });
    expect(coloured).toContain('\x1b[1;31mCritical\x1b[0m');
    const codes = ['\x1b[1;31m', '\x1b[31m', '\x1b[33m', '\x1b[32m', '\x1b[2m', '\x1b[0m'];
    expect(codes.reduce((text, code) => text.replaceAll(code, ''), coloured)).toBe(plain);
  });

  it('no findings: one line, with suppressed matches counted by reason', () => {
    const s = [
      suppressed(FINDINGS[0]!, 'vex', 'x'),
      suppressed(FINDINGS[1]!, 'distro-not-affected', 'y'),
      suppressed(FINDINGS[3]!, 'vex', 'z'),
    ];
    expect(renderTable({ findings: [], suppressed: s })).toBe(
      'No vulnerabilities found; 3 suppressed (1 not affected per the distribution, 2 by VEX)\n',
    );
    expect(summaryLine([FINDINGS[0]!], [])).toBe('1 vulnerability in 1 package: 1 low');
  });

  it('names a distribution id (CGA-) by its CVE alias when it has one', () => {
    const cga = finding(busybox, 'CGA-2345-6789-cfgh', 'low', {
      aliases: ['GHSA-2345-6789-cfgh', 'CVE-2024-0042'],
    });
    const bare = finding(busybox, 'CGA-3456-789c-fghj', 'low', { aliases: ['GHSA-3456-789c-fghj'] });
    const ghsa = finding(busybox, 'GHSA-4567-89cf-ghjm', 'low', { aliases: ['CVE-2024-0043'] });
    expect([cga, bare, ghsa].map(displayId)).toEqual([
      'CVE-2024-0042',
      'CGA-3456-789c-fghj',
      'GHSA-4567-89cf-ghjm',
    ]);
    expect(renderTable({ findings: [cga], suppressed: [] })).toContain('CVE-2024-0042');
  });
});
