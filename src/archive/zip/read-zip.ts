import { crc32, inflateRawSync } from 'node:zlib';
import { LarderError } from '../../core/index.js';

/** One member of a zip archive; `data()` inflates it and checks its size and CRC-32. */
export interface ZipEntry {
  readonly name: string;
  readonly isDirectory: boolean;
  /** Uncompressed size as the central directory states it. */
  readonly size: number;
  readonly compressedSize: number;
  /** 0 stored, 8 deflated; other methods fail in `data()`. */
  readonly method: number;
  readonly crc32: number;
  data(): Buffer;
}

export interface ReadZipOptions {
  /** Refuse archives with more members than this (default 1,000,000). */
  readonly maxEntries?: number;
  /** Refuse a member whose stated uncompressed size is larger (default 1 GiB). */
  readonly maxEntrySize?: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/**
 * Reads the central directory of a zip (or jar, war, OSV export) held in memory: ZIP64, stored
 * and deflated members, UTF-8 names (flag bit 11; others are read as Latin-1). Members are
 * inflated lazily. `name` (a path or label) goes into every error, code ZIP_INVALID.
 */
export function readZipEntries(data: Buffer, name: string, options: ReadZipOptions = {}): ZipEntry[] {
  const fail = (message: string): never => {
    throw new LarderError('ZIP_INVALID', `${name}: ${message}`, { subject: name });
  };
  const eocd = findEndOfCentralDirectory(data);
  if (eocd < 0) fail('not a zip archive (no end of central directory record)');
  let count = data.readUInt16LE(eocd + 10);
  let cdSize = data.readUInt32LE(eocd + 12);
  let cdOffset = data.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const locator = eocd - 20;
    if (locator < 0 || data.readUInt32LE(locator) !== ZIP64_LOCATOR) fail('ZIP64 locator missing');
    const at = readSafeNumber(data, locator + 8, fail);
    if (at + 56 > data.length || data.readUInt32LE(at) !== ZIP64_EOCD) fail('ZIP64 end record missing');
    count = readSafeNumber(data, at + 32, fail);
    cdSize = readSafeNumber(data, at + 40, fail);
    cdOffset = readSafeNumber(data, at + 48, fail);
  }
  const maxEntries = options.maxEntries ?? 1_000_000;
  if (count > maxEntries) fail(`${count} members, more than the limit of ${maxEntries}`);
  if (cdOffset + cdSize > data.length) fail('central directory lies beyond the end of the file (truncated?)');
  const entries: ZipEntry[] = [];
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > data.length || data.readUInt32LE(p) !== CENTRAL)
      fail(`central directory entry ${i} is damaged`);
    const flags = data.readUInt16LE(p + 8);
    const method = data.readUInt16LE(p + 10);
    const crc = data.readUInt32LE(p + 16);
    let compressedSize = data.readUInt32LE(p + 20);
    let size = data.readUInt32LE(p + 24);
    const nameLength = data.readUInt16LE(p + 28);
    const extraLength = data.readUInt16LE(p + 30);
    const commentLength = data.readUInt16LE(p + 32);
    let localOffset = data.readUInt32LE(p + 42);
    const end = p + 46 + nameLength + extraLength + commentLength;
    if (end > data.length) fail(`central directory entry ${i} runs past the end`);
    const rawName = data.subarray(p + 46, p + 46 + nameLength);
    const memberName = rawName.toString(flags & 0x800 ? 'utf8' : 'latin1');
    const zip64 = zip64Extra(data.subarray(p + 46 + nameLength, p + 46 + nameLength + extraLength));
    if (zip64 !== undefined) {
      let q = 0;
      const next = (): number => {
        if (q + 8 > zip64.length) fail(`${memberName}: ZIP64 extra field is short`);
        const v = readSafeNumber(zip64, q, fail);
        q += 8;
        return v;
      };
      if (size === 0xffffffff) size = next();
      if (compressedSize === 0xffffffff) compressedSize = next();
      if (localOffset === 0xffffffff) localOffset = next();
    }
    if (size > (options.maxEntrySize ?? 1 << 30))
      fail(`${memberName}: ${size} bytes uncompressed, over the limit`);
    const encrypted = (flags & 1) !== 0;
    entries.push({
      name: memberName,
      isDirectory: memberName.endsWith('/'),
      size,
      compressedSize,
      method,
      crc32: crc,
      data: () =>
        memberData(
          data,
          { name: memberName, method, crc, size, compressedSize, localOffset, encrypted },
          fail,
        ),
    });
    p = end;
  }
  return entries;
}

interface MemberInfo {
  readonly name: string;
  readonly method: number;
  readonly crc: number;
  readonly size: number;
  readonly compressedSize: number;
  readonly localOffset: number;
  readonly encrypted: boolean;
}

function memberData(data: Buffer, m: MemberInfo, fail: (message: string) => never): Buffer {
  if (m.encrypted) fail(`${m.name}: encrypted members are not supported`);
  const at = m.localOffset;
  if (at + 30 > data.length || data.readUInt32LE(at) !== LOCAL) fail(`${m.name}: local header missing`);
  const start = at + 30 + data.readUInt16LE(at + 26) + data.readUInt16LE(at + 28);
  if (start + m.compressedSize > data.length)
    fail(`${m.name}: data runs past the end of the archive (truncated?)`);
  const raw = data.subarray(start, start + m.compressedSize);
  let out: Buffer;
  if (m.method === 0) out = raw;
  else if (m.method === 8) {
    try {
      out = inflateRawSync(raw, { maxOutputLength: Math.max(1, m.size + 1) });
    } catch (err) {
      return fail(`${m.name}: cannot inflate: ${(err as Error).message}`);
    }
  } else return fail(`${m.name}: compression method ${m.method} is not supported (only stored and deflate)`);
  if (out.length !== m.size) fail(`${m.name}: ${out.length} bytes, the directory says ${m.size}`);
  if (crc32(out) !== m.crc) fail(`${m.name}: CRC-32 mismatch`);
  return out;
}

function findEndOfCentralDirectory(data: Buffer): number {
  const stop = Math.max(0, data.length - 22 - 0xffff);
  for (let p = data.length - 22; p >= stop; p--) {
    if (data.readUInt32LE(p) === EOCD && p + 22 + data.readUInt16LE(p + 20) <= data.length) return p;
  }
  return -1;
}

function zip64Extra(extra: Buffer): Buffer | undefined {
  let p = 0;
  while (p + 4 <= extra.length) {
    const id = extra.readUInt16LE(p);
    const len = extra.readUInt16LE(p + 2);
    if (id === 0x0001) return extra.subarray(p + 4, Math.min(extra.length, p + 4 + len));
    p += 4 + len;
  }
  return undefined;
}

function readSafeNumber(buf: Buffer, at: number, fail: (message: string) => never): number {
  if (at + 8 > buf.length) fail('a 64-bit field runs past the end');
  const v = buf.readBigUInt64LE(at);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) fail('a 64-bit size or offset is too large');
  return Number(v);
}
