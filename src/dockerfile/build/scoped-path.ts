import { posix } from 'node:path';
import { hostPath, resolveInRoot } from '../rootfs/index.js';

/** The host path of an image path, symlinks resolved inside `root` (as the kernel would in the sandbox). */
export async function imagePath(root: string, path: string): Promise<string> {
  return hostPath(root, await resolveInRoot(root, path.startsWith('/') ? path : `/${path}`));
}

/** True when a relative source path climbs out of its root lexically (`../x`, `a/../../x`). */
export function escapesRoot(path: string): boolean {
  if (posix.isAbsolute(path)) return false;
  return posix.normalize(path).split('/')[0] === '..';
}

/** Go's `filepath.Match` for one path component: `*`, `?`, `[a-z]`, `[^x]`, `\` escapes. */
export function componentPattern(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '\\' && i + 1 < pattern.length) out += escapeRegex(pattern[++i]!);
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) {
        out += '\\[';
        continue;
      }
      let body = pattern.slice(i + 1, end);
      if (body.startsWith('^') || body.startsWith('!')) body = `^${body.slice(1)}`;
      out += `[${body.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else out += escapeRegex(c);
  }
  return new RegExp(`^${out}$`, 's');
}

/** True when a path component has glob characters. */
export function hasGlob(part: string): boolean {
  return /[*?[]/.test(part);
}

function escapeRegex(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}
