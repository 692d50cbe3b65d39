import { randomBytes } from 'node:crypto';
import { rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import {
  type ApkPackageHead,
  assertApkVerified,
  type PackageRecord,
  readApkPackageHead,
} from '../apk/index.js';
import {
  IGNORE_PROGRESS,
  isLarderError,
  LarderError,
  type ProgressListener,
  parseQ1Checksum,
  writeFileAtomic,
} from '../core/index.js';
import { type Fetcher, redactUrl } from './fetcher.js';
import { locate } from './location.js';
import { type Repository, repositoryPackageUrl } from './repositories.js';

export interface FetchPackageOptions {
  readonly repository: Repository;
  /** The arch directory the record's index was read from. */
  readonly arch: string;
  readonly record: PackageRecord;
  readonly fetcher: Fetcher;
  /** `--state-dir`: verified downloads are kept in `<stateDir>/cache/packages/`. */
  readonly stateDir: string;
  /** Write the verified package here instead (no cache lookup). */
  readonly dest?: string;
  /** Accept a record without `C:` (only from an index accepted with `--allow-untrusted`). */
  readonly allowUntrusted?: boolean;
  readonly signal?: AbortSignal;
  readonly onProgress?: ProgressListener;
}

export interface FetchedPackage {
  readonly url: string;
  /** The verified .apk on disk. */
  readonly path: string;
  /**
   * Its signature and control members; the data was hashed against the datahash but not inflated
   * (whoever installs it reads the data and checks each file's checksum).
   */
  readonly package: ApkPackageHead;
  /** True when the package cache already held it and no download happened. */
  readonly cached: boolean;
}

/**
 * Returns `<repo>/<arch>/<name>-<version>.apk` as a verified file: the size must equal the
 * record's `S:` (a longer download is cut off early) and the control checksum its `C:`, or
 * PACKAGE_CHECKSUM_MISMATCH names the URL, the expected and the actual value; the data must
 * match `.PKGINFO`'s datahash. Only then is the file renamed into place, so the cache
 * (`<stateDir>/cache/packages/<name>-<version>.<sha1 hex>.apk`) holds verified packages only.
 */
export async function fetchPackage(options: FetchPackageOptions): Promise<FetchedPackage> {
  const { record } = options;
  const url = repositoryPackageUrl(options.repository, options.arch, record);
  const shown = redactUrl(url);
  const expected = expectedChecksum(record, shown, options.allowUntrusted === true);
  const fileName = `${record.name}-${record.version}.${expected?.toString('hex') ?? 'unverified'}.apk`;
  const path = options.dest ?? join(options.stateDir, 'cache', 'packages', fileName);
  const progress = options.onProgress ?? IGNORE_PROGRESS;
  const location = locate(url);
  if (options.dest === undefined && location.kind === 'local') {
    // A package in a local repository is verified where it is: copying it into the cache
    // would only add a write of every byte (the bench's 100 MB image spent ~1 s on it).
    const info = await stat(location.path).catch((err: unknown) => {
      throw new LarderError('FETCH_NOT_FOUND', `${shown}: ${(err as Error).message}`, {
        cause: err,
        subject: shown,
      });
    });
    if (record.size !== undefined && info.size !== record.size)
      throw mismatch(shown, 'size (S:)', record.size, info.size);
    const pkg = await readApkPackageHead(location.path, { name: shown });
    verify(pkg, record, expected, shown);
    return { url, path: location.path, package: pkg, cached: false };
  }
  if (options.dest === undefined && expected !== undefined) {
    const hit = await cached(path, record, expected, progress);
    if (hit !== undefined) return { url, path, package: hit, cached: true };
  }
  const response = await options.fetcher.fetch(url, {
    cache: 'no-store',
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (response.status !== 'ok')
    throw new LarderError('FETCH_FAILED', `GET ${shown}: 'not modified' to a plain request`, {
      subject: shown,
    });
  const body = response.body;
  const partial = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.partial`);
  try {
    let received = 0;
    async function* counted(): AsyncGenerator<Uint8Array> {
      for await (const chunk of body) {
        received += chunk.length;
        if (record.size !== undefined && received > record.size)
          throw mismatch(shown, 'size (S:)', record.size, `more than ${record.size} bytes`);
        yield chunk;
      }
    }
    try {
      await writeFileAtomic(partial, counted());
    } catch (err) {
      throw isLarderError(err, 'IO') && isLarderError(err.cause) ? err.cause : err;
    }
    if (record.size !== undefined && received !== record.size)
      throw mismatch(shown, 'size (S:)', record.size, received);
    const pkg = await readApkPackageHead(partial, { name: shown });
    verify(pkg, record, expected, shown);
    await rename(partial, path);
    return { url, path, package: pkg, cached: false };
  } finally {
    await rm(partial, { force: true });
  }
}

/** The cached package when present and still verifying; a damaged one is removed. */
async function cached(
  path: string,
  record: PackageRecord,
  expected: Buffer,
  progress: ProgressListener,
): Promise<ApkPackageHead | undefined> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined) return undefined;
  try {
    if (record.size !== undefined && info.size !== record.size)
      throw mismatch(path, 'size (S:)', record.size, info.size);
    const pkg = await readApkPackageHead(path);
    verify(pkg, record, expected, path);
    return pkg;
  } catch (err) {
    if (!isLarderError(err)) throw err;
    progress({ kind: 'warn', message: `removing damaged cached package: ${err.message}`, subject: path });
    await rm(path, { force: true });
    return undefined;
  }
}

function verify(
  pkg: ApkPackageHead,
  record: PackageRecord,
  expected: Buffer | undefined,
  where: string,
): void {
  if (expected !== undefined && !parseQ1Checksum(pkg.checksum)?.equals(expected))
    throw mismatch(where, 'control checksum (C:)', record.checksum ?? '', pkg.checksum);
  // C: covers the control member, whose datahash covers the data: check that link too.
  assertApkVerified(pkg, { signature: false });
}

function expectedChecksum(record: PackageRecord, url: string, allowUntrusted: boolean): Buffer | undefined {
  if (record.checksum === undefined) {
    if (allowUntrusted) return undefined;
    throw new LarderError(
      'SIGNATURE_UNTRUSTED',
      `${url}: the index record of ${record.name}-${record.version} has no C: checksum to verify the package against (use --allow-untrusted to accept it)`,
      { subject: url },
    );
  }
  const raw = parseQ1Checksum(record.checksum);
  if (raw === undefined)
    throw new LarderError(
      'INDEX_INVALID',
      `${url}: unreadable C: checksum '${record.checksum}' in the index`,
      {
        subject: url,
      },
    );
  return raw;
}

function mismatch(
  where: string,
  what: string,
  expected: string | number,
  actual: string | number,
): LarderError {
  return new LarderError(
    'PACKAGE_CHECKSUM_MISMATCH',
    `${where}: ${what} mismatch: the index says ${expected}, the package has ${actual}`,
    { subject: where },
  );
}
