import { describe, expect, it } from 'vitest';
import { compareVersions, isValidVersion } from '../../../src/apk/version.js';
import { TokenKind, VersionCursor } from '../../../src/apk/version-token.js';
import { prng } from '../../kit/prng.js';

// Digits and separators are weighted up so that a useful share of the strings is valid.
const ALPHABET = `${'0123456789'.repeat(4)}${'.'.repeat(8)}${'_'.repeat(3)}${'-r'.repeat(2)}abcdefghijklmnopqrstuvwxyzr`;

function randomVersions(count: number, seed: number): string[] {
  const next = prng(seed);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const length = 1 + Math.floor(next() * 12);
    let s = '';
    for (let j = 0; j < length; j++) s += ALPHABET[Math.floor(next() * ALPHABET.length)];
    out.push(s);
  }
  return out;
}

/** Grammar-shaped versions, so the valid sample exercises suffixes, letters and revisions. */
function shapedVersions(count: number, seed: number): string[] {
  const next = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const num = (): string => pick(['0', '1', '2', '9', '10', '01', '00', '007', '20240101']);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let s = num();
    const parts = Math.floor(next() * 4);
    for (let p = 0; p < parts; p++) s += `.${num()}`;
    if (next() < 0.2) s += pick(['a', 'b', 'z']);
    if (next() < 0.3)
      s += `_${pick(['alpha', 'beta', 'pre', 'rc', 'cvs', 'svn', 'git', 'hg', 'p'])}${pick(['', '1', '2'])}`;
    if (next() < 0.1) s += `_${pick(['rc', 'p'])}${pick(['', '3'])}`;
    if (next() < 0.5) s += `-r${pick(['0', '1', '10'])}`;
    out.push(s);
  }
  return out;
}

describe('version comparison properties (seeded fuzz)', () => {
  const random = randomVersions(5000, 0x1a2d3e);

  it('never throws and is antisymmetric on 5,000 random strings, valid or not', () => {
    const broken: string[] = [];
    let valid = 0;
    for (let i = 0; i < random.length; i++) {
      const a = random[i] as string;
      if (isValidVersion(a)) valid++;
      for (const step of [1, 7919, 104729]) {
        const b = random[(i * step + 1) % random.length] as string;
        if (compareVersions(a, b) + compareVersions(b, a) !== 0) broken.push(`${a} vs ${b}`);
      }
      if (compareVersions(a, a) !== 0) broken.push(`${a} vs itself`);
    }
    expect(broken).toEqual([]);
    expect(valid).toBeGreaterThan(500);
  });

  it('is transitive on sorted samples of valid versions', () => {
    const valid = [...new Set([...random.filter(isValidVersion), ...shapedVersions(600, 42)])];
    expect(valid.length).toBeGreaterThan(800);
    const sorted = [...valid].sort(compareVersions);
    const broken: string[] = [];
    for (let i = 0; i < sorted.length && broken.length < 5; i++) {
      for (let j = i + 1; j < sorted.length; j++) {
        if (compareVersions(sorted[i] as string, sorted[j] as string) > 0) {
          broken.push(`${sorted[i]} > ${sorted[j]}`);
          break;
        }
      }
    }
    expect(broken).toEqual([]);
  });
});

describe('version validation shortcut (seeded fuzz)', () => {
  /** apk's rule straight from the token walk, without versionProblem's regex shortcut. */
  function walkAccepts(version: string): boolean {
    const cursor = new VersionCursor(version);
    while (cursor.kind !== TokenKind.End && cursor.kind !== TokenKind.Invalid) cursor.read();
    return cursor.kind === TokenKind.End;
  }

  it('agrees with the token walk on random, shaped and edge-case strings', () => {
    const edge = ['0', '00', '.0', '1.', '1.0.', '1a', '1ab', '1_p', '1_pre', '1_prea', '1-r', '1-r0-r1'];
    const long = ['1'.repeat(17), '1'.repeat(18), `1.${'0'.repeat(20)}1`, `1_p${'9'.repeat(18)}`];
    const all = [...randomVersions(5000, 0x5eed), ...shapedVersions(2000, 7), ...edge, ...long];
    expect(all.filter((v) => isValidVersion(v) !== walkAccepts(v))).toEqual([]);
  });
});
