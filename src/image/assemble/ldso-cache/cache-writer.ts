import type { CacheEntry } from './lib-scan.js';

const MAGIC = 'glibc-ld.so.cache1.1';
const HEADER_SIZE = 48;
const ENTRY_SIZE = 24;

/**
 * An `/etc/ld.so.cache` in glibc's new format, written as apko writes it (little-endian): a
 * 48-byte header (`glibc-ld.so.cache` `1.1`, library count, string table size, flags 0, no
 * extension), one 24-byte entry per library (flags, key and value offsets from the start of the
 * file, OS version 0, hwcap 0), then each path NUL-terminated in entry order (the key points at
 * the base name inside it), then 1 to 16 zero bytes reaching the next 16-byte boundary.
 */
export function writeLdSoCache(entries: readonly CacheEntry[]): Buffer {
  const tableEnd = HEADER_SIZE + entries.length * ENTRY_SIZE;
  const names = entries.map((e) => Buffer.from(`${e.path}\0`, 'utf8'));
  const stringsSize = names.reduce((n, b) => n + b.length, 0);
  const end = tableEnd + stringsSize;
  const out = Buffer.alloc((end & ~15) + 16);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(entries.length, 20);
  out.writeUInt32LE(stringsSize, 24);
  let cursor = tableEnd;
  entries.forEach((entry, i) => {
    const at = HEADER_SIZE + i * ENTRY_SIZE;
    out.writeUInt32LE(entry.flags, at);
    out.writeUInt32LE(cursor + dirLength(entry.path) + 1, at + 4);
    out.writeUInt32LE(cursor, at + 8);
    names[i]!.copy(out, cursor);
    cursor += names[i]!.length;
  });
  return out;
}

/**
 * Bytes of Go's `filepath.Dir` of an absolute clean path. For a library directly under `/` that
 * is `/` itself, so apko's key then skips the name's first byte; kept for identical output.
 */
function dirLength(path: string): number {
  const slash = path.lastIndexOf('/');
  return slash <= 0 ? 1 : Buffer.byteLength(path.slice(0, slash), 'utf8');
}
