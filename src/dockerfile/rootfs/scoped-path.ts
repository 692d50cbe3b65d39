import { lstat, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { LarderError } from '../../core/index.js';

const MAX_LINKS = 40;

/** A path of the rootfs resolved inside it: its components from the root, and whether it exists. */
export interface ScopedPath {
  /** Components from the root, symlinks resolved (an empty list is the root). */
  readonly parts: readonly string[];
  readonly exists: boolean;
}

/**
 * Resolves an absolute path of the image the way the kernel would inside the sandbox, with
 * `root` as `/`: symlinks (absolute ones from the root) and `..` never climb above the root.
 * Components after the first missing one are kept lexically. Throws IO after 40 symlinks.
 */
export async function resolveInRoot(root: string, path: string): Promise<ScopedPath> {
  const pending = path.split('/').filter((p) => p !== '' && p !== '.');
  let parts: string[] = [];
  let links = 0;
  while (pending.length > 0) {
    const part = pending.shift()!;
    if (part === '..') {
      parts.pop();
      continue;
    }
    const host = join(root, ...parts, part);
    let st: Awaited<ReturnType<typeof lstat>> | undefined;
    try {
      st = await lstat(host);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    if (st === undefined) {
      parts.push(part);
      for (const rest of pending)
        if (rest === '..') parts.pop();
        else parts.push(rest);
      return { parts, exists: false };
    }
    if (st.isSymbolicLink()) {
      if (++links > MAX_LINKS)
        throw new LarderError('IO', `too many symlinks resolving ${path} in ${root}`, { subject: path });
      const target = await readlink(host);
      if (target.startsWith('/')) parts = [];
      pending.unshift(...target.split('/').filter((p) => p !== '' && p !== '.'));
      continue;
    }
    parts.push(part);
  }
  return { parts, exists: true };
}

/** The host path of a resolved rootfs path. */
export function hostPath(root: string, scoped: ScopedPath): string {
  return join(root, ...scoped.parts);
}
