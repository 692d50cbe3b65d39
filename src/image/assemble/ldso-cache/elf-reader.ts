/** One section header, as much of it as the ld.so.cache reader needs. */
export interface Section {
  /** Offset of the name in the section-name table. */
  readonly name: number;
  readonly type: number;
  readonly flags: bigint;
  readonly offset: bigint;
  readonly size: bigint;
  readonly link: number;
}

const SHT_NOBITS = 8;
const SHF_ALLOC = 0x2n;
const SHF_COMPRESSED = 0x800n;
const INT64_LIMIT = 1n << 63n;

/**
 * Bounds-checked reads of an in-memory ELF file in its byte order. Every read that would leave
 * the file, and every 64-bit offset or size Go would see as negative, throws `bad(reason)`.
 */
export class ElfReader {
  private readonly view: DataView;

  constructor(
    private readonly data: Uint8Array,
    readonly elfClass: 32 | 64,
    readonly little: boolean,
    private readonly bad: (why: string) => Error,
  ) {
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }

  need(offset: bigint, length: bigint, what: string): void {
    if (offset + length > BigInt(this.data.length))
      throw this.bad(`${what} (${length} bytes at ${offset}) runs past the end (${this.data.length} bytes)`);
  }

  u16(off: number): number {
    this.need(BigInt(off), 2n, 'field');
    return this.view.getUint16(off, this.little);
  }

  u32(off: number): number {
    this.need(BigInt(off), 4n, 'field');
    return this.view.getUint32(off, this.little);
  }

  u64(off: number): bigint {
    this.need(BigInt(off), 8n, 'field');
    return this.view.getBigUint64(off, this.little);
  }

  /** An address-sized unsigned field. */
  word(off: number): bigint {
    return this.elfClass === 64 ? this.u64(off) : BigInt(this.u32(off));
  }

  /** An address-sized offset or size, which Go reads as int64: 2^63 and above are invalid. */
  offset(off: number, what: string): bigint {
    const v = this.word(off);
    if (v >= INT64_LIMIT) throw this.bad(`${what} ${v} is out of range`);
    return v;
  }

  /** Checks one program header as Go's NewFile does (offset and file size in int64 range). */
  programHeader(off: number): void {
    this.offset(this.elfClass === 64 ? off + 8 : off + 4, 'program header offset');
    this.offset(this.elfClass === 64 ? off + 32 : off + 16, 'program header file size');
  }

  /** The section header at `at`; a compressed section must hold its compression header. */
  section(at: bigint): Section {
    const w = this.elfClass === 64 ? 8 : 4;
    this.need(at, BigInt(this.elfClass === 64 ? 64 : 40), 'section header');
    const off = Number(at);
    const s: Section = {
      name: this.u32(off),
      type: this.u32(off + 4),
      flags: this.word(off + 8),
      offset: this.offset(off + 8 + 2 * w, 'section offset'),
      size: this.offset(off + 8 + 3 * w, 'section size'),
      link: this.u32(off + 8 + 4 * w),
    };
    if ((s.flags & SHF_COMPRESSED) !== 0n) {
      const header = BigInt(this.elfClass === 64 ? 24 : 12);
      if (s.size < header) throw this.bad(`compressed section of ${s.size} bytes has no compression header`);
      this.need(s.offset, header, 'compression header');
    }
    return s;
  }

  /**
   * A section's bytes. An SHT_NOBITS section has none to read (Go's `Data` fails unless it is
   * empty), and a compressed one is refused: neither holds a usable dynamic section.
   */
  contents(s: Section, what: string): Uint8Array {
    if (s.type === SHT_NOBITS) {
      if (s.size === 0n) return new Uint8Array(0);
      throw this.bad(`${what} is SHT_NOBITS: it has no data in the file`);
    }
    if ((s.flags & SHF_COMPRESSED) !== 0n) {
      const why = (s.flags & SHF_ALLOC) !== 0n ? 'SHF_COMPRESSED on an allocated section' : 'compressed';
      throw this.bad(`${what} is ${why}`);
    }
    this.need(s.offset, s.size, what);
    return this.data.subarray(Number(s.offset), Number(s.offset + s.size));
  }
}
