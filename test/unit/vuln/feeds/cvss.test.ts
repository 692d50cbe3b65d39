import { describe, expect, it } from 'vitest';
import { readCvss, severityOf, severityOfCvss, severityOfText } from '../../../../src/vuln/feeds/index.js';

function score(vector: string): number | undefined {
  const reading = readCvss(vector);
  if ('problem' in reading) throw new Error(reading.problem);
  return reading.cvss.score;
}

describe('CVSS v3 base scores', () => {
  // Vector → score pairs as NVD and FIRST's calculator give them.
  it.each([
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 6.1],
    ['CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H', 7.8],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', 10],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H', 7.5],
    ['CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N', 5.9],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N', 5.3],
    ['CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H', 8.8],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H', 8.8],
    ['CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H', 8.1],
    ['CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N', 5.5],
    ['CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H', 7.2],
    ['CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N', 5.4],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:N', 6.5],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:N/I:L/A:N', 4.3],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N', 9.1],
    ['CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 6.8],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N', 0],
    ['CVSS:3.0/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H', 7.8],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:O/RC:C', 9.8],
  ])('%s = %d', (vector, expected) => {
    expect(score(vector)).toBe(expected);
  });

  it('names what is wrong with a vector', () => {
    const problem = (v: string) => {
      const r = readCvss(v);
      return 'problem' in r ? r.problem : 'no problem';
    };
    expect(problem('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H')).toBe('base metric A missing');
    expect(problem('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:Q')).toBe(
      "metric A has value 'Q' (one of H, L, N)",
    );
    expect(problem('CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H')).toBe('metric AV appears twice');
    expect(problem('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/ZZ:1')).toBe("unknown metric 'ZZ'");
    expect(problem('CVSS:3.1/AV:N/AC:L//PR:N')).toBe("metric '' is not KEY:VALUE");
    expect(problem('CVSS:3.2/AV:N')).toBe('a CVSS v3 vector starts with CVSS:3.0/ or CVSS:3.1/');
    expect(problem('CVSS:5.0/AV:N')).toBe("unknown CVSS version 'CVSS:5.0'");
    expect(problem('CVSS:3.1/constructor:x')).toBe("unknown metric 'constructor'");
  });
});

describe('CVSS v2 base scores', () => {
  it.each([
    ['AV:N/AC:L/Au:N/C:P/I:P/A:P', 7.5],
    ['AV:N/AC:L/Au:N/C:C/I:C/A:C', 10],
    ['AV:N/AC:M/Au:N/C:N/I:P/A:N', 4.3],
    ['AV:N/AC:L/Au:N/C:P/I:N/A:N', 5],
    ['AV:L/AC:L/Au:N/C:C/I:C/A:C', 7.2],
    ['AV:N/AC:M/Au:N/C:P/I:P/A:P', 6.8],
    ['AV:N/AC:L/Au:S/C:P/I:P/A:P', 6.5],
    ['(AV:N/AC:L/Au:N/C:N/I:N/A:P)', 5],
    ['AV:N/AC:L/Au:N/C:N/I:N/A:N', 0],
  ])('%s = %d', (vector, expected) => {
    expect(score(vector)).toBe(expected);
  });
});

describe('CVSS v4', () => {
  it('keeps a valid vector without a score, refuses a broken one', () => {
    const v4 = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N';
    expect(readCvss(v4)).toEqual({ cvss: { version: '4.0', vector: v4 } });
    expect(readCvss('CVSS:4.0/AV:N/AC:L')).toEqual({
      problem: 'base metrics AT, PR, UI, VC, VI, VA, SC, SI, SA missing',
    });
  });
});

describe('severity levels (grype mapping)', () => {
  it('bands scores by version', () => {
    const at = (version: '2.0' | '3.1', score: number) => severityOfCvss({ version, vector: 'x', score });
    expect([0, 0.1, 3.9, 4, 6.9, 7, 8.9, 9, 10].map((s) => at('3.1', s))).toEqual([
      'negligible',
      'low',
      'low',
      'medium',
      'medium',
      'high',
      'high',
      'critical',
      'critical',
    ]);
    expect(at('2.0', 10)).toBe('high');
    expect(severityOfCvss({ version: '4.0', vector: 'x' })).toBeUndefined();
  });

  it('reads stated words and prefers CVSS over them', () => {
    expect(['MODERATE', 'High', 'critical', 'LOW', 'none', 'bogus', undefined].map(severityOfText)).toEqual([
      'medium',
      'high',
      'critical',
      'low',
      'negligible',
      'unknown',
      'unknown',
    ]);
    const v3 = { version: '3.1' as const, vector: 'x', score: 6.1 };
    expect(severityOf([v3], ['critical'])).toBe('medium');
    expect(severityOf([{ version: '4.0', vector: 'x' }], ['high', 'low'])).toBe('high');
    expect(severityOf([], [])).toBe('unknown');
    expect(severityOf([v3, { version: '2.0', vector: 'y', score: 9.3 }], [])).toBe('high');
  });
});
