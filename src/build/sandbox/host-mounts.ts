import { lstat, readlink } from 'node:fs/promises';
import type { HostMount } from './bwrap-args.js';

/**
 * The host toolchain the `host` runner shows its steps, read-only: the programs and libraries
 * (`/usr`, and `/bin`, `/sbin`, `/lib*` whether they are directories or merged-/usr symlinks),
 * `/etc/alternatives` (Debian's `cc`, `awk`... are links through it), the dynamic loader's
 * cache and config, users and groups, and configuration that common build tools read (perl's
 * `/etc/perl`, certificates for fetch steps, os-release).
 */
export const HOST_TOOLCHAIN_PATHS = [
  '/usr',
  '/bin',
  '/sbin',
  '/lib',
  '/lib32',
  '/lib64',
  '/libx32',
  '/etc/alternatives',
  '/etc/ld.so.cache',
  '/etc/ld.so.conf',
  '/etc/ld.so.conf.d',
  '/etc/passwd',
  '/etc/group',
  '/etc/nsswitch.conf',
  '/etc/os-release',
  '/etc/perl',
  '/etc/ssl',
  '/etc/ca-certificates',
] as const;

/**
 * What of `paths` exists on this host, as mounts: symlinks are re-made with the same target (a
 * merged-/usr `/bin -> usr/bin` stays a link), anything else is bound read-only; missing paths
 * are left out.
 */
export async function hostMounts(paths: readonly string[] = HOST_TOOLCHAIN_PATHS): Promise<HostMount[]> {
  const mounts: HostMount[] = [];
  for (const path of paths) {
    let isLink: boolean;
    try {
      isLink = (await lstat(path)).isSymbolicLink();
    } catch {
      continue;
    }
    if (isLink) mounts.push({ kind: 'symlink', path, target: await readlink(path) });
    else mounts.push({ kind: 'ro-bind', path });
  }
  return mounts;
}
