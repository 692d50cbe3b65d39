import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../../../src/factory/index.js';

describe('schedule durations', () => {
  it('reads units and sums parts; 0 is never', () => {
    expect(parseDuration('45s')).toEqual({ ms: 45_000 });
    expect(parseDuration('30m')).toEqual({ ms: 1_800_000 });
    expect(parseDuration('6h')).toEqual({ ms: 21_600_000 });
    expect(parseDuration('1d12h')).toEqual({ ms: 129_600_000 });
    expect(parseDuration(0)).toEqual({ ms: 0 });
    expect(parseDuration('0')).toEqual({ ms: 0 });
  });

  it('says why a value is not a duration', () => {
    for (const bad of ['6', '6 h', '-1h', '1.5h', 'h', '', '6hours', '1w']) {
      expect(parseDuration(bad)).toEqual({ problem: expect.stringContaining(`'${bad}' is not a duration`) });
    }
    expect(parseDuration(30)).toEqual({ problem: expect.stringContaining('the number 30 has no unit') });
    expect(parseDuration(true)).toEqual({ problem: expect.stringContaining('expected a duration') });
    expect(parseDuration(`${'9'.repeat(30)}d`)).toEqual({ problem: expect.stringContaining('too long') });
  });

  it('formats the shortest exact text', () => {
    expect([0, 90_000, 3_600_000, 86_400_000, 1_500].map(formatDuration)).toEqual([
      '0',
      '90s',
      '1h',
      '1d',
      '2s',
    ]);
  });
});
