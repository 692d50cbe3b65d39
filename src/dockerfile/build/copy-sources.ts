import { lstat, readdir } from 'node:fs/promises';
import { posix } from 'node:path';
import { componentPattern, hasGlob, imagePath } from './scoped-path.js';

/** One source path of COPY/ADD found in its root. */
export interface SourceMatch {
  /** The host path (symlinks followed inside the root). */
  readonly host: string;
  /** Its path relative to the root, `/`-separated (`.` for the root itself). */
  readonly rel: string;
  readonly isDir: boolean;
}

/**
 * The paths a COPY/ADD source names inside `root`: the path itself, or every match of its glob
 * components (`*.txt`, `cmd/app-?/main.go`), sorted. Paths `include` rejects (`.dockerignore`) do
 * not match, as in Docker, where ignored files are never sent.
 */
export async function matchSources(
  root: string,
  source: string,
  include: ((rel: string, isDir: boolean) => boolean) | undefined,
): Promise<SourceMatch[]> {
  const parts = posix
    .normalize(`/${source}`)
    .split('/')
    .filter((p) => p !== '');
  let candidates = [''];
  for (const part of parts) {
    const next: string[] = [];
    for (const at of candidates) {
      if (!hasGlob(part)) {
        next.push(posix.join(at, part));
        continue;
      }
      const dir = await imagePath(root, at);
      const names = await readdir(dir).catch(() => [] as string[]);
      const pattern = componentPattern(part);
      for (const name of names.sort()) if (pattern.test(name)) next.push(posix.join(at, name));
    }
    candidates = next;
  }
  const out: SourceMatch[] = [];
  for (const rel of candidates) {
    const host = rel === '' ? root : await imagePath(root, rel);
    const stat = await lstat(host).catch(() => undefined);
    if (stat === undefined) continue;
    const name = rel === '' ? '.' : rel;
    if (include && name !== '.' && !include(name, stat.isDirectory())) continue;
    out.push({ host, rel: name, isDir: stat.isDirectory() });
  }
  return out;
}
