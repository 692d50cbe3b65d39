import { execFile } from 'node:child_process';
import { lstat, mkdir, rmdir, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** A path the sandbox mounts over: a directory (`/proc`) or a file (`/etc/hosts`). */
export interface MountPoint {
  /** Absolute path in the image. */
  readonly path: string;
  readonly kind: 'dir' | 'file';
}

/** Mount points ready for bwrap, and the undo of what was made for them. */
export interface PreparedMountPoints {
  /** The points that can be mounted: every parent is a real directory, the point itself is not a symlink. */
  readonly usable: ReadonlySet<string>;
  /** Removes what was made (a directory only when empty) and gives parents back their times. */
  cleanup(): Promise<void>;
}

const run = promisify(execFile);

// Node's utimes takes a double: `touch` sets the nanoseconds exactly, so the diff sees no change.
async function setMtimeNs(path: string, ns: bigint): Promise<void> {
  const s = ns / 1_000_000_000n;
  const frac = (ns % 1_000_000_000n).toString().padStart(9, '0');
  await run('touch', ['-h', '-m', '-d', `@${s}.${frac}`, '--', path]);
}

async function lstatOr(path: string) {
  try {
    return await lstat(path, { bigint: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * Makes the mount points bwrap needs that the rootfs lacks (bwrap would make them itself, as
 * root, inside the rootfs, and they would leak into the layer). Nothing is made below a
 * symlink or a file: such a point is left out of `usable`. `cleanup` removes them again and
 * restores the mtime of each parent directory it touched, unless the command changed that
 * directory too, so a RUN that changes nothing gives an empty diff.
 */
export async function prepareMountPoints(
  root: string,
  points: readonly MountPoint[],
): Promise<PreparedMountPoints> {
  const made: Array<{ host: string; kind: 'dir' | 'file' }> = [];
  const parents = new Map<string, { before: bigint; after: bigint | undefined }>();
  const usable = new Set<string>();
  const remember = async (dir: string): Promise<void> => {
    if (parents.has(dir)) return;
    const st = (await lstatOr(dir))!;
    parents.set(dir, { before: st.mtimeNs, after: undefined });
  };
  for (const point of points) {
    const parts = point.path.split('/').filter((p) => p !== '');
    let ok = parts.length > 0;
    for (let i = 0; ok && i < parts.length; i++) {
      const host = join(root, ...parts.slice(0, i + 1));
      const last = i === parts.length - 1;
      const kind = last ? point.kind : 'dir';
      const st = await lstatOr(host);
      if (st === undefined) {
        await remember(join(root, ...parts.slice(0, i)));
        if (kind === 'dir') await mkdir(host, { mode: 0o755 });
        else await writeFile(host, '', { mode: 0o644, flag: 'wx' });
        made.push({ host, kind });
      } else if (
        st.isSymbolicLink() ||
        (kind === 'dir' && !st.isDirectory()) ||
        (kind === 'file' && st.isDirectory())
      ) {
        ok = false;
      }
    }
    if (ok) usable.add(point.path);
  }
  for (const [dir, times] of parents) times.after = (await lstatOr(dir))?.mtimeNs;
  return {
    usable,
    async cleanup(): Promise<void> {
      const untouched = new Set<string>();
      for (const [dir, times] of parents)
        if ((await lstatOr(dir))?.mtimeNs === times.after) untouched.add(dir);
      for (const { host, kind } of made.reverse()) {
        try {
          if (kind === 'dir') await rmdir(host);
          else await unlink(host);
        } catch (err) {
          // The command put something in a directory made for a mount point: it stays, and is in the diff.
          const code = (err as NodeJS.ErrnoException).code;
          if (code !== 'ENOTEMPTY' && code !== 'ENOENT' && code !== 'EEXIST') throw err;
        }
      }
      for (const dir of untouched) {
        if ((await lstatOr(dir)) !== undefined) await setMtimeNs(dir, parents.get(dir)!.before);
      }
    },
  };
}
