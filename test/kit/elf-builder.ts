/**
 * Minimal ELF shared objects for tests: a header, no program headers, and four sections
 * (NULL, `.dynstr`, `.dynamic` linked to it, `.shstrtab`). Enough for the ld.so.cache reader,
 * in either class and byte order; `layout` gives the offsets tests patch to break it.
 */
export interface ElfSpec {
  readonly elfClass?: 32 | 64;
  readonly little?: boolean;
  /** e_type; default 3 (ET_DYN). */
  readonly type?: number;
  /** e_machine; default 62 (x86_64). */
  readonly machine?: number;
  /** One DT_SONAME per name; an empty list writes none. */
  readonly sonames?: readonly string[];
  /** Leave out the `.dynamic` section (its type becomes SHT_PROGBITS). */
  readonly noDynamic?: boolean;
}

export interface BuiltElf {
  readonly bytes: Buffer;
  readonly layout: {
    readonly shoff: number;
    readonly shentsize: number;
    readonly dynstr: number;
    readonly dynamic: number;
    /** Offset of e_shnum in the header (e_shstrndx follows). */
    readonly eShnum: number;
  };
}

/** Builds the object described by `spec`. */
export function buildElf(spec: ElfSpec = {}): BuiltElf {
  const is64 = (spec.elfClass ?? 64) === 64;
  const little = spec.little ?? true;
  const w = is64 ? 8 : 4;
  const ehsize = is64 ? 64 : 52;
  const shentsize = is64 ? 64 : 40;
  const sonames = spec.sonames ?? ['libtest.so.1'];

  const dynstrParts = [Buffer.from([0])];
  const offsets: number[] = [];
  for (const name of sonames) {
    offsets.push(dynstrParts.reduce((n, b) => n + b.length, 0));
    dynstrParts.push(Buffer.from(`${name}\0`, 'utf8'));
  }
  const dynstr = Buffer.concat(dynstrParts);
  const dynEntry = is64 ? 16 : 8;
  const dynamic = Buffer.alloc((sonames.length + 1) * dynEntry);
  offsets.forEach((off, i) => {
    putWord(dynamic, i * dynEntry, 14, w, little);
    putWord(dynamic, i * dynEntry + w, off, w, little);
  });
  const shstrtab = Buffer.from('\0.dynstr\0.dynamic\0.shstrtab\0', 'latin1');

  const dynstrOff = ehsize;
  const dynamicOff = align(dynstrOff + dynstr.length, 8);
  const shstrOff = dynamicOff + dynamic.length;
  const shoff = align(shstrOff + shstrtab.length, 8);
  const out = Buffer.alloc(shoff + 4 * shentsize);

  out.set([0x7f, 0x45, 0x4c, 0x46, is64 ? 2 : 1, little ? 1 : 2, 1], 0);
  const u16 = (v: number, at: number) => (little ? out.writeUInt16LE(v, at) : out.writeUInt16BE(v, at));
  const u32 = (v: number, at: number) => (little ? out.writeUInt32LE(v, at) : out.writeUInt32BE(v, at));
  u16(spec.type ?? 3, 16);
  u16(spec.machine ?? 62, 18);
  u32(1, 20);
  putWord(out, 24 + 2 * w, shoff, w, little);
  const at = 24 + 3 * w + 4;
  u16(ehsize, at);
  u16(0, at + 2);
  u16(0, at + 4);
  u16(shentsize, at + 6);
  u16(4, at + 8);
  u16(3, at + 10);
  dynstr.copy(out, dynstrOff);
  dynamic.copy(out, dynamicOff);
  shstrtab.copy(out, shstrOff);

  const section = (i: number, name: number, type: number, off: number, size: number, link: number) => {
    const base = shoff + i * shentsize;
    u32(name, base);
    u32(type, base + 4);
    putWord(out, base + 8 + 2 * w, off, w, little);
    putWord(out, base + 8 + 3 * w, size, w, little);
    u32(link, base + 8 + 4 * w);
  };
  section(1, 1, 3, dynstrOff, dynstr.length, 0);
  section(2, 9, spec.noDynamic === true ? 1 : 6, dynamicOff, dynamic.length, 1);
  section(3, 18, 3, shstrOff, shstrtab.length, 0);
  return {
    bytes: out,
    layout: { shoff, shentsize, dynstr: dynstrOff, dynamic: dynamicOff, eShnum: at + 8 },
  };
}

function putWord(buf: Buffer, at: number, value: number, width: number, little: boolean): void {
  if (width === 8) {
    if (little) buf.writeBigUInt64LE(BigInt(value), at);
    else buf.writeBigUInt64BE(BigInt(value), at);
  } else if (little) buf.writeUInt32LE(value, at);
  else buf.writeUInt32BE(value, at);
}

function align(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}
