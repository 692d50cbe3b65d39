import { type FileHandle, open } from 'node:fs/promises';

/** Files up to this size are read whole; larger ones only where the ELF parser looks. */
const WHOLE_LIMIT = 1 << 20;
const SHT_DYNAMIC = 6;
const PT_INTERP = 3;

/**
 * The bytes of an ELF file as the parser needs them: a buffer of the file's full length in
 * which only the ELF header, program and section header tables, section-name table, first
 * dynamic section, its string table and the interpreter segment are read (the rest stays zero
 * and, being calloc'ed, costs no memory). A 100 MB binary costs a few reads of a few KiB, as Go's
 * `debug/elf` reads through a ReaderAt. Undefined when the file does not start with the ELF
 * magic or cannot be read. Files up to `wholeLimit` bytes are simply read whole.
 */
export async function readElfRegions(abs: string, wholeLimit = WHOLE_LIMIT): Promise<Buffer | undefined> {
  const handle = await open(abs, 'r').catch(() => undefined);
  if (handle === undefined) return undefined;
  try {
    const size = (await handle.stat()).size;
    const magic = await region(handle, Buffer.alloc(Math.min(size, 64)), 0, 64);
    if (magic.length < 4 || magic.readUInt32BE(0) !== 0x7f454c46) return undefined;
    if (size <= wholeLimit || magic.length < 64) return await handle.readFile();
    const buf = Buffer.alloc(size);
    magic.copy(buf);
    await fillRegions(handle, buf);
    return buf;
  } catch {
    return undefined;
  } finally {
    await handle.close();
  }
}

/** Reads `[offset, offset+length)` clamped to the buffer, into the buffer; returns that view. */
async function region(handle: FileHandle, buf: Buffer, offset: number | bigint, length: number | bigint) {
  const start = Number(offset);
  const end = Math.min(buf.length, start + Number(length));
  if (!(start >= 0 && start < end)) return buf.subarray(0, 0);
  let at = start;
  while (at < end) {
    const { bytesRead } = await handle.read(buf, at, end - at, at);
    if (bytesRead === 0) break;
    at += bytesRead;
  }
  return buf.subarray(start, at);
}

async function fillRegions(handle: FileHandle, buf: Buffer): Promise<void> {
  const is64 = buf[4] === 2;
  const little = buf[5] === 1;
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const u16 = (o: number) => view.getUint16(o, little);
  const u32 = (o: number) => view.getUint32(o, little);
  const word = (o: number) => (is64 ? Number(view.getBigUint64(o, little)) : u32(o));
  const w = is64 ? 8 : 4;
  const phoff = word(24 + w);
  const shoff = word(24 + 2 * w);
  const at = 24 + 3 * w + 4 + 2;
  const [phentsize, phnum, shentsize] = [u16(at), u16(at + 2), u16(at + 4)];
  let shnum = u16(at + 6);
  let shstrndx = u16(at + 8);
  await region(handle, buf, phoff, phentsize * phnum);
  if (shoff > 0 && shnum === 0) {
    // Extended numbering: the real count and name-table index live in section 0.
    await region(handle, buf, shoff, shentsize);
    shnum = word(shoff + (is64 ? 32 : 20));
    if (shstrndx === 0xffff) shstrndx = u32(shoff + (is64 ? 40 : 24));
  }
  await region(handle, buf, shoff, shentsize * shnum);
  const section = (i: number) => {
    const o = shoff + i * shentsize;
    if (o + (is64 ? 64 : 40) > buf.length) return undefined;
    return {
      type: u32(o + 4),
      offset: word(o + 8 + 2 * w),
      size: word(o + 8 + 3 * w),
      link: u32(o + 8 + 4 * w),
    };
  };
  const names = shstrndx < shnum ? section(shstrndx) : undefined;
  if (names !== undefined) await region(handle, buf, names.offset, names.size);
  for (let i = 0; i < shnum; i++) {
    const s = section(i);
    if (s?.type !== SHT_DYNAMIC) continue;
    await region(handle, buf, s.offset, s.size);
    const strings = section(s.link);
    if (strings !== undefined) await region(handle, buf, strings.offset, strings.size);
    break;
  }
  for (let i = 0; i < phnum; i++) {
    const o = phoff + i * phentsize;
    if (o + (is64 ? 56 : 32) > buf.length || u32(o) !== PT_INTERP) continue;
    await region(handle, buf, word(is64 ? o + 8 : o + 4), word(is64 ? o + 32 : o + 16));
    break;
  }
}
