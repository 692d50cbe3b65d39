import { LarderError } from '../core/index.js';

/** Size of a tar record (header block or data block). */
export const BLOCK = 512;

/** The kinds of entries larder reads and writes. */
export type TarEntryType = 'file' | 'hardlink' | 'symlink' | 'chardev' | 'blockdev' | 'directory' | 'fifo';

/** One tar entry's metadata after GNU long names and PAX records were applied. */
export interface TarHeader {
  readonly name: string;
  readonly type: TarEntryType;
  /** Permission bits only (`mode & 0o7777`), as apk-tools uses them. */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly uname: string;
  readonly gname: string;
  /** Seconds since the epoch; a fractional PAX mtime is floored. */
  readonly mtime: number;
  /** Length of the entry's data; 0 for every type but `file`. */
  readonly size: number;
  readonly linkname: string;
  readonly devmajor: number;
  readonly devminor: number;
  /** Every PAX record that applied to this entry, key to raw value (values may be binary). */
  readonly pax: ReadonlyMap<string, Buffer>;
}

/** What a header block says before pre-headers are applied; `typeflag` is the raw byte. */
export interface RawHeader {
  typeflag: string;
  name: string;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  linkname: string;
  uname: string;
  gname: string;
  devmajor: number;
  devminor: number;
}

export const ENTRY_TYPES: Readonly<Record<string, TarEntryType>> = {
  '0': 'file',
  '\0': 'file',
  '7': 'file',
  '1': 'hardlink',
  '2': 'symlink',
  '3': 'chardev',
  '4': 'blockdev',
  '5': 'directory',
  '6': 'fifo',
};

/** True when all 512 bytes are zero: half of the end-of-archive marker. */
export function isZeroBlock(block: Uint8Array): boolean {
  for (const byte of block) if (byte !== 0) return false;
  return true;
}

/**
 * Decodes one 512-byte header block. Checks the `ustar` magic (first 5 bytes only, which
 * accepts POSIX and GNU like apk-tools) and the checksum; throws TAR_BAD_HEADER naming `offset`.
 */
export function decodeHeaderBlock(block: Buffer, offset: number): RawHeader {
  const bad = (why: string): LarderError =>
    new LarderError('TAR_BAD_HEADER', `tar header at offset ${offset}: ${why}`);
  if (block.toString('latin1', 257, 262) !== 'ustar') {
    throw bad(`no ustar magic (found ${JSON.stringify(block.toString('latin1', 257, 263))})`);
  }
  const stored = octal(block, 148, 8, 'checksum', bad);
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const byte = i >= 148 && i < 156 ? 0x20 : block[i]!;
    unsigned += byte;
    signed += byte > 127 ? byte - 256 : byte;
  }
  // Some old writers summed signed chars; Go and GNU tar accept either.
  if (stored !== unsigned && stored !== signed) {
    throw bad(`checksum mismatch: header says ${stored}, computed ${unsigned}`);
  }
  // GNU headers (`ustar  \0`) keep atime/ctime where POSIX keeps the prefix.
  const posix = block[262] === 0;
  const name = text(block, 0, 100);
  const prefix = posix ? text(block, 345, 155) : '';
  return {
    typeflag: String.fromCharCode(block[156]!),
    name: prefix === '' ? name : `${prefix}/${name}`,
    mode: octal(block, 100, 8, 'mode', bad) & 0o7777,
    uid: octal(block, 108, 8, 'uid', bad),
    gid: octal(block, 116, 8, 'gid', bad),
    size: octal(block, 124, 12, 'size', bad),
    mtime: octal(block, 136, 12, 'mtime', bad),
    linkname: text(block, 157, 100),
    uname: text(block, 265, 32),
    gname: text(block, 297, 32),
    devmajor: octal(block, 329, 8, 'devmajor', bad),
    devminor: octal(block, 337, 8, 'devminor', bad),
  };
}

function text(block: Buffer, start: number, length: number): string {
  const end = block.indexOf(0, start);
  return block.toString('utf8', start, end < 0 || end > start + length ? start + length : end);
}

// Octal ASCII, optionally padded with leading spaces and ended by NUL or space. An empty field
// is 0. base-256 (GNU's encoding for huge values) is refused, as apk-tools 2.14 refuses it.
function octal(
  block: Buffer,
  start: number,
  length: number,
  field: string,
  bad: (why: string) => LarderError,
): number {
  let i = start;
  const end = start + length;
  if ((block[i]! & 0x80) !== 0) throw bad(`${field} uses base-256 encoding, which is not supported`);
  while (i < end && block[i] === 0x20) i++;
  let value = 0;
  for (; i < end; i++) {
    const c = block[i]!;
    if (c === 0 || c === 0x20) break;
    if (c < 0x30 || c > 0x37) {
      throw bad(`${field} is not octal: ${JSON.stringify(block.toString('latin1', start, end))}`);
    }
    value = value * 8 + (c - 0x30);
  }
  return value;
}
