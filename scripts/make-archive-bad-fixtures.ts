/**
 * Generates the bad-input corpus for src/archive under test/fixtures/bad/: one small file per
 * failure the readers must report. The files are committed; rerun after changing the writers:
 *
 *   npx tsx scripts/make-archive-bad-fixtures.ts           # write the files
 *   npx tsx scripts/make-archive-bad-fixtures.ts --check   # exit 1 when a file is stale
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  gzipMember,
  splitGzipMembers,
  type TarWriteEntry,
  tarEntry,
  writeTar,
} from '../src/archive/index.js';

const OUT = fileURLToPath(new URL('../test/fixtures/bad/', import.meta.url));
const MTIME = 1700000000;

function tar(entries: ReadonlyArray<{ entry: TarWriteEntry; data?: Uint8Array }>): Buffer {
  return writeTar(entries, { endBlocks: true });
}

const motd = {
  entry: { name: 'etc/motd', type: 'file', mode: 0o644, mtime: MTIME },
  data: Buffer.from('hello\n'),
} as const;

/**
 * The corpus: file name to bytes. Deflate output can differ between zlib builds (Node's zlib
 * picks SIMD paths per CPU), so the small members are stored (level 0) and byte-stable; only
 * oversized-pax.tar.gz needs real compression, and {@link sameFixture} compares it inflated.
 */
export function badArchiveFixtures(): Record<string, Buffer> {
  const small = gzipMember(
    tar([
      motd,
      {
        entry: { name: 'etc/issue', type: 'file', mode: 0o644, mtime: MTIME },
        data: Buffer.alloc(300, 0x61),
      },
    ]),
    { level: 0 },
  );
  const badCrc = Buffer.from(small);
  // Flip one bit of the stored CRC32 (first trailer byte).
  badCrc[badCrc.length - 8] = badCrc[badCrc.length - 8]! ^ 0x01;
  // A 2 MiB PAX record (over the 1 MiB default limit) compresses to a couple of KiB.
  const oversized = tarEntry({
    name: 'big',
    type: 'file',
    mode: 0o644,
    mtime: MTIME,
    pax: [['comment', Buffer.alloc(2 * 1024 * 1024, 0x78)]],
  });
  return {
    'truncated.tar.gz': small.subarray(0, Math.floor(small.length / 2)),
    'bad-crc.tar.gz': badCrc,
    'escape-dotdot.tar': tar([
      motd,
      { entry: { name: '../x', type: 'file', mode: 0o644, mtime: MTIME }, data: Buffer.from('x') },
    ]),
    'escape-absolute.tar': tar([
      { entry: { name: '/etc/x', type: 'file', mode: 0o644, mtime: MTIME }, data: Buffer.from('x') },
    ]),
    'symlink-outside.tar': tar([
      { entry: { name: 'usr', type: 'directory', mode: 0o755, mtime: MTIME } },
      {
        entry: { name: 'usr/evil', type: 'symlink', mode: 0o777, mtime: MTIME, linkname: '../../etc/passwd' },
      },
    ]),
    'oversized-pax.tar.gz': gzipMember(Buffer.concat([oversized, Buffer.alloc(1024)]), { level: 9 }),
  };
}

/** True when a committed fixture matches a freshly generated one (see badArchiveFixtures). */
export function sameFixture(name: string, committed: Buffer, generated: Buffer): boolean {
  if (name !== 'oversized-pax.tar.gz') return committed.equals(generated);
  try {
    return splitGzipMembers(committed)[0]!.data.equals(splitGzipMembers(generated)[0]!.data);
  } catch {
    return false;
  }
}

function main(check: boolean): number {
  let stale = 0;
  for (const [name, bytes] of Object.entries(badArchiveFixtures())) {
    const path = join(OUT, name);
    if (!check) {
      writeFileSync(path, bytes);
      console.log(`wrote ${path} (${bytes.length} bytes)`);
      continue;
    }
    let current: Buffer | undefined;
    try {
      current = readFileSync(path);
    } catch {
      current = undefined;
    }
    if (current === undefined || !sameFixture(name, current, bytes)) {
      console.error(`stale: ${path}`);
      stale++;
    }
  }
  return stale === 0 ? 0 : 1;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.includes('--check'));
}
