import { posix } from 'node:path';
import { isLarderError, LarderError } from '../../../core/index.js';
import { compareBytes } from '../tree.js';
import { cleanParts } from '../tree-lookup.js';
import { type ElfInfo, readElfInfo } from './elf.js';
import { goSortFunc } from './go-sort.js';
import { dlCacheLibcmp, parseLibFilename } from './lib-names.js';
import type { TreeFs } from './tree-fs.js';

/** One ld.so.cache entry: the library's absolute path (its base name is the key) and flags. */
export interface CacheEntry {
  readonly path: string;
  readonly flags: number;
}

const FLAG_ELF_LIBC6 = 0x0003;
/** apko's machine → flag table; it knows no other machine. */
const MACHINE_FLAGS = new Map<number, number>([
  [62, 0x0300], // EM_X86_64: FLAG_X8664_LIB64
  [183, 0x0a00], // EM_AARCH64: FLAG_AARCH64_LIB64
]);

/**
 * The cache entries of the library directories, as apko's `LDSOCacheEntriesForDirs`: each
 * directory (as written; a missing one is skipped, one listed twice is scanned twice) is read in
 * name order; a `lib*.so*`/`ld-*.so*` regular file, or symlink to one, that parses as an ELF
 * shared object is an entry under its own name when that name is one of its sonames or the
 * soname's `.so` link name (`libfoo.so` for `libfoo.so.1`); a `.so` without soname counts as its
 * own. Files that are not ELF shared objects are skipped. The entries are then ordered by
 * glibc's `_dl_cache_libcmp` of their base names, descending, with Go's sort (ties as apko
 * leaves them).
 *
 * @throws LarderError PACKAGE_INVALID for a shared object of a machine apko has no flag for
 *   (only x86_64 and aarch64), or a listed directory that is not one.
 */
export function cacheEntriesForDirs(fs: TreeFs, libdirs: readonly string[]): CacheEntry[] {
  const all: CacheEntry[] = [];
  for (const libdir of libdirs) all.push(...entriesForDir(fs, libdir));
  const base = (p: string) => p.slice(p.lastIndexOf('/') + 1);
  goSortFunc(all, (a, b) => -dlCacheLibcmp(base(a.path), base(b.path)));
  return all;
}

function entriesForDir(fs: TreeFs, libdir: string): CacheEntry[] {
  const rel = relativeDir(libdir);
  const dir = rel === undefined ? undefined : fs.libDir(rel);
  if (rel === undefined || dir === undefined) return [];
  const byName = new Map<string, CacheEntry>();
  for (const name of dir.names) {
    if (parseLibFilename(name) === undefined) continue;
    const path = posix.join('/', rel, name);
    const info = elfInfoOf(fs, dir.real === '' ? name : `${dir.real}/${name}`, path);
    if (info === undefined) continue;
    const machine = MACHINE_FLAGS.get(info.machine);
    if (machine === undefined) {
      throw new LarderError(
        'PACKAGE_INVALID',
        `${path}: ELF machine ${info.machine} has no ld.so.cache flag (apko knows x86_64 and aarch64)`,
      );
    }
    const sonames = info.sonames.length === 0 && name.endsWith('.so') ? [name] : info.sonames;
    for (const soname of sonames) {
      const parsed = parseLibFilename(soname);
      if (parsed === undefined || (name !== soname && name !== `${parsed.name}.so`)) continue;
      if (!byName.has(name)) byName.set(name, { path, flags: FLAG_ELF_LIBC6 | machine });
    }
  }
  return [...byName.keys()].sort(compareBytes).map((k) => byName.get(k)!);
}

/**
 * The directory relative to the root, as apko hands it to `fs.ReadDir`: an absolute one is
 * cleaned (`/` is `.`); a relative one is used as written, so a `.` or `..` in it names nothing.
 */
function relativeDir(libdir: string): string | undefined {
  if (libdir.startsWith('/')) return cleanParts(libdir).join('/') || '.';
  const parts = libdir.split('/').filter((p) => p !== '');
  if (libdir === '.') return '.';
  return parts.some((p) => p === '.' || p === '..') ? undefined : parts.join('/');
}

/** The ELF facts of a regular file (or link to one); undefined for anything apko skips. */
function elfInfoOf(fs: TreeFs, real: string, path: string): ElfInfo | undefined {
  const data = fs.regularContent(real);
  if (data === undefined) return undefined;
  try {
    return readElfInfo(data, path);
  } catch (err) {
    if (isLarderError(err, 'PACKAGE_INVALID')) return undefined;
    throw err;
  }
}
