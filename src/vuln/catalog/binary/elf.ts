// A small ELF reader for cataloguing: section headers with names, program headers, and reads by
// virtual address. Enough for Go build info and cargo-auditable sections; every offset and size
// is checked against the file, so a corrupt binary fails with BINARY_INVALID instead of reading
// out of bounds.
import { LarderError } from '../../../core/index.js';

/** One section header. */
export interface ElfSection {
  readonly name: string;
  readonly type: number;
  readonly flags: number;
  readonly addr: number;
  readonly offset: number;
  readonly size: number;
}

/** One program header. */
export interface ElfSegment {
  readonly type: number;
  readonly flags: number;
  readonly offset: number;
  readonly vaddr: number;
  readonly filesz: number;
}

/** An ELF file's headers, over the bytes they describe. */
export interface ElfFile {
  readonly bytes: Buffer;
  readonly is64: boolean;
  readonly littleEndian: boolean;
  /** e_machine (62 = x86_64, 183 = aarch64, ...). */
  readonly machine: number;
  readonly sections: readonly ElfSection[];
  readonly segments: readonly ElfSegment[];
}

export const SHT_NOBITS = 8;
export const PT_LOAD = 1;
export const PF_X = 1;
export const PF_W = 2;

const MAX_SECTIONS = 65_536;
const MAX_SEGMENTS = 65_536;

/** True when `bytes` starts with the ELF magic `\x7fELF`. */
export function isElf(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 && bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46
  );
}

/**
 * Reads the headers of an ELF file held in memory. `name` goes into errors.
 * @throws LarderError BINARY_INVALID for a bad class or byte order, or tables outside the file.
 */
export function readElf(bytes: Buffer, name: string): ElfFile {
  const fail = (why: string): never => {
    throw new LarderError('BINARY_INVALID', `${name}: not a valid ELF file: ${why}`, { subject: name });
  };
  if (!isElf(bytes)) fail('no ELF magic');
  if (bytes.length < 52) fail(`${bytes.length} bytes is shorter than an ELF header`);
  const elfClass = bytes[4];
  const data = bytes[5];
  if (elfClass !== 1 && elfClass !== 2) fail(`unknown class ${elfClass}`);
  if (data !== 1 && data !== 2) fail(`unknown byte order ${data}`);
  const is64 = elfClass === 2;
  const little = data === 1;
  if (is64 && bytes.length < 64) fail(`${bytes.length} bytes is shorter than an ELF64 header`);
  const u16 = (at: number): number => (little ? bytes.readUInt16LE(at) : bytes.readUInt16BE(at));
  const u32 = (at: number): number => (little ? bytes.readUInt32LE(at) : bytes.readUInt32BE(at));
  const word = (at: number): number => {
    if (!is64) return u32(at);
    const v = little ? bytes.readBigUInt64LE(at) : bytes.readBigUInt64BE(at);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) fail(`value 0x${v.toString(16)} at offset ${at} is too large`);
    return Number(v);
  };
  const w = is64 ? 8 : 4;
  const machine = u16(18);
  const phoff = word(24 + w);
  const shoff = word(24 + 2 * w);
  const at = 24 + 3 * w + 4;
  const phentsize = u16(at + 2);
  const phnum = u16(at + 4);
  const shentsize = u16(at + 6);
  let shnum = u16(at + 8);
  let shstrndx = u16(at + 10);
  const table = (off: number, entsize: number, count: number, min: number, what: string): void => {
    if (count === 0) return;
    if (entsize < min) fail(`${what} entry size ${entsize} is smaller than ${min}`);
    if (off + entsize * count > bytes.length)
      fail(`${what} table at ${off} (${count} × ${entsize}) ends past the file`);
  };

  const segments: ElfSegment[] = [];
  if (phoff !== 0) {
    if (phnum > MAX_SEGMENTS) fail(`${phnum} program headers`);
    table(phoff, phentsize, phnum, is64 ? 56 : 32, 'program header');
    for (let i = 0; i < phnum; i++) {
      const o = phoff + i * phentsize;
      segments.push(
        is64
          ? {
              type: u32(o),
              flags: u32(o + 4),
              offset: word(o + 8),
              vaddr: word(o + 16),
              filesz: word(o + 32),
            }
          : { type: u32(o), flags: u32(o + 24), offset: u32(o + 4), vaddr: u32(o + 8), filesz: u32(o + 16) },
      );
    }
  }

  const sections: ElfSection[] = [];
  if (shoff !== 0) {
    const shmin = is64 ? 64 : 40;
    if (shnum === 0) {
      // Extended numbering: section 0 holds the real count (and name-table index).
      table(shoff, shentsize, 1, shmin, 'section header');
      shnum = word(shoff + (is64 ? 32 : 20));
      if (shstrndx === 0xffff) shstrndx = u32(shoff + (is64 ? 40 : 24));
    }
    if (shnum > MAX_SECTIONS) fail(`${shnum} section headers`);
    table(shoff, shentsize, shnum, shmin, 'section header');
    const raw = [];
    for (let i = 0; i < shnum; i++) {
      const o = shoff + i * shentsize;
      raw.push({
        nameOff: u32(o),
        type: u32(o + 4),
        flags: word(o + 8),
        addr: word(o + 8 + w),
        offset: word(o + 8 + 2 * w),
        size: word(o + 8 + 3 * w),
      });
    }
    const names = shstrndx < raw.length ? raw[shstrndx] : undefined;
    if (names !== undefined && names.type !== SHT_NOBITS && names.offset + names.size > bytes.length) {
      fail(`section-name table at ${names.offset} (${names.size} bytes) ends past the file`);
    }
    for (const s of raw) {
      let sectionName = '';
      if (names !== undefined && s.nameOff < names.size) {
        const start = names.offset + s.nameOff;
        const end = bytes.indexOf(0, start);
        sectionName = bytes.toString(
          'latin1',
          start,
          end < 0 || end > names.offset + names.size ? names.offset + names.size : end,
        );
      }
      sections.push({
        name: sectionName,
        type: s.type,
        flags: s.flags,
        addr: s.addr,
        offset: s.offset,
        size: s.size,
      });
    }
  }
  return { bytes, is64, littleEndian: little, machine, sections, segments };
}

/**
 * The file bytes of the named section, or undefined when there is no such section (or it has
 * no file data). @throws BINARY_INVALID when the section lies outside the file.
 */
export function elfSectionData(elf: ElfFile, sectionName: string, name: string): Buffer | undefined {
  const s = elf.sections.find((x) => x.name === sectionName);
  if (s === undefined || s.type === SHT_NOBITS) return undefined;
  if (s.offset + s.size > elf.bytes.length) {
    throw new LarderError(
      'BINARY_INVALID',
      `${name}: section ${sectionName} at ${s.offset} (${s.size} bytes) ends past the file`,
      { subject: name },
    );
  }
  return elf.bytes.subarray(s.offset, s.offset + s.size);
}

/**
 * `size` bytes at virtual address `addr`, through the loadable segment that maps it; undefined
 * when no segment's file data covers the whole range.
 */
export function readElfVaddr(elf: ElfFile, addr: number, size: number): Buffer | undefined {
  for (const p of elf.segments) {
    if (p.type !== PT_LOAD || addr < p.vaddr || addr >= p.vaddr + p.filesz) continue;
    const start = p.offset + (addr - p.vaddr);
    if (addr + size > p.vaddr + p.filesz || start + size > elf.bytes.length) return undefined;
    return elf.bytes.subarray(start, start + size);
  }
  return undefined;
}
