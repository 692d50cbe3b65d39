import { describe, expect, it } from 'vitest';
import { renderExplanation } from '../../../../src/vuln/report/index.js';
import { distroRecord, finding, pkg } from './builders.js';

describe('--explain rendering', () => {
  const libcrypto = pkg('libcrypto3', '3.0.7-r0', { origin: 'openssl' });
  const record = distroRecord('openssl', 'CGA-2345-6789-cfgh', 'fixed', {
    fixedVersion: '3.0.8-r0',
    aliases: ['CVE-2024-0001'],
    source: 'test/fixtures/advisories/openssl.advisories.yaml',
  });
  const f = finding(libcrypto, 'CGA-2345-6789-cfgh', 'high', {
    aliases: ['CVE-2024-0001'],
    fix: { state: 'fixed', versions: ['3.0.8-r0'] },
    record,
  });

  it('a finding: package, path, origin looked up, record and file, constraint, installed version, fix', () => {
    expect(
      renderExplanation('CVE-2024-0001', [{ outcome: 'finding', finding: f }], {
        findings: 1,
        suppressed: 0,
      }),
    ).toBe(
      [
        'CVE-2024-0001: 1 finding, 0 suppressed',
        '',
        'libcrypto3 3.0.7-r0 (apk): vulnerable',
        '  package:     pkg:apk/wolfi/libcrypto3@3.0.7-r0?arch=x86_64&distro=wolfi-20230201',
        '  found at:    lib/apk/db/installed',
        '  looked up:   openssl (the origin package; apk-origin)',
        '  record:      CGA-2345-6789-cfgh for openssl (wolfi): fixed in 3.0.8-r0',
        '  source:      test/fixtures/advisories/openssl.advisories.yaml',
        '  constraint:  < 3.0.8-r0 (apk)',
        '  installed:   3.0.7-r0 (matches the constraint: vulnerable)',
        '  fix:         fixed in 3.0.8-r0',
        '  ids:         CGA-2345-6789-cfgh, CVE-2024-0001',
        '  severity:    high',
        '',
      ].join('\n'),
    );
  });

  it('a suppression names the statement that removed it', () => {
    const text = renderExplanation(
      'CVE-2024-0001',
      [
        {
          outcome: 'suppressed',
          finding: f,
          reason: { kind: 'vex', detail: 'openvex not_affected', source: 'v.json#statements/0' },
        },
      ],
      { findings: 0, suppressed: 1 },
    );
    expect(text).toContain('libcrypto3 3.0.7-r0 (apk): suppressed (vex)\n');
    expect(text).toContain('  suppressed:  vex: openvex not_affected\n  by:          v.json#statements/0\n');
  });

  it('no match says so, with the scan totals', () => {
    expect(renderExplanation('CVE-1999-0001', [], { findings: 4, suppressed: 2 })).toBe(
      'CVE-1999-0001: no finding and no suppressed match names it in this scan (4 findings, 2 suppressed); check the id and the data sources\n',
    );
  });
});
