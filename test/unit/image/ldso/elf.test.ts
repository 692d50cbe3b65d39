import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { badElfFixtures } from '../../../../scripts/make-elf-bad-fixtures.js';
import { isLarderError } from '../../../../src/core/index.js';
import { readElfInfo } from '../../../../src/image/assemble/ldso-cache/elf.js';
import { buildElf } from '../../../kit/elf-builder.js';
import { prng } from '../../../kit/prng.js';
import { thrown } from '../helpers.js';

const BAD = new URL('../../../fixtures/bad/', import.meta.url);

/** Whatever the bytes, the reader returns or throws PACKAGE_INVALID: never anything else. */
function survives(bytes: Uint8Array): boolean {
  try {
    readElfInfo(bytes, 'fuzz.so');
    return true;
  } catch (err) {
    if (!isLarderError(err, 'PACKAGE_INVALID')) throw err;
    expect(err.message).toMatch(/^fuzz\.so: not a usable ELF shared object: /);
    return false;
  }
}

describe('ELF reader for ld.so.cache', () => {
  it('reads class, machine and every DT_SONAME, in both byte orders and classes', () => {
    expect(readElfInfo(buildElf({ sonames: ['libfoo.so.1', 'libfoo-alt.so.1'] }).bytes, 'x')).toEqual({
      elfClass: 64,
      machine: 62,
      sonames: ['libfoo.so.1', 'libfoo-alt.so.1'],
    });
    expect(readElfInfo(buildElf({ elfClass: 32, little: false, machine: 183 }).bytes, 'x')).toEqual({
      elfClass: 32,
      machine: 183,
      sonames: ['libtest.so.1'],
    });
    expect(readElfInfo(buildElf({ elfClass: 32, sonames: [] }).bytes, 'x').sonames).toEqual([]);
  });

  it('has no sonames without a dynamic section, and drops strings Go cannot read', () => {
    expect(readElfInfo(buildElf({ noDynamic: true }).bytes, 'x').sonames).toEqual([]);
    const elf = buildElf({ sonames: ['liba.so.1', 'libb.so.2'] });
    // first soname offset past the string table, second one unterminated
    elf.bytes.writeBigUInt64LE(0xffffn, elf.layout.dynamic + 8);
    const strtabSize = Number(elf.bytes.readBigUInt64LE(elf.layout.shoff + 64 + 32));
    elf.bytes.writeUInt8(0x41, elf.layout.dynstr + strtabSize - 1);
    expect(readElfInfo(elf.bytes, 'x').sonames).toEqual([]);
    // a value of 2^63 or more is a negative int in Go: out of range as well
    elf.bytes.writeBigUInt64LE(1n << 63n, elf.layout.dynamic + 8);
    expect(readElfInfo(elf.bytes, 'x').sonames).toEqual([]);
  });

  it('uses whatever section the dynamic section links as its string table, as Go does', () => {
    const elf = buildElf({ sonames: ['libz.so.1'] });
    // link to .shstrtab (index 3): offset 1 there is ".dynstr"
    elf.bytes.writeUInt32LE(3, elf.layout.shoff + 2 * 64 + 40);
    expect(readElfInfo(elf.bytes, 'x').sonames).toEqual(['.dynstr']);
  });

  it('skips names when the file says it has no section-name table (e_shstrndx 0)', () => {
    const elf = buildElf();
    elf.bytes.writeUInt16LE(0, elf.layout.eShnum + 2);
    expect(readElfInfo(elf.bytes, 'x').sonames).toEqual(['libtest.so.1']);
  });

  it('gives the reason for each file of the broken-ELF corpus, and the corpus is fresh', () => {
    const fixtures = badElfFixtures();
    const committed = readdirSync(BAD).filter((n) => /^elf(32)?-/.test(n));
    expect(committed.sort()).toEqual(Object.keys(fixtures).sort());
    for (const [name, { bytes, reason }] of Object.entries(fixtures)) {
      const file = readFileSync(new URL(name, BAD));
      expect(file.equals(bytes), `${name} is stale: npx tsx scripts/make-elf-bad-fixtures.ts`).toBe(true);
      const err = thrown(() => readElfInfo(file, `/usr/lib/${name}`), 'PACKAGE_INVALID');
      expect(err.message, name).toContain(`/usr/lib/${name}: not a usable ELF shared object: `);
      expect(err.message, name).toContain(reason);
    }
  });

  it('survives every truncation of valid objects', () => {
    for (const spec of [{}, { elfClass: 32 as const, little: false }]) {
      const bytes = buildElf(spec).bytes;
      for (let n = 0; n < bytes.length; n++) expect(survives(bytes.subarray(0, n)), `${n} bytes`).toBe(false);
      expect(survives(bytes)).toBe(true);
    }
  });

  it('survives random corruption (seeded fuzz)', () => {
    const random = prng(0x1d50);
    const base = [buildElf({ sonames: ['liba.so.1', 'libb.so'] }).bytes, buildElf({ elfClass: 32 }).bytes];
    let ok = 0;
    for (let round = 0; round < 3000; round++) {
      const bytes = Buffer.from(base[round % 2]!);
      const flips = 1 + Math.floor(random() * 4);
      for (let i = 0; i < flips; i++) {
        const at = Math.floor(random() * bytes.length);
        // half the time write an extreme value, to reach the size and offset checks
        bytes[at] = random() < 0.5 ? Math.floor(random() * 256) : 0xff;
      }
      if (survives(bytes)) ok++;
    }
    // both outcomes happen: the fuzz reaches the parser's depths, not only its first check
    expect(ok).toBeGreaterThan(100);
    expect(ok).toBeLessThan(3000);
  });
});
