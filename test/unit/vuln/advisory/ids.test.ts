import { describe, expect, it } from 'vitest';
import {
  ADVISORY_ID_ALPHABET,
  isAdvisoryId,
  isAliasId,
  newAdvisoryId,
} from '../../../../src/vuln/advisory/index.js';
import { prng } from '../../../kit/prng.js';

const seeded = (seed: number) => {
  const random = prng(seed);
  return (size: number) => Uint8Array.from({ length: size }, () => Math.floor(random() * 256));
};

describe('advisory ids', () => {
  it('CGA ids: three groups of four from the GHSA alphabet', () => {
    expect(ADVISORY_ID_ALPHABET).toBe('23456789cfghjmpqrvwx');
    expect(isAdvisoryId('CGA-w4qc-326w-qhg2')).toBe(true);
    for (const bad of [
      'CGA-w4qc-326w-qhg',
      'CGA-abcd-2222-3333',
      'CGA-W4QC-326W-QHG2',
      'cga-w4qc-326w-qhg2',
      'CGA-0000-2222-3333',
    ])
      expect(isAdvisoryId(bad), bad).toBe(false);
  });

  it('aliases: CVE, GHSA and Go ids; not CGA ids or other vendors', () => {
    for (const ok of ['CVE-2024-1234', 'CVE-2024-123456', 'GHSA-2g4q-2pc4-wxc9', 'GO-2024-2345'])
      expect(isAliasId(ok), ok).toBe(true);
    for (const bad of [
      'CVE-2024-123',
      'GHSA-2g4q-2pc4-wxc',
      'GHSA-aaaa-bbbb-cccc',
      'CGA-w4qc-326w-qhg2',
      'RHSA-2024:1234',
      'GO-24-1',
    ])
      expect(isAliasId(bad), bad).toBe(false);
  });

  it('new ids are valid, avoid taken ones, and use every letter of the alphabet about equally', () => {
    const random = seeded(7);
    const taken = new Set<string>();
    const counts = new Map<string, number>();
    for (let i = 0; i < 2000; i++) {
      const id = newAdvisoryId(taken, random);
      expect(isAdvisoryId(id)).toBe(true);
      expect(taken.has(id)).toBe(false);
      taken.add(id);
      for (const c of id.slice(4).replaceAll('-', '')) counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    expect([...counts.keys()].sort().join('')).toBe([...ADVISORY_ID_ALPHABET].sort().join(''));
    // 24,000 characters over 20 letters: 1,200 each; allow ±15%.
    for (const n of counts.values()) expect(Math.abs(n - 1200)).toBeLessThan(180);
  });

  it('a collision with a taken id draws again', () => {
    const first = newAdvisoryId(new Set(), seeded(1));
    const second = newAdvisoryId(new Set([first]), seeded(1));
    expect(second).not.toBe(first);
    expect(isAdvisoryId(second)).toBe(true);
  });

  it('defaults to crypto randomness', () => {
    const ids = new Set(Array.from({ length: 50 }, () => newAdvisoryId(new Set())));
    expect(ids.size).toBe(50);
  });
});
