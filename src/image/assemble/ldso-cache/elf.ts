import { LarderError } from '../../../core/index.js';
import { ElfReader, type Section } from './elf-reader.js';

/** What ld.so.cache needs from a shared object. */
export interface ElfInfo {
  readonly elfClass: 32 | 64;
  /** `e_machine` (62 x86_64, 183 aarch64, ...). */
  readonly machine: number;
  /** Every `DT_SONAME` of the `SHT_DYNAMIC` section, in order; empty when there is none. */
  readonly sonames: string[];
}

const ET_DYN = 3;
const SHT_STRTAB = 3;
const SHT_DYNAMIC = 6;
/** `d_tag` of a library's own name. */
export const DT_SONAME = 14n;
/** `d_tag` of a library the object needs. */
export const DT_NEEDED = 1n;
const SHN_LORESERVE = 0xff00;
const SHN_XINDEX = 0xffff;

/** The checked headers and section table of an ELF file, before any type check. */
export interface ElfTables {
  readonly reader: ElfReader;
  readonly elfClass: 32 | 64;
  readonly machine: number;
  /** `e_type` (2 ET_EXEC, 3 ET_DYN, ...). */
  readonly type: number;
  readonly sections: Section[];
  /** Offset, count and entry size of the program header table. */
  readonly programs: { readonly offset: bigint; readonly count: number; readonly size: number };
  readonly bad: (why: string) => Error;
}

/**
 * Reads the class, machine and sonames of an ELF shared object as apko does with Go's
 * `debug/elf`: `NewFile` (with its header, table and section-name checks), the `ET_DYN` check,
 * then `DynString(DT_SONAME)` over the first `SHT_DYNAMIC` section and the string table it
 * links. Both classes and byte orders; every offset is bounds-checked against `data`.
 *
 * @throws LarderError PACKAGE_INVALID naming `who` and the first problem found: not ELF,
 *   truncated, inconsistent tables, not a shared object, a broken dynamic section.
 */
export function readElfInfo(data: Uint8Array, who: string): ElfInfo {
  const t = readElfTables(data, who, 'not a usable ELF shared object');
  if (t.type !== ET_DYN) throw t.bad(`ELF type ${t.type} is not a shared object (ET_DYN)`);
  return { elfClass: t.elfClass, machine: t.machine, sonames: dynStrings(t, DT_SONAME) };
}

/**
 * Go's `elf.NewFile`: the ELF header, program and section header tables and section names,
 * every offset bounds-checked. Errors are PACKAGE_INVALID `<who>: <what>: <why>`.
 */
export function readElfTables(data: Uint8Array, who: string, what: string): ElfTables {
  const bad = (why: string) => new LarderError('PACKAGE_INVALID', `${who}: ${what}: ${why}`);
  if (data.length < 16) throw bad(`${data.length} bytes, shorter than the ELF ident`);
  if (data[0] !== 0x7f || data[1] !== 0x45 || data[2] !== 0x4c || data[3] !== 0x46)
    throw bad('bad magic number');
  const elfClass = data[4] === 1 ? 32 : data[4] === 2 ? 64 : undefined;
  if (elfClass === undefined) throw bad(`unknown ELF class ${data[4]}`);
  if (data[5] !== 1 && data[5] !== 2) throw bad(`unknown ELF data encoding ${data[5]}`);
  if (data[6] !== 1) throw bad(`unknown ELF version ${data[6]}`);
  const r = new ElfReader(data, elfClass, data[5] === 1, bad);
  const w = elfClass === 64 ? 8 : 4;
  r.need(0n, BigInt(elfClass === 64 ? 64 : 52), 'ELF header');
  const type = r.u16(16);
  const machine = r.u16(18);
  // Go compares e_version as its one-byte Version type: only the low byte counts.
  if ((r.u32(20) & 0xff) !== 1) throw bad(`mismatched ELF version ${r.u32(20)}`);
  const phoff = r.offset(24 + w, 'program header offset');
  const shoff = r.offset(24 + 2 * w, 'section header offset');
  const at = 24 + 3 * w + 4 + 2;
  const [phentsize, phnum, shentsize] = [r.u16(at), r.u16(at + 2), r.u16(at + 4)];
  let [shnum, shstrndx] = [r.u16(at + 6), r.u16(at + 8)];
  if (shoff === 0n && shnum !== 0) throw bad(`section count ${shnum} with no section header table`);
  if (shnum > 0 && shstrndx >= shnum) throw bad(`section name table index ${shstrndx} out of ${shnum}`);
  if (phnum > 0) {
    if (phentsize < (elfClass === 64 ? 56 : 32)) throw bad(`program header size ${phentsize} too small`);
    r.need(phoff, BigInt(phnum * phentsize), 'program header table');
    for (let i = 0; i < phnum; i++) r.programHeader(Number(phoff) + i * phentsize);
  }
  if (shoff > 0n && shnum === 0) {
    // Extended numbering: the real count (and name-table index) live in section 0.
    const first = r.section(shoff);
    if (first.type !== 0) throw bad(`initial section has type ${first.type}, not SHT_NULL`);
    if (first.size < BigInt(SHN_LORESERVE)) throw bad(`extended section count ${first.size} below 0xff00`);
    r.need(shoff, first.size * BigInt(shentsize), 'section header table');
    shnum = Number(first.size);
    if (shstrndx === SHN_XINDEX) shstrndx = first.link;
    if (shstrndx < SHN_LORESERVE) throw bad(`extended name table index ${shstrndx} below 0xff00`);
  }
  if (shnum > 0 && shentsize < (elfClass === 64 ? 64 : 40))
    throw bad(`section header size ${shentsize} too small`);
  r.need(shoff, BigInt(shnum * shentsize), 'section header table');
  const sections: Section[] = [];
  for (let i = 0; i < shnum; i++) sections.push(r.section(shoff + BigInt(i * shentsize)));
  if (shnum > 0 && shstrndx !== 0) {
    const names = sections[shstrndx];
    if (names === undefined) throw bad(`section name table index ${shstrndx} out of ${shnum}`);
    if (names.type !== SHT_STRTAB) throw bad(`section name table has type ${names.type}, not SHT_STRTAB`);
    const table = r.contents(names, 'section name table');
    sections.forEach((s, i) => {
      if (cString(table, BigInt(s.name)) === undefined) throw bad(`section ${i} has a bad name index`);
    });
  }
  return {
    reader: r,
    elfClass,
    machine,
    type,
    sections,
    programs: { offset: phoff, count: phnum, size: phentsize },
    bad,
  };
}

/** Go's `DynString(tag)`: the tag's strings in order; no dynamic section means none. */
export function dynStrings(t: ElfTables, wanted: bigint): string[] {
  const { reader: r, sections, bad } = t;
  const dynamic = sections.find((s) => s.type === SHT_DYNAMIC);
  if (dynamic === undefined) return [];
  const d = r.contents(dynamic, 'dynamic section');
  const size = r.elfClass === 64 ? 16 : 8;
  if (d.length % size !== 0) throw bad(`dynamic section of ${d.length} bytes is not a multiple of ${size}`);
  const strtab = dynamic.link > 0 ? sections[dynamic.link] : undefined;
  if (strtab === undefined) throw bad(`dynamic section links to section ${dynamic.link}, out of range`);
  const strings = r.contents(strtab, 'dynamic string table');
  const entries = new ElfReader(d, r.elfClass, r.little, bad);
  const out: string[] = [];
  for (let off = 0; off < d.length; off += size) {
    const tag = size === 16 ? entries.u64(off) : BigInt(entries.u32(off));
    if (tag !== wanted) continue;
    const name = cString(strings, size === 16 ? entries.u64(off + 8) : BigInt(entries.u32(off + 4)));
    if (name !== undefined) out.push(name);
  }
  return out;
}

/** The NUL-terminated string at `start`; undefined when out of range or unterminated (Go's getString). */
export function cString(table: Uint8Array, start: bigint): string | undefined {
  // Go converts the value to int: 2^63 and above are negative there, so out of range too.
  if (start >= BigInt(table.length)) return undefined;
  const at = Number(start);
  const end = table.indexOf(0, at);
  return end < 0 ? undefined : Buffer.from(table.buffer, table.byteOffset + at, end - at).toString('utf8');
}
