import { randomBytes } from 'node:crypto';
import { lstat, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hexDigest, LarderError } from '../../core/index.js';
import { installRoot, resolutionKey } from '../../image/index.js';
import { type Fetcher, loadIndexes, loadKeyringSources, parseRepository } from '../../repo/index.js';
import type { GuestContents } from './sandbox.js';

export interface PackageRootOptions {
  readonly contents: GuestContents;
  readonly arch: string;
  readonly fetcher: Fetcher;
  /** Roots are kept in `<stateDir>/build/roots/<key>`. */
  readonly stateDir: string;
  readonly allowUntrusted?: boolean;
  readonly sourceDateEpoch?: number;
  readonly onWarning?: (message: string) => void;
}

/** Bumped when what a cached root holds changes (e.g. new mount points). */
const ROOT_SCHEMA = 'larder-guest-root-v1';
/** Directories bwrap mounts over; they must exist because the root is bound read-only. */
const MOUNT_DIRS = ['proc', 'dev', 'tmp', 'home/build', 'var/cache/melange'];

/**
 * The guest root of `environment.contents`, installed by the image module exactly as `larder
 * install` does (verified indexes and packages, apk database, keys) and cached by what decides
 * the resolved package set: the digests of the verified indexes, the arch and the world, plus
 * the repository lines and keys the root records. Two builds with the same inputs share one
 * root; it is made in a temporary directory and renamed into place, so a half-made root is
 * never used. Returns the root's directory.
 */
export async function preparePackageRoot(options: PackageRootOptions): Promise<string> {
  const { contents } = options;
  if (contents.packages.length === 0)
    throw new LarderError(
      'USAGE',
      'environment.contents.packages is empty: the build sandbox needs at least a shell',
    );
  const keyring = await loadKeyringSources(contents.keyring, options.fetcher);
  const indexes = await loadIndexes({
    repositories: contents.repositories.map((r) => parseRepository(r)),
    arch: options.arch,
    keyring,
    fetcher: options.fetcher,
    allowUntrusted: options.allowUntrusted === true,
  });
  const key = hexDigest(
    'sha256',
    JSON.stringify({
      schema: ROOT_SCHEMA,
      resolution: resolutionKey({
        indexDigests: indexes.map((i) => i.digest),
        arch: options.arch,
        world: contents.packages,
      }),
      repositories: contents.repositories,
      keys: [...keyring.keys.keys()].sort(),
      sourceDateEpoch: options.sourceDateEpoch ?? 0,
    }),
  );
  const roots = join(options.stateDir, 'build', 'roots');
  const dir = join(roots, key);
  if (await isDir(dir)) return dir;
  await mkdir(roots, { recursive: true });
  const temp = `${dir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await installRoot({
      root: temp,
      repositories: contents.repositories,
      keyring: contents.keyring,
      arch: options.arch,
      world: contents.packages,
      fetcher: options.fetcher,
      stateDir: options.stateDir,
      ...(options.allowUntrusted === true ? { allowUntrusted: true } : {}),
      ...(options.sourceDateEpoch !== undefined ? { sourceDateEpoch: options.sourceDateEpoch } : {}),
      ...(options.onWarning !== undefined ? { onWarning: options.onWarning } : {}),
    });
    for (const d of MOUNT_DIRS) await mkdirInside(temp, d);
    if (!(await existsNoFollow(join(temp, 'etc', 'resolv.conf')))) {
      await mkdirInside(temp, 'etc');
      await writeFile(join(temp, 'etc', 'resolv.conf'), '', { mode: 0o644 });
    }
    await rename(temp, dir).catch(async (err: NodeJS.ErrnoException) => {
      // Another build made the same root meanwhile: use theirs.
      if ((err.code === 'ENOTEMPTY' || err.code === 'EEXIST') && (await isDir(dir))) return;
      throw err;
    });
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
  return dir;
}

async function isDir(path: string): Promise<boolean> {
  try {
    return (await lstat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function existsNoFollow(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** `mkdir -p root/rel` that refuses to follow a symlink a package put on the way. */
async function mkdirInside(root: string, rel: string): Promise<void> {
  let path = root;
  for (const part of rel.split('/')) {
    path = join(path, part);
    let st: Awaited<ReturnType<typeof lstat>> | undefined;
    try {
      st = await lstat(path);
    } catch {
      st = undefined;
    }
    if (st === undefined) await mkdir(path, { mode: 0o755 });
    else if (!st.isDirectory())
      throw new LarderError(
        'PACKAGE_INVALID',
        `guest root: /${rel} cannot be a mount point: /${path.slice(root.length + 1)} is not a directory`,
      );
  }
}
