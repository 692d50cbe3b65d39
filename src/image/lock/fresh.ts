/** Using a lock to build: is it still the config's lock, and what does it pin per arch. */
import { LarderError } from '../../core/index.js';
import { parseImageArch } from '../config/archs.js';
import type { ApkoLock, LockPackage } from './model.js';

/**
 * Checks that a lock was made from the config as it is now (apko's
 * `VerifyLockfileConsistency`). Returns undefined when it was, or a warning when the lock has
 * no config checksum (written before apko 0.13), so staleness cannot be checked. Throws
 * LarderError LOCK_STALE naming both checksums when they differ.
 */
export function checkLockFresh(lock: ApkoLock, configChecksum: string): string | undefined {
  const file = lock.source ?? 'the lock file';
  const locked = lock.config?.checksum;
  if (locked === undefined || locked === '') {
    return `cannot check staleness: ${file} has no config checksum (written by apko before 0.13); run larder lock to regenerate it`;
  }
  if (locked !== configChecksum) {
    throw new LarderError(
      'LOCK_STALE',
      `lock is stale: ${file} was made from config checksum ${locked}, the config now hashes to ${configChecksum}; run larder lock again`,
      lock.source === undefined ? {} : { subject: lock.source },
    );
  }
  return undefined;
}

/** What a lock pins for one arch. */
export interface LockedWorld {
  readonly arch: string;
  /** `name=version` per package, in the lock's (installation) order: the world to solve. */
  readonly world: readonly string[];
  /** The entries themselves: where to fetch each package and the hashes to check it against. */
  readonly packages: readonly LockPackage[];
}

/** The arch directory a package URL points into (`…/x86_64/foo-1.apk` → `x86_64`). */
function urlArch(url: string): string | undefined {
  const parts = url.split('/');
  return parts.length >= 2 ? parts[parts.length - 2] : undefined;
}

function belongsTo(pkg: LockPackage, arch: string): boolean {
  if (pkg.architecture === arch) return true;
  // `noarch` packages sit in every arch's directory; apko's Arch2LockedPackages matches on
  // `architecture` alone and would drop them, so the URL decides here.
  return pkg.architecture === 'noarch' && urlArch(pkg.url) === arch;
}

/**
 * The packages a lock pins for `arch` (an apk name or OCI alias), as a world of `name=version`
 * entries plus the entries to install from. Empty when the lock has nothing for that arch; see
 * {@link lockedArchs} to tell that apart from an empty image.
 */
export function lockedWorld(lock: ApkoLock, arch: string): LockedWorld {
  const apkArch = parseImageArch(arch) ?? arch;
  const packages = lock.contents.packages.filter((pkg) => belongsTo(pkg, apkArch));
  return { arch: apkArch, world: packages.map((pkg) => `${pkg.name}=${pkg.version}`), packages };
}

/** The archs a lock covers: those of its repository entries and packages, first-seen order. */
export function lockedArchs(lock: ApkoLock): string[] {
  const c = lock.contents;
  const seen = new Set<string>();
  for (const repo of [...(c.buildRepositories ?? []), ...(c.runtimeRepositories ?? []), ...c.repositories]) {
    seen.add(repo.architecture);
  }
  for (const pkg of c.packages) {
    const arch = pkg.architecture === 'noarch' ? urlArch(pkg.url) : pkg.architecture;
    if (arch !== undefined) seen.add(arch);
  }
  return [...seen];
}
