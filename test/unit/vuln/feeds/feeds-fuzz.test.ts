import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LarderError } from '../../../../src/core/index.js';
import { addOsvFile, feedSink, parseSecdb, readOsvPath } from '../../../../src/vuln/feeds/index.js';
import { prng } from '../../../kit/prng.js';
import { storedZip } from '../../../kit/zip-writer.js';

const FIXTURES = join(import.meta.dirname, '../../../fixtures');
const SECDB = ['wolfi-security.json', 'alpine-3.16-main.json'].map((f) =>
  readFileSync(join(FIXTURES, 'secdb', f), 'utf8'),
);
const OSV = ['go', 'ghsa', 'distro'].flatMap((dir) =>
  readdirSync(join(FIXTURES, 'osv/records', dir)).map((f) =>
    readFileSync(join(FIXTURES, 'osv/records', dir, f), 'utf8'),
  ),
);

const PIECES = ['{', '}', '[', ']', ',', ':', '"', '0', 'null', '-1', '"0"', '"CVE-1"', '\\', '\u00ff', ' '];
const VALUES: unknown[] = [null, 0, -1, 1.5, '', '0', 'x y', 'CVSS:3.1/AV:N', [], {}, [1], { a: 1 }, true];

/** Byte-level damage: cut, insert a JSON-significant piece, duplicate a slice, truncate. */
function damageText(text: string, random: () => number): string {
  const pick = (n: number) => Math.floor(random() * n);
  let out = text;
  for (let round = 1 + pick(3); round > 0; round--) {
    const at = pick(out.length + 1);
    switch (pick(4)) {
      case 0:
        out = out.slice(0, at) + out.slice(at + 1 + pick(8));
        break;
      case 1:
        out = out.slice(0, at) + PIECES[pick(PIECES.length)] + out.slice(at);
        break;
      case 2: {
        const from = pick(out.length);
        out = out.slice(0, at) + out.slice(from, from + pick(40)) + out.slice(at);
        break;
      }
      default:
        out = out.slice(0, at);
    }
  }
  return out;
}

/** Structural damage: replace a random node of the parsed document by a value of another kind. */
function damageTree(text: string, random: () => number): string {
  const root = JSON.parse(text) as unknown;
  const nodes: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
  const walk = (value: unknown) => {
    if (Array.isArray(value))
      value.forEach((v, i) => {
        nodes.push({ parent: value, key: i });
        walk(v);
      });
    else if (value !== null && typeof value === 'object')
      for (const [k, v] of Object.entries(value)) {
        nodes.push({ parent: value as Record<string, unknown>, key: k });
        walk(v);
      }
  };
  walk(root);
  for (let round = 1 + Math.floor(random() * 3); round > 0 && nodes.length > 0; round--) {
    const { parent, key } = nodes[Math.floor(random() * nodes.length)]!;
    const value = structuredClone(VALUES[Math.floor(random() * VALUES.length)]);
    if (random() < 0.2 && !Array.isArray(parent)) delete (parent as Record<string, unknown>)[key];
    else (parent as Record<string | number, unknown>)[key] = value;
  }
  return JSON.stringify(root);
}

function fuzz(
  seed: number,
  bases: readonly string[],
  parse: (text: string) => void,
): { ok: number; failed: number } {
  const random = prng(seed);
  let ok = 0;
  let failed = 0;
  for (let i = 0; i < 400; i++) {
    const base = bases[Math.floor(random() * bases.length)]!;
    const text = random() < 0.5 ? damageText(base, random) : damageTree(base, random);
    try {
      parse(text);
      ok++;
    } catch (err) {
      if (!(err instanceof LarderError)) throw new Error(`seed ${seed} case ${i}: ${String(err)}\n${text}`);
      expect(err.message.startsWith('fuzz.json')).toBe(true);
      failed++;
    }
  }
  return { ok, failed };
}

describe('feed readers under fuzzing: every failure is a LarderError naming the file', () => {
  it.each([1, 2, 3])('secdb, seed %i', (seed) => {
    const { failed } = fuzz(seed, SECDB, (text) => parseSecdb(text, 'fuzz.json'));
    expect(failed).toBeGreaterThan(100);
  });

  it.each([4, 5, 6])('OSV, seed %i', (seed) => {
    const { failed } = fuzz(seed, OSV, (text) => addOsvFile(text, 'fuzz.json', feedSink()));
    expect(failed).toBeGreaterThan(100);
  });
});

describe('OSV zip exports under fuzzing', () => {
  it.each([7, 8])('damaged zips fail with LarderError naming the zip, seed %i', async (seed) => {
    const random = prng(seed);
    const dir = mkdtempSync(join(tmpdir(), 'larder-osv-fuzz-'));
    try {
      const bytes = storedZip(Object.fromEntries(OSV.map((text, i) => [`r${i}.json`, text])));
      let failed = 0;
      for (let i = 0; i < 150; i++) {
        const damaged = Buffer.from(bytes);
        for (let k = 1 + Math.floor(random() * 4); k > 0; k--)
          damaged[Math.floor(random() * damaged.length)] = Math.floor(random() * 256);
        const cut = random() < 0.3 ? damaged.subarray(0, Math.floor(random() * damaged.length)) : damaged;
        const file = join(dir, `case-${i}.zip`);
        writeFileSync(file, cut);
        try {
          await readOsvPath(file);
        } catch (err) {
          if (!(err instanceof LarderError)) throw new Error(`seed ${seed} case ${i}: ${String(err)}`);
          expect(err.message).toContain(file);
          failed++;
        }
      }
      expect(failed).toBeGreaterThan(50);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
