/**
 * Moving an unpacked tree into place: `mergeInto` renames entries into a directory, merging
 * with directories already there (files replace files), and `stripComponentsInto` does the same
 * with `tar --strip-components=N` applied: entries N levels down move, files and links above
 * that depth are dropped, as tar drops members with fewer components.
 */
import { cp, lstat, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

async function kindOf(path: string): Promise<'missing' | 'directory' | 'other'> {
  try {
    return (await lstat(path)).isDirectory() ? 'directory' : 'other';
  } catch {
    return 'missing';
  }
}

/** Moves every entry of `from` into the existing directory `into` (same filesystem). */
export async function mergeInto(from: string, into: string): Promise<void> {
  for (const name of await readdir(from)) {
    const source = join(from, name);
    const target = join(into, name);
    const [have, give] = await Promise.all([kindOf(target), kindOf(source)]);
    if (have === 'directory' && give === 'directory') {
      await mergeInto(source, target);
      continue;
    }
    if (have !== 'missing') await rm(target, { recursive: true, force: true });
    try {
      await rename(source, target);
    } catch {
      await cp(source, target, { recursive: true, force: true, verbatimSymlinks: true });
    }
  }
}

/** Moves the entries `strip` levels below `from` into `into`. */
export async function stripComponentsInto(from: string, into: string, strip: number): Promise<void> {
  if (strip === 0) return mergeInto(from, into);
  for (const name of await readdir(from)) {
    const path = join(from, name);
    if ((await kindOf(path)) === 'directory') await stripComponentsInto(path, into, strip - 1);
  }
}
