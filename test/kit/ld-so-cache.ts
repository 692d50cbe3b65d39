/** One entry of an ld.so.cache file, as read back by {@link readLdSoCache}. */
export interface ReadEntry {
  flags: number;
  key: string;
  value: string;
}

/**
 * Reads a glibc new-format ld.so.cache (test side, independent of the writer): checks the magic
 * and that every string offset lies in the string table, and returns the header counts and the
 * entries with their key and value strings.
 */
export function readLdSoCache(data: Buffer): { count: number; stringsSize: number; entries: ReadEntry[] } {
  if (data.subarray(0, 20).toString('latin1') !== 'glibc-ld.so.cache1.1') throw new Error('bad magic');
  const count = data.readUInt32LE(20);
  const stringsSize = data.readUInt32LE(24);
  const start = 48 + 24 * count;
  const text = (off: number) => {
    if (off < start || off >= start + stringsSize) throw new Error(`offset ${off} outside the string table`);
    return data.subarray(off, data.indexOf(0, off)).toString('utf8');
  };
  const entries: ReadEntry[] = [];
  for (let i = 0; i < count; i++) {
    const at = 48 + 24 * i;
    if (data.readUInt32LE(at + 12) !== 0 || data.readBigUInt64LE(at + 16) !== 0n)
      throw new Error('hwcap set');
    entries.push({
      flags: data.readUInt32LE(at),
      key: text(data.readUInt32LE(at + 4)),
      value: text(data.readUInt32LE(at + 8)),
    });
  }
  return { count, stringsSize, entries };
}
