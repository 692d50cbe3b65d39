/**
 * Hand-made ELF executables for cataloguing tests: any sections (each mapped by its own PT_LOAD
 * at its address), either class and byte order, and the offsets tests patch to break them.
 */
export interface SectionSpec {
  readonly name: string;
  readonly data: Uint8Array;
  /** Virtual address; default: 0x400000 + file offset. */
  readonly addr?: number;
  /** PT_LOAD flags of its segment: default R (4); RW = 6; RX = 5. */
  readonly segmentFlags?: number;
  /** Leave it out of the section table (only its segment maps it). */
  readonly unnamed?: boolean;
}

export interface ElfWriteSpec {
  readonly elfClass?: 32 | 64;
  readonly little?: boolean;
  readonly machine?: number;
  readonly sections: readonly SectionSpec[];
}

export interface WrittenElf {
  readonly bytes: Buffer;
  /** File offset of each section's data, by name. */
  readonly offsets: ReadonlyMap<string, number>;
  readonly addrs: ReadonlyMap<string, number>;
  readonly phoff: number;
  readonly shoff: number;
}

const BASE = 0x400000;

export function writeElf(spec: ElfWriteSpec): WrittenElf {
  const is64 = (spec.elfClass ?? 64) === 64;
  const little = spec.little ?? true;
  const w = is64 ? 8 : 4;
  const ehsize = is64 ? 64 : 52;
  const phentsize = is64 ? 56 : 32;
  const shentsize = is64 ? 64 : 40;
  const named = spec.sections.filter((s) => s.unnamed !== true);
  const shstrParts = ['\0'];
  const nameOffsets = new Map<string, number>();
  for (const s of [...named.map((x) => x.name), '.shstrtab']) {
    nameOffsets.set(s, shstrParts.join('').length);
    shstrParts.push(`${s}\0`);
  }
  const shstrtab = Buffer.from(shstrParts.join(''), 'latin1');
  const phoff = ehsize;
  let at = align(phoff + phentsize * spec.sections.length, 16);
  const offsets = new Map<string, number>();
  const addrs = new Map<string, number>();
  for (const s of spec.sections) {
    offsets.set(s.name, at);
    addrs.set(s.name, s.addr ?? BASE + at);
    at = align(at + s.data.length, 16);
  }
  const shstrOff = at;
  const shoff = align(shstrOff + shstrtab.length, 8);
  const shnum = named.length + 2;
  const out = Buffer.alloc(shoff + shnum * shentsize);
  const u16 = (v: number, o: number) => (little ? out.writeUInt16LE(v, o) : out.writeUInt16BE(v, o));
  const u32 = (v: number, o: number) => (little ? out.writeUInt32LE(v, o) : out.writeUInt32BE(v, o));
  const word = (v: number, o: number) => {
    if (!is64) return u32(v, o);
    return little ? out.writeBigUInt64LE(BigInt(v), o) : out.writeBigUInt64BE(BigInt(v), o);
  };
  out.set([0x7f, 0x45, 0x4c, 0x46, is64 ? 2 : 1, little ? 1 : 2, 1], 0);
  u16(2, 16); // ET_EXEC
  u16(spec.machine ?? 62, 18);
  u32(1, 20);
  word(BASE, 24);
  word(phoff, 24 + w);
  word(shoff, 24 + 2 * w);
  const h = 24 + 3 * w + 4;
  u16(ehsize, h);
  u16(phentsize, h + 2);
  u16(spec.sections.length, h + 4);
  u16(shentsize, h + 6);
  u16(shnum, h + 8);
  u16(shnum - 1, h + 10);
  spec.sections.forEach((s, i) => {
    const o = phoff + i * phentsize;
    const off = offsets.get(s.name)!;
    const addr = addrs.get(s.name)!;
    const flags = s.segmentFlags ?? 4;
    u32(1, o); // PT_LOAD
    if (is64) {
      u32(flags, o + 4);
      word(off, o + 8);
      word(addr, o + 16);
      word(addr, o + 24);
      word(s.data.length, o + 32);
      word(s.data.length, o + 40);
      word(16, o + 48);
    } else {
      u32(off, o + 4);
      u32(addr, o + 8);
      u32(addr, o + 12);
      u32(s.data.length, o + 16);
      u32(s.data.length, o + 20);
      u32(flags, o + 24);
      u32(16, o + 28);
    }
    out.set(s.data, off);
  });
  shstrtab.copy(out, shstrOff);
  const section = (i: number, name: number, type: number, addr: number, off: number, size: number) => {
    const o = shoff + i * shentsize;
    u32(name, o);
    u32(type, o + 4);
    word(type === 1 ? 3 : 0, o + 8); // SHF_WRITE|SHF_ALLOC for PROGBITS
    word(addr, o + 8 + w);
    word(off, o + 8 + 2 * w);
    word(size, o + 8 + 3 * w);
  };
  named.forEach((s, i) => {
    section(i + 1, nameOffsets.get(s.name)!, 1, addrs.get(s.name)!, offsets.get(s.name)!, s.data.length);
  });
  section(shnum - 1, nameOffsets.get('.shstrtab')!, 3, 0, shstrOff, shstrtab.length);
  return { bytes: out, offsets, addrs, phoff, shoff };
}

function align(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}
