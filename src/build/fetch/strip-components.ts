/**
 * `tar --strip-components=N` for a tree already unpacked (zip files): every entry N levels
 * down moves into the target, directories merging with what is there; files and links above
 * that depth are dropped, as tar drops members with fewer components.
 */
import { cp, lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** Copies the entries `strip` levels below `from` into `into` (symlinks kept as they are). */
export async function stripComponentsInto(from: string, into: string, strip: number): Promise<void> {
  for (const name of await readdir(from)) {
    const path = join(from, name);
    if (strip === 0) {
      await cp(path, join(into, name), { recursive: true, force: true, verbatimSymlinks: true });
    } else if ((await lstat(path)).isDirectory()) {
      await stripComponentsInto(path, into, strip - 1);
    }
  }
}
