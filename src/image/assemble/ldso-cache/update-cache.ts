import { createHash } from 'node:crypto';
import { LarderError } from '../../../core/index.js';
import { type RootTree, synthFile } from '../tree.js';
import { lookup } from '../tree-lookup.js';
import { writeLdSoCache } from './cache-writer.js';
import { parseLdSoConf } from './conf.js';
import { cacheEntriesForDirs } from './lib-scan.js';
import { TreeFs } from './tree-fs.js';

const CONF = 'etc/ld.so.conf';
const CACHE = 'etc/ld.so.cache';

/**
 * apko's `updateCache`, run last: when `/etc/ld.so.conf` exists (glibc images), writes
 * `/etc/ld.so.cache` for `/lib` followed by the directories ld.so.conf names. A new cache file is
 * root-owned, 0644, with `mtime`; an existing one (links followed) gets the new bytes and mode
 * 0644 and keeps its owner and time. Nothing runs: the ELF files are read from the tree.
 *
 * @returns whether a cache was written.
 * @throws LarderError PACKAGE_INVALID when ld.so.conf cannot be read, a library has a machine
 *   apko cannot flag, or the cache path is not a regular file.
 */
export function updateLdSoCache(tree: RootTree, mtime: number): boolean {
  const fs = new TreeFs(tree);
  if (fs.follow(CONF) === undefined) return false;
  const dirs = parseLdSoConf(fs, CONF);
  const data = writeLdSoCache(cacheEntriesForDirs(fs, ['/lib', ...dirs]));
  const target = lookup(tree, CACHE, true, `/${CACHE}`);
  if (target === undefined)
    throw new LarderError('PACKAGE_INVALID', `/${CACHE}: its directory does not exist`);
  const existing = target.node;
  if (existing === undefined) {
    tree.set(target.real, synthFile(data, 0o644, mtime));
    return true;
  }
  const real = existing.type === 'hardlink' ? existing.linkname : target.real;
  const node = real === undefined ? undefined : tree.get(real);
  if (real === undefined || node?.type !== 'file')
    throw new LarderError('PACKAGE_INVALID', `/${CACHE} is a ${existing.type}, not a regular file`);
  const sha1 = createHash('sha1').update(data).digest('hex');
  tree.set(real, { ...node, data, mode: 0o644, sha1 });
  return true;
}
