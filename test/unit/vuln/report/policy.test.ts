import { describe, expect, it } from 'vitest';
import type { Severity } from '../../../../src/vuln/model.js';
import {
  evaluatePolicy,
  parseFailOn,
  parsePolicyName,
  renderPolicyVerdict,
} from '../../../../src/vuln/report/index.js';
import { finding, pkg } from './builders.js';

const p = pkg('busybox', '1.36.1-r2');
const at = (...severities: Severity[]) => severities.map((s, i) => finding(p, `CVE-2024-${i}`, s));

describe('--fail-on', () => {
  it.each([
    ['low', ['negligible', 'low'], true],
    ['medium', ['negligible', 'low'], false],
    ['medium', ['medium'], true],
    ['high', ['critical'], true],
    ['critical', ['high', 'high'], false],
    ['negligible', ['negligible'], true],
    // Unknown severity never trips --fail-on (grype), whatever the threshold.
    ['negligible', ['unknown'], false],
  ] as const)('--fail-on %s with %j → violated %s', (threshold, severities, violated) => {
    expect(evaluatePolicy(at(...severities), { failOn: threshold }).violated).toBe(violated);
  });

  it('lists the findings at or above the threshold, and notes the unknown ones', () => {
    const options = { failOn: 'high' as const };
    const verdict = evaluatePolicy(at('low', 'critical', 'unknown', 'high'), options);
    expect(verdict.violations[0]?.findings.map((f) => f.severity)).toEqual(['critical', 'high']);
    expect(verdict.unjudged).toBe(1);
    expect(renderPolicyVerdict(verdict, options)).toBe(
      [
        'policy violated: --fail-on high: 2 findings',
        '  CVE-2024-1 critical busybox 1.36.1-r2 (no fix)',
        '  CVE-2024-3 high busybox 1.36.1-r2 (no fix)',
        'note: 1 finding of unknown severity not judged by --fail-on (--policy zero-known-cve counts them)',
        '',
      ].join('\n'),
    );
  });

  it('parseFailOn takes the five severities in any case, and nothing else', () => {
    expect(parseFailOn('HIGH')).toBe('high');
    expect(parseFailOn('negligible')).toBe('negligible');
    expect(parseFailOn('unknown')).toBeUndefined();
    expect(parseFailOn('severe')).toBeUndefined();
  });
});

describe('--policy zero-known-cve', () => {
  it('any finding breaks it, of any severity, fixed or not', () => {
    const fixed = finding(p, 'CVE-2024-9', 'unknown', { fix: { state: 'fixed', versions: ['1.36.1-r3'] } });
    const verdict = evaluatePolicy([fixed], { policies: ['zero-known-cve'] });
    expect(verdict.violated).toBe(true);
    expect(renderPolicyVerdict(verdict, { policies: ['zero-known-cve'] })).toBe(
      'policy violated: policy zero-known-cve: 1 finding\n  CVE-2024-9 unknown busybox 1.36.1-r2 (fixed in 1.36.1-r3)\n',
    );
    expect(evaluatePolicy([], { policies: ['zero-known-cve'], failOn: 'low' })).toEqual({
      violated: false,
      violations: [],
      unjudged: 0,
    });
  });

  it('both policies report separately; no policy never fails', () => {
    const verdict = evaluatePolicy(at('critical', 'low'), {
      policies: ['zero-known-cve'],
      failOn: 'critical',
    });
    expect(verdict.violations.map((v) => [v.rule, v.findings.length])).toEqual([
      ['policy zero-known-cve', 2],
      ['--fail-on critical', 1],
    ]);
    expect(evaluatePolicy(at('critical'), {}).violated).toBe(false);
    expect(parsePolicyName('zero-known-cve')).toBe('zero-known-cve');
    expect(parsePolicyName('zero-cve')).toBeUndefined();
  });
});
