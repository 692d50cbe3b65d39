import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readGoBuildInfo } from '../../../../src/vuln/catalog/index.js';
import { readExecutable } from '../../../../src/vuln/catalog/source/executable-read.js';
import { tempDir } from '../../../kit/paths.js';
import { writeElf } from './kit/elf-writer.js';
import { framedModinfo, inlineBlob, pointerBlob, SAMPLE_MODINFO } from './kit/go-blob.js';

// Executables over 1 MiB on disk are read sparsely: headers and the sections the readers need.
const BIG = Buffer.alloc(3 * 1024 * 1024, 0x41);

async function onDisk(bytes: Buffer): Promise<string> {
  const path = join(await tempDir(), 'bin');
  await writeFile(path, bytes);
  return path;
}

describe('readExecutable', () => {
  it('a big Go binary: only headers and .go.buildinfo are read, and build info reads the same', async () => {
    const bytes = writeElf({
      sections: [
        { name: '.text', data: BIG, segmentFlags: 5 },
        { name: '.go.buildinfo', data: inlineBlob('go1.22.3', SAMPLE_MODINFO), segmentFlags: 6 },
      ],
    }).bytes;
    const sparse = await readExecutable(await onDisk(bytes));
    expect(sparse.length).toBe(bytes.length);
    expect(sparse.subarray(4096, 4096 + 16)).toEqual(Buffer.alloc(16)); // .text was not read
    expect(readGoBuildInfo(sparse, 'bin')).toEqual(readGoBuildInfo(bytes, 'bin'));
  });

  it('the pointer layout needs the whole file: it is read whole', async () => {
    const dataAddr = 0x900000;
    const { header, data } = pointerBlob('go1.16.15', framedModinfo(SAMPLE_MODINFO), {
      ptrSize: 8,
      bigEndian: false,
      dataAddr,
    });
    const bytes = writeElf({
      sections: [
        { name: '.go.buildinfo', data: header, segmentFlags: 6 },
        { name: '.text', data: BIG, segmentFlags: 5 },
        { name: '.rodata', data, addr: dataAddr },
      ],
    }).bytes;
    const read = await readExecutable(await onDisk(bytes));
    expect(read.equals(bytes)).toBe(true);
    expect(readGoBuildInfo(read, 'bin')?.modinfo.main?.path).toBe('example.com/tool');
  });

  it('without a .go.buildinfo section, the first writable segment is read', async () => {
    const bytes = writeElf({
      sections: [
        { name: '.text', data: BIG, segmentFlags: 5 },
        { name: '.data', data: inlineBlob('go1.21.0', SAMPLE_MODINFO), segmentFlags: 6, unnamed: true },
      ],
    }).bytes;
    expect(readGoBuildInfo(await readExecutable(await onDisk(bytes)), 'bin')?.goVersion).toBe('go1.21.0');
  });

  it('small files and other formats are read whole', async () => {
    const pe = Buffer.concat([Buffer.from('MZ'), BIG]);
    expect((await readExecutable(await onDisk(pe))).equals(pe)).toBe(true);
    const small = writeElf({ sections: [{ name: '.text', data: Buffer.alloc(100, 1) }] }).bytes;
    expect((await readExecutable(await onDisk(small))).equals(small)).toBe(true);
  });
});
