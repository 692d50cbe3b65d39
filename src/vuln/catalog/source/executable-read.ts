// Reading an executable from disk for cataloguing without reading all of it: a buffer of the
// file's length in which only the ELF headers, the section-name table and the sections the
// readers look at are filled (the rest stays zero and, being calloc'ed, costs no memory). A
// 100 MB C binary costs a few reads of a few KiB; Go's pointer-format build info, whose strings
// may be anywhere, and non-ELF executables are read whole.
import { type FileHandle, open } from 'node:fs/promises';
import { PF_W, PF_X, PT_LOAD } from '../binary/elf.js';

const WHOLE_LIMIT = 1024 * 1024;
const SECTIONS = new Set(['.go.buildinfo', '.dep-v0', '.rust-deps-v0']);
const GO_MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');

/** The bytes of the executable at `abs` that cataloguing reads (see above). */
export async function readExecutable(abs: string): Promise<Buffer> {
  const handle = await open(abs, 'r');
  try {
    const size = (await handle.stat()).size;
    if (size <= WHOLE_LIMIT) return await handle.readFile();
    const buf = Buffer.alloc(size);
    await region(handle, buf, 0, 64);
    if (
      buf.readUInt32BE(0) !== 0x7f454c46 ||
      (buf[4] !== 1 && buf[4] !== 2) ||
      (buf[5] !== 1 && buf[5] !== 2)
    ) {
      return await handle.readFile();
    }
    return (await fillElfRegions(handle, buf)) ? buf : await handle.readFile();
  } finally {
    await handle.close();
  }
}

/** Fills what the readers need; false when the whole file is needed after all. */
async function fillElfRegions(handle: FileHandle, buf: Buffer): Promise<boolean> {
  const is64 = buf[4] === 2;
  const little = buf[5] === 1;
  const u16 = (o: number) => (o + 2 > buf.length ? 0 : little ? buf.readUInt16LE(o) : buf.readUInt16BE(o));
  const u32 = (o: number) => (o + 4 > buf.length ? 0 : little ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  const word = (o: number): number => {
    if (!is64) return u32(o);
    if (o + 8 > buf.length) return 0;
    return Number(little ? buf.readBigUInt64LE(o) : buf.readBigUInt64BE(o));
  };
  const w = is64 ? 8 : 4;
  const phoff = word(24 + w);
  const shoff = word(24 + 2 * w);
  const at = 24 + 3 * w + 4;
  const [phentsize, phnum, shentsize] = [u16(at + 2), u16(at + 4), u16(at + 6)];
  let shnum = u16(at + 8);
  let shstrndx = u16(at + 10);
  await region(handle, buf, phoff, phentsize * phnum);
  if (shoff > 0 && shnum === 0) {
    await region(handle, buf, shoff, shentsize);
    shnum = word(shoff + (is64 ? 32 : 20));
    if (shstrndx === 0xffff) shstrndx = u32(shoff + (is64 ? 40 : 24));
  }
  await region(handle, buf, shoff, shentsize * Math.min(shnum, 65_536));
  const section = (i: number) => {
    const o = shoff + i * shentsize;
    return { name: u32(o), offset: word(o + 8 + 2 * w), size: word(o + 8 + 3 * w) };
  };
  if (shoff === 0 || shstrndx >= shnum) return false;
  const names = section(shstrndx);
  await region(handle, buf, names.offset, names.size);
  let goSection: { offset: number; size: number } | undefined;
  for (let i = 0; i < Math.min(shnum, 65_536); i++) {
    const s = section(i);
    const start = names.offset + s.name;
    const end = buf.indexOf(0, start);
    const name = buf.toString('latin1', start, end < 0 ? start : Math.min(end, names.offset + names.size));
    if (!SECTIONS.has(name)) continue;
    await region(handle, buf, s.offset, s.size);
    if (name === '.go.buildinfo') goSection = s;
  }
  if (goSection !== undefined) {
    // Pointer format (flags bit 1 clear): the strings it points at may be anywhere.
    return goSection.size < 16 || (buf[goSection.offset + 15]! & 2) !== 0;
  }
  // No section: Go looks in the first writable, non-executable segment.
  for (let i = 0; i < phnum; i++) {
    const o = phoff + i * phentsize;
    const type = u32(o);
    const flags = is64 ? u32(o + 4) : u32(o + 24);
    if (type !== PT_LOAD || (flags & PF_W) === 0 || (flags & PF_X) !== 0) continue;
    const start = is64 ? word(o + 8) : u32(o + 4);
    const length = is64 ? word(o + 32) : u32(o + 16);
    await region(handle, buf, start, length);
    const magic = buf.indexOf(GO_MAGIC, start);
    // A pointer-format blob here needs the whole file too.
    return magic < 0 || magic >= start + length || magic + 16 > buf.length || (buf[magic + 15]! & 2) !== 0;
  }
  return true;
}

/** Reads `[offset, offset+length)`, clamped to the buffer, into the buffer. */
async function region(handle: FileHandle, buf: Buffer, offset: number, length: number): Promise<void> {
  const start = offset;
  const end = Math.min(buf.length, start + length);
  let pos = start;
  while (pos >= 0 && pos < end) {
    const { bytesRead } = await handle.read(buf, pos, end - pos, pos);
    if (bytesRead === 0) break;
    pos += bytesRead;
  }
}
