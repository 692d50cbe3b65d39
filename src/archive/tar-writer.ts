import { posix } from 'node:path';
import { LarderError } from '../core/index.js';
import { BLOCK, type TarEntryType } from './tar-header.js';

/** One entry to write. Numbers are integers; `mtime` is in seconds. */
export interface TarWriteEntry {
  /** Written exactly as given: directories get no trailing `/` added (like melange). */
  readonly name: string;
  readonly type: TarEntryType;
  /** Permission bits; only `mode & 0o7777` is written. */
  readonly mode: number;
  readonly mtime: number;
  readonly uid?: number;
  readonly gid?: number;
  readonly uname?: string;
  readonly gname?: string;
  /** Target of a symlink or hardlink. */
  readonly linkname?: string;
  /** Length of a file's data: required when the data is streamed after {@link tarHeader}. */
  readonly size?: number;
  readonly devmajor?: number;
  readonly devminor?: number;
  /** Extra PAX records, written verbatim (values may be binary), e.g. `APK-TOOLS.checksum.SHA1`. */
  readonly pax?: ReadonlyArray<readonly [string, string | Uint8Array]>;
}

const TYPEFLAGS: Readonly<Record<TarEntryType, string>> = {
  file: '0',
  hardlink: '1',
  symlink: '2',
  chardev: '3',
  blockdev: '4',
  directory: '5',
  fifo: '6',
};

// Numbers the writer itself may move into PAX records; callers may not pass these keys too.
const DERIVED_KEYS = new Set(['path', 'linkpath', 'size', 'uid', 'gid', 'mtime', 'uname', 'gname']);

/** 1024 zero bytes: the end-of-archive marker. Shared: never write into it. */
export const TAR_END_BLOCKS: Buffer = Buffer.alloc(2 * BLOCK);

function invalid(entry: TarWriteEntry, why: string): LarderError {
  return new LarderError('TAR_BAD_HEADER', `cannot write tar entry ${JSON.stringify(entry.name)}: ${why}`);
}

/**
 * The header bytes of one entry: a PAX extended header entry when needed, then the ustar
 * block. Stream `size` bytes of data and {@link tarPadding} after it. PAX is used for names or
 * link targets over 100 bytes or not ASCII, numbers too large for their octal field, user or
 * group names over 32 bytes or not ASCII, and whenever `entry.pax` is given.
 */
export function tarHeader(entry: TarWriteEntry): Buffer {
  const size = entry.size ?? 0;
  if (entry.name === '' || entry.name.includes('\0')) throw invalid(entry, 'empty name or NUL byte');
  if (entry.type !== 'file' && size !== 0) throw invalid(entry, `a ${entry.type} has no data (size ${size})`);
  const records = new Map<string, Buffer>();
  const field = (key: string, value: string, width: number): string => {
    if (value.includes('\0')) throw invalid(entry, `${key} contains a NUL byte`);
    if (Buffer.byteLength(value) <= width && isAscii(value)) return value;
    records.set(key, Buffer.from(value, 'utf8'));
    // Best effort in the ustar field, like Go: the PAX record is what readers use.
    return toAscii(value).slice(0, width);
  };
  const number = (key: string, value: number, digits: number, paxKey?: string): number => {
    if (!Number.isSafeInteger(value)) throw invalid(entry, `${key} ${value} is not an integer`);
    if (value >= 0 && value < 8 ** digits) return value;
    if (paxKey === undefined || (value < 0 && key !== 'mtime'))
      throw invalid(entry, `${key} ${value} does not fit`);
    records.set(paxKey, Buffer.from(String(value)));
    return 0;
  };
  const block = Buffer.alloc(BLOCK);
  block.write(field('path', entry.name, 100), 0, 'latin1');
  writeOctal(block, 100, 8, entry.mode & 0o7777);
  writeOctal(block, 108, 8, number('uid', entry.uid ?? 0, 7, 'uid'));
  writeOctal(block, 116, 8, number('gid', entry.gid ?? 0, 7, 'gid'));
  writeOctal(block, 124, 12, number('size', size, 11, 'size'));
  writeOctal(block, 136, 12, number('mtime', entry.mtime, 11, 'mtime'));
  block.write(TYPEFLAGS[entry.type], 156, 'latin1');
  block.write(field('linkpath', entry.linkname ?? '', 100), 157, 'latin1');
  block.write('ustar\u000000', 257, 'latin1');
  block.write(field('uname', entry.uname ?? '', 32), 265, 'latin1');
  block.write(field('gname', entry.gname ?? '', 32), 297, 'latin1');
  writeOctal(block, 329, 8, number('devmajor', entry.devmajor ?? 0, 7));
  writeOctal(block, 337, 8, number('devminor', entry.devminor ?? 0, 7));
  writeChecksum(block);
  for (const [key, value] of entry.pax ?? []) {
    if (key === '' || /[=\0\n]/.test(key)) throw invalid(entry, `bad PAX key ${JSON.stringify(key)}`);
    if (records.has(key) || DERIVED_KEYS.has(key)) throw invalid(entry, `PAX key ${key} given twice`);
    records.set(key, Buffer.from(value));
  }
  if (records.size === 0) return block;
  const body = paxBody(records);
  const paxEntry = Buffer.alloc(BLOCK);
  paxEntry.write(toAscii(paxName(entry.name)).slice(0, 100), 0, 'latin1');
  writeOctal(paxEntry, 100, 8, 0);
  writeOctal(paxEntry, 108, 8, 0);
  writeOctal(paxEntry, 116, 8, 0);
  writeOctal(paxEntry, 124, 12, body.length);
  writeOctal(paxEntry, 136, 12, 0);
  paxEntry.write('x', 156, 'latin1');
  paxEntry.write('ustar\u000000', 257, 'latin1');
  writeOctal(paxEntry, 329, 8, 0);
  writeOctal(paxEntry, 337, 8, 0);
  writeChecksum(paxEntry);
  return Buffer.concat([paxEntry, body, tarPadding(body.length), block]);
}

/** Zero bytes that pad `size` bytes of data to a whole 512-byte record. */
export function tarPadding(size: number): Buffer {
  return Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);
}

/** Header, data and padding of one entry. `data` must match `entry.size` when both are given. */
export function tarEntry(entry: TarWriteEntry, data?: Uint8Array): Buffer {
  const length = data?.length ?? 0;
  if (entry.size !== undefined && entry.size !== length) {
    throw invalid(entry, `size ${entry.size} but ${length} bytes of data`);
  }
  const header = tarHeader({ ...entry, size: length });
  return data === undefined || length === 0 ? header : Buffer.concat([header, data, tarPadding(length)]);
}

/**
 * A whole tar in memory. `endBlocks: false` gives the fragment APK signature and control
 * members need: a whole number of records and no end-of-archive marker.
 */
export function writeTar(
  entries: ReadonlyArray<{ readonly entry: TarWriteEntry; readonly data?: Uint8Array }>,
  options: { readonly endBlocks: boolean },
): Buffer {
  const parts = entries.map(({ entry, data }) => tarEntry(entry, data));
  if (options.endBlocks) parts.push(Buffer.alloc(2 * BLOCK));
  return Buffer.concat(parts);
}

// Sorted by key bytes so that the output does not depend on the order records were added.
function paxBody(records: Map<string, Buffer>): Buffer {
  const keys = [...records.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return Buffer.concat(
    keys.map((key) => {
      const value = records.get(key)!;
      // The length counts itself: grow it until the number of its digits is stable.
      const base = Buffer.byteLength(key) + value.length + 3;
      let length = base + String(base).length;
      if (String(length).length !== length - base) length = base + String(length).length;
      return Buffer.concat([Buffer.from(`${length} ${key}=`), value, Buffer.from('\n')]);
    }),
  );
}

// Go's name for the PAX header entry: `dir/PaxHeaders.0/base`. Readers ignore it.
function paxName(name: string): string {
  const slash = name.lastIndexOf('/');
  return posix.join(name.slice(0, slash + 1), 'PaxHeaders.0', name.slice(slash + 1));
}

// Zero-padded octal leaving room for a trailing NUL, as Go's formatOctal writes it.
function writeOctal(block: Buffer, offset: number, width: number, value: number): void {
  block.write(value.toString(8).padStart(width - 1, '0'), offset, 'latin1');
}

function writeChecksum(block: Buffer): void {
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 'latin1');
}

function isAscii(text: string): boolean {
  return /^[\x20-\x7e]*$/.test(text);
}

function toAscii(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '');
}
