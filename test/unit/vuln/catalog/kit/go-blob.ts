/**
 * Go build-info blobs as the linker writes them (catalog.md §3.1), for hand-made binaries: the
 * inline layout of Go ≥ 1.18 and the pointer layout of Go 1.13–1.17.
 */
export const MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');
export const SENTINEL_START = Buffer.from('3077af0c9274080241e1c107e6d618e6', 'hex');
export const SENTINEL_END = Buffer.from('f932433186182072008242104116d8f2', 'hex');

/** modinfo text framed by cmd/go's sentinels. */
export function framedModinfo(text: string): Buffer {
  return Buffer.concat([SENTINEL_START, Buffer.from(text, 'utf8'), SENTINEL_END]);
}

export function varint(n: number): Buffer {
  const out: number[] = [];
  let v = n;
  do {
    let byte = v % 128;
    v = Math.floor(v / 128);
    if (v > 0) byte |= 0x80;
    out.push(byte);
  } while (v > 0);
  return Buffer.from(out);
}

/** The inline blob: 32-byte header (pointer size 8, flags 2), then two varint-prefixed strings. */
export function inlineBlob(goVersion: string, modinfo: Buffer | string): Buffer {
  const header = Buffer.alloc(32);
  MAGIC.copy(header, 0);
  header[14] = 8;
  header[15] = 2;
  const version = Buffer.from(goVersion, 'utf8');
  const mod = typeof modinfo === 'string' ? framedModinfo(modinfo) : modinfo;
  return Buffer.concat([header, varint(version.length), version, varint(mod.length), mod]);
}

/**
 * The pointer layout: a header whose two pointers lead to Go string headers (data pointer,
 * length) in a data section at `dataAddr`; returns the header and the data section's bytes.
 */
export function pointerBlob(
  goVersion: string,
  modinfo: Buffer,
  options: { ptrSize: 4 | 8; bigEndian: boolean; dataAddr: number },
): { header: Buffer; data: Buffer } {
  const { ptrSize, bigEndian, dataAddr } = options;
  const version = Buffer.from(goVersion, 'utf8');
  // data: [version string header][modinfo string header][version bytes][modinfo bytes]
  const headers = 4 * ptrSize;
  const versionAt = dataAddr + headers;
  const modAt = versionAt + version.length;
  const data = Buffer.alloc(headers + version.length + modinfo.length);
  const put = (buf: Buffer, at: number, v: number) => {
    if (ptrSize === 4) bigEndian ? buf.writeUInt32BE(v, at) : buf.writeUInt32LE(v, at);
    else bigEndian ? buf.writeBigUInt64BE(BigInt(v), at) : buf.writeBigUInt64LE(BigInt(v), at);
  };
  put(data, 0, versionAt);
  put(data, ptrSize, version.length);
  put(data, 2 * ptrSize, modAt);
  put(data, 3 * ptrSize, modinfo.length);
  version.copy(data, headers);
  modinfo.copy(data, headers + version.length);
  const header = Buffer.alloc(32);
  MAGIC.copy(header, 0);
  header[14] = ptrSize;
  header[15] = bigEndian ? 1 : 0;
  put(header, 16, dataAddr);
  put(header, 16 + ptrSize, dataAddr + 2 * ptrSize);
  return { header, data };
}

/** A typical modinfo text of a module build. */
export const SAMPLE_MODINFO =
  'path\texample.com/tool/cmd/tool\n' +
  'mod\texample.com/tool\tv1.4.0\th1:abc=\n' +
  'dep\tgolang.org/x/net\tv0.20.0\th1:net=\n' +
  'dep\texample.com/local\tv1.2.3\n' +
  '=>\t../local\t(devel)\t\n' +
  'dep\tgithub.com/old/mod\tv1.0.0\th1:old=\n' +
  '=>\tgithub.com/new/mod\tv1.1.0\th1:new=\n' +
  'build\t-compiler=gc\n' +
  'build\tGOARCH=arm64\n' +
  'build\tGOOS=linux\n';
