import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type ApkPackageHead, readApkPackageHead } from '../../apk/index.js';
import { LarderError } from '../../core/index.js';
import { type Fetcher, fetchBytes } from '../../repo/index.js';
import { checkLockFresh, lockedWorld } from './fresh.js';
import type { ApkoLock, LockPackage, LockRangeChecksum } from './model.js';

/** A locked package, fetched and checked against every hash the lock recorded. */
export interface LockedPackage {
  readonly entry: LockPackage;
  readonly bytes: Buffer;
  readonly package: ApkPackageHead;
}

export interface FetchLockedOptions {
  readonly lock: ApkoLock;
  readonly arch: string;
  /** The config's checksum now (loadImageConfig): a lock made from another config is stale. */
  readonly configChecksum: string;
  readonly fetcher: Fetcher;
  /**
   * `--state-dir`: a package already in the verified package cache (`cache/packages/`, filled by
   * resolving builds and `larder lock`) is taken from there instead of its URL, so a locked
   * build after `larder lock` works `--offline`. Every locked hash is checked all the same.
   */
  readonly stateDir?: string;
}

/**
 * Building from a lock: no index is read and nothing is resolved. The lock must be fresh
 * (LOCK_STALE otherwise; a pre-0.13 lock gives a warning instead), and every package is fetched
 * from its locked URL and must match the recorded signature, control and data checksums and
 * the `C:` identity, or LOCK_STALE names the package, the member and both values.
 */
export async function fetchLockedPackages(
  options: FetchLockedOptions,
): Promise<{ packages: LockedPackage[]; warning?: string }> {
  const warning = checkLockFresh(options.lock, options.configChecksum);
  const { packages } = lockedWorld(options.lock, options.arch);
  const out: LockedPackage[] = [];
  for (const entry of packages) {
    const bytes =
      (await fromPackageCache(options.stateDir, entry)) ?? (await fetchBytes(options.fetcher, entry.url));
    checkMember(entry, 'signature', bytes, 'sha1');
    checkMember(entry, 'control', bytes, 'sha1');
    checkMember(entry, 'data', bytes, 'sha256');
    const pkg = await readApkPackageHead(bytes, { name: entry.url });
    if (entry.checksum !== undefined && pkg.checksum !== entry.checksum) {
      throw mismatch(entry, 'checksum', entry.checksum, pkg.checksum);
    }
    out.push({ entry, bytes, package: pkg });
  }
  return { packages: out, ...(warning !== undefined ? { warning } : {}) };
}

/** The package from `<stateDir>/cache/packages/<name>-<version>.<C: as hex>.apk`, if there. */
async function fromPackageCache(
  stateDir: string | undefined,
  entry: LockPackage,
): Promise<Buffer | undefined> {
  if (stateDir === undefined || entry.checksum === undefined || !entry.checksum.startsWith('Q1'))
    return undefined;
  const hex = Buffer.from(entry.checksum.slice(2), 'base64').toString('hex');
  try {
    return await readFile(join(stateDir, 'cache', 'packages', `${entry.name}-${entry.version}.${hex}.apk`));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function checkMember(
  entry: LockPackage,
  member: 'signature' | 'control' | 'data',
  bytes: Buffer,
  algorithm: 'sha1' | 'sha256',
): void {
  const locked: LockRangeChecksum = entry[member];
  if (locked.range === '' && locked.checksum === '') return;
  const m = /^bytes=(\d+)-(\d+)$/.exec(locked.range);
  if (!m)
    throw new LarderError(
      'LOCK_INVALID',
      `${entry.name}: ${member}.range '${locked.range}' is not bytes=A-B`,
    );
  const slice = bytes.subarray(Number(m[1]), Number(m[2]) + 1);
  const actual = `${algorithm}-${createHash(algorithm).update(slice).digest('base64')}`;
  if (Number(m[2]) >= bytes.length || actual !== locked.checksum)
    throw mismatch(entry, member, locked.checksum, actual);
}

function mismatch(entry: LockPackage, what: string, expected: string, actual: string): LarderError {
  return new LarderError(
    'LOCK_STALE',
    `lock is stale: ${entry.url} (${entry.name}-${entry.version}) ${what} is ${actual}, the lock says ${expected}; run larder lock again`,
    { subject: entry.url },
  );
}
