// Go build info: the `\xff Go buildinf:` blob the linker writes (Go's debug/buildinfo, which
// syft calls unchanged; catalog.md §3.1). Two layouts: Go ≥ 1.18 writes the toolchain version and
// modinfo inline as varint-prefixed strings; Go 1.13–1.17 writes two pointers to Go string
// headers, which need the ELF's segments to follow.
import { LarderError } from '../../../core/index.js';
import {
  type ElfFile,
  elfSectionData,
  isElf,
  PF_W,
  PF_X,
  PT_LOAD,
  readElf,
  readElfVaddr,
} from '../binary/elf.js';
import { type GoModInfo, parseGoModInfo } from './modinfo.js';

/** What a Go binary says about how it was built. */
export interface GoBuildInfo {
  /** The toolchain version as written, e.g. `go1.22.3` or `go1.22.3 X:boringcrypto`. */
  readonly goVersion: string;
  /** Parsed modinfo; empty (no modules) when the binary was built without module support. */
  readonly modinfo: GoModInfo;
  readonly format: 'inline' | 'pointer';
}

const MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');
const HEADER = 32;
const ALIGN = 16;
/** modinfo is framed by 16 sentinel bytes at each end (cmd/go modload). */
const SENTINEL = 16;
/** Non-ELF executables (Mach-O, PE) are searched in their first bytes only. */
const MAX_RAW_SEARCH = 64 * 1024 * 1024;
const EMPTY = Buffer.alloc(0);

/**
 * Reads the build info of a Go executable held in memory (ELF: `.go.buildinfo`, else the first
 * writable non-executable PT_LOAD; other formats: the inline blob found in the file). Returns
 * undefined when the file is not a Go binary. `name` goes into errors.
 * @throws LarderError BINARY_INVALID when the ELF is corrupt or the blob is truncated or malformed.
 */
export function readGoBuildInfo(bytes: Buffer, name = 'binary'): GoBuildInfo | undefined {
  let elf: ElfFile | undefined;
  let region: Buffer;
  if (isElf(bytes)) {
    elf = readElf(bytes, name);
    const section = elfSectionData(elf, '.go.buildinfo', name);
    if (section !== undefined) region = section;
    else {
      const seg = elf.segments.find(
        (p) => p.type === PT_LOAD && (p.flags & PF_W) !== 0 && (p.flags & PF_X) === 0,
      );
      if (seg === undefined) return undefined;
      region = bytes.subarray(
        Math.min(seg.offset, bytes.length),
        Math.min(seg.offset + seg.filesz, bytes.length),
      );
    }
  } else {
    region = bytes.subarray(0, Math.min(bytes.length, MAX_RAW_SEARCH));
  }
  const blob = findBlob(region);
  if (blob === undefined) return undefined;
  const fail = (why: string): never => {
    throw new LarderError('BINARY_INVALID', `${name}: Go build info ${why}`, { subject: name });
  };
  const ptrSize = blob[14]!;
  const flags = blob[15]!;
  let goVersion: string;
  let rawModinfo: Buffer;
  let format: GoBuildInfo['format'];
  if ((flags & 2) !== 0) {
    format = 'inline';
    const [version, next] = readVarintBytes(blob, HEADER, fail);
    const [mod] = readVarintBytes(blob, next, fail);
    goVersion = version.toString('utf8');
    rawModinfo = mod;
  } else {
    format = 'pointer';
    if (ptrSize !== 4 && ptrSize !== 8) return undefined;
    if (elf === undefined) return undefined; // addresses need the segment table
    const bigEndian = (flags & 1) !== 0;
    const readPtr = (buf: Buffer, at: number): bigint =>
      ptrSize === 4
        ? BigInt(bigEndian ? buf.readUInt32BE(at) : buf.readUInt32LE(at))
        : bigEndian
          ? buf.readBigUInt64BE(at)
          : buf.readBigUInt64LE(at);
    const readString = (addr: bigint): Buffer => {
      if (addr > BigInt(Number.MAX_SAFE_INTEGER)) return EMPTY;
      const header = readElfVaddr(elf!, Number(addr), 2 * ptrSize);
      if (header === undefined) fail(`string header at 0x${addr.toString(16)} is outside the file`);
      const dataAddr = readPtr(header!, 0);
      const length = readPtr(header!, ptrSize);
      if (length === 0n || length > 0xffffffffn || dataAddr > BigInt(Number.MAX_SAFE_INTEGER)) return EMPTY;
      const data = readElfVaddr(elf!, Number(dataAddr), Number(length));
      if (data === undefined)
        fail(`string of ${length} bytes at 0x${dataAddr.toString(16)} is outside the file`);
      return data!;
    };
    goVersion = readString(readPtr(blob, 16)).toString('utf8');
    rawModinfo = goVersion === '' ? EMPTY : readString(readPtr(blob, 16 + ptrSize));
  }
  if (goVersion === '') return undefined;
  return { goVersion, modinfo: parseGoModInfo(unframe(rawModinfo), name), format };
}

/** The 32-byte-or-longer blob starting at a 16-aligned magic, as Go's search finds it. */
function findBlob(data: Buffer): Buffer | undefined {
  let base = 0;
  for (;;) {
    const i = data.indexOf(MAGIC, base);
    if (i < 0 || data.length - i < HEADER) return undefined;
    if (i % ALIGN === 0) return data.subarray(i);
    base = (i + ALIGN - 1) & ~(ALIGN - 1);
  }
}

/** An unsigned LEB128 length (at most 10 bytes) and that many bytes; returns [bytes, next offset]. */
function readVarintBytes(buf: Buffer, at: number, fail: (why: string) => never): [Buffer, number] {
  let length = 0;
  let shift = 1;
  let p = at;
  for (let i = 0; ; i++) {
    if (i >= 10) fail(`has a string length of more than 10 bytes at offset ${at}`);
    if (p >= buf.length) fail(`is truncated: string length at offset ${at} runs past the data`);
    const byte = buf[p++]!;
    length += (byte & 0x7f) * shift;
    shift *= 128;
    if ((byte & 0x80) === 0) break;
  }
  if (length > buf.length - p)
    fail(`is truncated: a string of ${length} bytes at offset ${p} runs past the data`);
  return [buf.subarray(p, p + length), p + length];
}

/** Strips modinfo's sentinels; text that is not framed as cmd/go frames it counts as empty. */
function unframe(bytes: Buffer): string {
  if (bytes.length < 2 * SENTINEL + 1 || bytes[bytes.length - SENTINEL - 1] !== 0x0a) return '';
  return bytes.toString('utf8', SENTINEL, bytes.length - SENTINEL);
}
