import { createReadStream } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  type ApkKeyring,
  type ApkSigningKey,
  assertApkVerified,
  keyringFromPems,
  mergeIndexRecords,
  type PackageRecord,
  publicKeyPem,
  readApkPackage,
  recordFromPackage,
  writeApkIndex,
} from '../../apk/index.js';
import { LarderError, writeFileAtomic } from '../../core/index.js';
import { readExistingIndex } from './existing-index.js';
import { acquireRepoLock, type RepoLockOptions } from './repo-lock.js';

/** The index file name apk reads in every `REPO/ARCH/` directory. */
export const INDEX_NAME = 'APKINDEX.tar.gz';

export interface PublishOptions {
  /** The repository root; packages go to `<repoDir>/<arch>/`. */
  readonly repoDir: string;
  readonly arch: string;
  /** `.apk` files to publish (anywhere; already in place is fine). */
  readonly packages: readonly string[];
  /** Signs the index; an existing index must verify with its public half. */
  readonly signKey: ApkSigningKey;
  /** When given, every package's signature must verify against it too. */
  readonly keyring?: ApkKeyring;
  /** Index description (`DESCRIPTION` member); the existing one is kept by default. */
  readonly description?: string;
  /** SOURCE_DATE_EPOCH for the index's tar headers. */
  readonly sourceDateEpoch?: number;
  readonly lock?: RepoLockOptions;
  /** Runs when the new index is written and synced, before it replaces the old one. */
  readonly beforeCommit?: (tempIndexPath: string) => Promise<void> | void;
}

export interface PublishResult {
  readonly indexPath: string;
  /** Where each published package now is, in input order. */
  readonly packages: ReadonlyArray<{
    readonly name: string;
    readonly version: string;
    readonly path: string;
  }>;
  /** Records in the index after the merge. */
  readonly indexed: number;
}

/**
 * Publishes packages into `REPO/ARCH/` as `larder index` merges: each package is read and
 * checked (datahash and file checksums; signatures with `keyring`), copied in atomically as
 * `<name>-<version>.apk` (replacing a rebuilt one), and its record merged into the directory's
 * signed `APKINDEX.tar.gz`, which is rewritten atomically (temp, fsync, rename, directory
 * fsync) while holding `APKINDEX.tar.gz.lock`. Concurrent publishers serialise on the lock and
 * each merges into the index the previous one left, so no package is lost; a crash leaves the
 * old index or the new one, never a partial file.
 */
export async function publishPackages(options: PublishOptions): Promise<PublishResult> {
  const dir = join(options.repoDir, options.arch);
  const indexPath = join(dir, INDEX_NAME);
  const checked = [];
  for (const file of options.packages) {
    const pkg = await readApkPackage(file, options.keyring ? { keyring: options.keyring } : {});
    assertApkVerified(pkg, { signature: options.keyring !== undefined });
    const { arch, pkgname, pkgver } = pkg.pkginfo;
    if (arch !== options.arch && arch !== 'noarch')
      throw new LarderError(
        'USAGE',
        `${file}: package arch is ${arch} but the repository directory is ${dir}`,
        {
          subject: file,
        },
      );
    checked.push({ file, record: recordFromPackage(pkg), path: join(dir, `${pkgname}-${pkgver}.apk`) });
  }
  const own = keyringFromPems([[`${options.signKey.keyName}.pub`, publicKeyPem(options.signKey)]]);
  await mkdir(dir, { recursive: true }).catch((err: unknown) => {
    throw new LarderError('IO', `${dir}: cannot create: ${(err as Error).message}`, {
      cause: err,
      subject: dir,
    });
  });
  const lock = await acquireRepoLock(`${indexPath}.lock`, options.lock);
  try {
    await removeCrashLeftovers(dir);
    const existing = await readExistingIndex(indexPath, own);
    // Files first, then the index that names them: an index never lists a missing file.
    for (const p of checked) {
      if (resolve(p.file) !== resolve(p.path)) await writeFileAtomic(p.path, createReadStream(p.file));
    }
    const merged: PackageRecord[] = mergeIndexRecords(
      existing?.records ?? [],
      checked.map((p) => p.record),
    );
    const description = options.description ?? existing?.description;
    const bytes = writeApkIndex(merged, {
      signKey: options.signKey,
      ...(description !== undefined ? { description } : {}),
      mtime: options.sourceDateEpoch ?? 0,
    });
    await writeFileAtomic(indexPath, bytes, {
      beforeRename: async (tmp) => {
        await options.beforeCommit?.(tmp);
        await lock.assertHeld();
      },
    });
    return {
      indexPath,
      packages: checked.map((p) => ({ name: p.record.name, version: p.record.version, path: p.path })),
      indexed: merged.length,
    };
  } finally {
    await lock.release();
  }
}

/** Temporary index files of a publisher that died before its rename (only the lock holder writes them). */
async function removeCrashLeftovers(dir: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    if (name.startsWith(`.${INDEX_NAME}.`) && name.endsWith('.tmp'))
      await rm(join(dir, name), { force: true });
  }
}
