/**
 * Generates the broken-ELF corpus for the ld.so.cache reader under test/fixtures/bad/: one small
 * file per way a shared object can be malformed, each with the reason the reader must give.
 * The files are committed; rerun after changing the builder:
 *
 *   npx tsx scripts/make-elf-bad-fixtures.ts           # write the files
 *   npx tsx scripts/make-elf-bad-fixtures.ts --check   # exit 1 when a file is stale
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type BuiltElf, buildElf } from '../test/kit/elf-builder.js';

const OUT = fileURLToPath(new URL('../test/fixtures/bad/', import.meta.url));

/** A valid 64-bit little-endian object, patched by `edit`. */
function patched(edit: (elf: BuiltElf) => void, spec: Parameters<typeof buildElf>[0] = {}): Buffer {
  const elf = buildElf(spec);
  edit(elf);
  return elf.bytes;
}

/** Offset of a field of section `i`'s header in the 64-bit layout. */
const sh = (elf: BuiltElf, i: number, field: number) => elf.layout.shoff + i * elf.layout.shentsize + field;

/** File name → bytes and the words the reader's error must contain. */
export function badElfFixtures(): Record<string, { bytes: Buffer; reason: string }> {
  const valid = buildElf().bytes;
  return {
    'elf-empty.so': { bytes: Buffer.alloc(0), reason: 'shorter than the ELF ident' },
    'elf-linker-script.so': {
      bytes: Buffer.from('/* GNU ld script */\nINPUT(libc.so.6)\n'),
      reason: 'bad magic',
    },
    'elf-bad-class.so': { bytes: patched((e) => (e.bytes[4] = 3)), reason: 'unknown ELF class 3' },
    'elf-bad-encoding.so': { bytes: patched((e) => (e.bytes[5] = 0)), reason: 'unknown ELF data encoding 0' },
    'elf-bad-ident-version.so': { bytes: patched((e) => (e.bytes[6] = 2)), reason: 'unknown ELF version 2' },
    'elf-mismatched-version.so': {
      bytes: patched((e) => e.bytes.writeUInt32LE(2, 20)),
      reason: 'mismatched ELF version 2',
    },
    'elf-truncated-header.so': {
      bytes: valid.subarray(0, 40),
      reason: 'ELF header (64 bytes at 0) runs past',
    },
    'elf-shoff-overflow.so': {
      bytes: patched((e) => e.bytes.writeBigUInt64LE(1n << 63n, 40)),
      reason: 'section header offset 9223372036854775808 is out of range',
    },
    'elf-shnum-without-table.so': {
      bytes: patched((e) => e.bytes.writeBigUInt64LE(0n, 40)),
      reason: 'section count 4 with no section header table',
    },
    'elf-shstrndx-out-of-range.so': {
      bytes: patched((e) => e.bytes.writeUInt16LE(9, e.layout.eShnum + 2)),
      reason: 'section name table index 9 out of 4',
    },
    'elf-shentsize-too-small.so': {
      bytes: patched((e) => e.bytes.writeUInt16LE(16, e.layout.eShnum - 2)),
      reason: 'section header size 16 too small',
    },
    'elf-section-table-cut.so': {
      bytes: valid.subarray(0, valid.length - 10),
      reason: 'section header table',
    },
    'elf-extended-count-bad-initial.so': {
      bytes: patched((e) => {
        e.bytes.writeUInt16LE(0, e.layout.eShnum);
        e.bytes.writeUInt32LE(1, sh(e, 0, 4));
      }),
      reason: 'initial section has type 1',
    },
    'elf-phnum-past-end.so': {
      bytes: patched((e) => {
        e.bytes.writeBigUInt64LE(64n, 32);
        e.bytes.writeUInt16LE(56, e.layout.eShnum - 6);
        e.bytes.writeUInt16LE(4000, e.layout.eShnum - 4);
      }),
      reason: 'program header table (224000 bytes at 64) runs past',
    },
    'elf-names-not-strtab.so': {
      bytes: patched((e) => e.bytes.writeUInt16LE(2, e.layout.eShnum + 2)),
      reason: 'section name table has type 6',
    },
    'elf-bad-section-name.so': {
      bytes: patched((e) => e.bytes.writeUInt32LE(0x7fff, sh(e, 1, 0))),
      reason: 'section 1 has a bad name index',
    },
    'elf-executable.so': { bytes: buildElf({ type: 2 }).bytes, reason: 'ELF type 2 is not a shared object' },
    'elf-dynamic-past-end.so': {
      bytes: patched((e) => e.bytes.writeBigUInt64LE(1n << 20n, sh(e, 2, 32))),
      reason: 'dynamic section (1048576 bytes',
    },
    'elf-dynamic-odd-size.so': {
      bytes: patched((e) => e.bytes.writeBigUInt64LE(20n, sh(e, 2, 32))),
      reason: 'dynamic section of 20 bytes is not a multiple of 16',
    },
    'elf-dynamic-link-out-of-range.so': {
      bytes: patched((e) => e.bytes.writeUInt32LE(7, sh(e, 2, 40))),
      reason: 'dynamic section links to section 7, out of range',
    },
    'elf-dynstr-nobits.so': {
      bytes: patched((e) => e.bytes.writeUInt32LE(8, sh(e, 1, 4))),
      reason: 'dynamic string table is SHT_NOBITS',
    },
    'elf-dynamic-compressed.so': {
      bytes: patched((e) => e.bytes.writeBigUInt64LE(0x802n, sh(e, 2, 8))),
      reason: 'dynamic section is SHF_COMPRESSED on an allocated section',
    },
    'elf-dynstr-past-end.so': {
      bytes: patched((e) => e.bytes.writeBigUInt64LE(BigInt(e.bytes.length), sh(e, 1, 24))),
      reason: 'dynamic string table',
    },
    'elf32-big-endian-truncated.so': {
      bytes: buildElf({ elfClass: 32, little: false }).bytes.subarray(0, 48),
      reason: 'ELF header (52 bytes at 0) runs past',
    },
  };
}

function main(check: boolean): number {
  let stale = 0;
  for (const [name, { bytes }] of Object.entries(badElfFixtures())) {
    const path = join(OUT, name);
    if (!check) {
      writeFileSync(path, bytes);
      console.log(`wrote ${path} (${bytes.length} bytes)`);
      continue;
    }
    let current: Buffer | undefined;
    try {
      current = readFileSync(path);
    } catch {
      current = undefined;
    }
    if (current === undefined || !current.equals(bytes)) {
      console.error(`stale: ${path}`);
      stale++;
    }
  }
  return stale === 0 ? 0 : 1;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.includes('--check'));
}
