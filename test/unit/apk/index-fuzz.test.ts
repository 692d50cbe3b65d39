import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatApkIndexText, parseApkIndexText } from '../../../src/apk/index-text.js';
import { formatInstalledDb, parseInstalledDb } from '../../../src/apk/installed-db.js';
import { LarderError } from '../../../src/core/index.js';
import { prng as rng } from '../../kit/prng.js';

const PIECES = [
  '',
  'P:x',
  'V:1',
  'F:',
  'F:etc',
  'R:f',
  'a:0:0:7',
  'Z:Q1ltrPIAW2zHeDiajsex2Bdmq3uqA=',
  'S:',
  'i:[]',
  ':',
  'X:y',
];

function mutate(text: string, random: () => number): string {
  const lines = text.split('\n');
  const pick = (n: number) => Math.floor(random() * n);
  const rounds = 1 + pick(4);
  for (let r = 0; r < rounds; r++) {
    const at = pick(lines.length + 1);
    switch (pick(5)) {
      case 0:
        lines.splice(at, 1);
        break;
      case 1:
        lines.splice(at, 0, PIECES[pick(PIECES.length)] ?? '');
        break;
      case 2:
        lines.splice(at, 0, lines[pick(lines.length)] ?? '');
        break;
      case 3: {
        const line = lines[at] ?? '';
        const pos = pick(line.length + 1);
        const byte = String.fromCharCode(pick(256));
        lines[at] = line.slice(0, pos) + byte + line.slice(pos + pick(2));
        break;
      }
      default: {
        const line = lines[at] ?? '';
        lines[at] = line.slice(0, pick(line.length + 1));
      }
    }
  }
  return lines.join('\n');
}

function fuzz(
  seed: number,
  base: string,
  parse: (t: string) => unknown[],
  format: (x: never[]) => string,
): number {
  const random = rng(seed);
  let parsed = 0;
  for (let i = 0; i < 3000; i++) {
    const text = mutate(base, random);
    let result: unknown[];
    try {
      result = parse(text);
    } catch (err) {
      if (!(err instanceof LarderError))
        throw new Error(`case ${i}: ${String(err)}\n${JSON.stringify(text)}`);
      continue;
    }
    parsed++;
    // Whatever parses must survive a write and re-read unchanged.
    expect(parse(format(result as never[])), `case ${i}: ${JSON.stringify(text)}`).toEqual(result);
  }
  return parsed;
}

describe('fuzzing the index and installed-database parsers', () => {
  it('APKINDEX: 3,000 mutations return or throw LarderError', () => {
    const base = readFileSync('/work/shared/fixtures/installed/alpine-3.16-image', 'utf8')
      .split('\n')
      .filter((l) => !/^[FMRaZr]:/.test(l))
      .slice(0, 80)
      .join('\n');
    const parsed = fuzz(0x1a2b, base, parseApkIndexText, formatApkIndexText);
    expect(parsed).toBeGreaterThan(100);
  });

  it('installed DB: 3,000 mutations return or throw LarderError', () => {
    const base = readFileSync('/work/shared/fixtures/installed/wolfi-base', 'utf8')
      .split('\n')
      .slice(0, 120)
      .join('\n');
    const parsed = fuzz(0x3c4d, base, parseInstalledDb, formatInstalledDb);
    expect(parsed).toBeGreaterThan(100);
  });
});
