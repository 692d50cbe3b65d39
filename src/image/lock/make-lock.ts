import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { type ApkKeyring, keyringFromPems } from '../../apk/index.js';
import { IGNORE_PROGRESS, LarderError, type ProgressListener } from '../../core/index.js';
import {
  type Fetcher,
  fetchBytes,
  fetchPackage,
  loadIndexes,
  parseRepository,
  type Repository,
  type RepositoryIndex,
} from '../../repo/index.js';
import {
  buildUniverse,
  fromIndexRecords,
  parseWorldDependency,
  renderProblems,
  solve,
} from '../../solver/index.js';
import type { LoadedConfig } from '../config/load.js';
import { createLock, lockKeyringEntry, lockPackageEntry, lockRepositoryEntries } from './entries.js';
import type { ApkoLock, LockKeyring, LockPackage } from './model.js';
import type { ResolutionCache } from './resolution-cache.js';
import { resolutionKey } from './resolution-cache.js';

export interface MakeLockOptions {
  readonly loaded: LoadedConfig;
  readonly fetcher: Fetcher;
  readonly stateDir: string;
  readonly allowUntrusted?: boolean;
  /** Resolutions (with their package entries) by (index digests, arch, world): re-locking is instant. */
  readonly cache?: ResolutionCache<LockPackage[]>;
  readonly onProgress?: ProgressListener;
}

/**
 * Resolves a config for each of its archs as `apk add` would and records, per package, the
 * byte ranges and checksums of its three members (apko's `lock`). Packages are downloaded and
 * verified against the index (`C:`, size, datahash) to measure them; results are cached by
 * (repository URLs and index digests, arch, world), so locking an unchanged config again reads
 * no package at all.
 */
export async function makeLock(options: MakeLockOptions): Promise<ApkoLock> {
  const { config } = options.loaded;
  const progress = options.onProgress ?? IGNORE_PROGRESS;
  const keyEntries = await readKeyring(config.contents.keyring, options.fetcher);
  const keyring: ApkKeyring = keyringFromPems(keyEntries.map((k) => [basename(k.url), k.content ?? '']));
  const sources = [...config.contents.repositories, ...config.contents.buildRepositories];
  const repositories = sources.map((r) => parseRepository(r, 'contents.repositories'));
  const world = config.contents.packages.map((p) => parseWorldDependency(p));
  const packages: LockPackage[] = [];
  for (const arch of options.loaded.archs) {
    progress({ kind: 'start', task: `lock ${arch}` });
    const indexes = await loadIndexes({
      repositories,
      arch,
      keyring,
      fetcher: options.fetcher,
      allowUntrusted: options.allowUntrusted === true,
    });
    const key = resolutionKey({
      indexDigests: indexes.map((ix) => `${ix.indexUrl} ${ix.digest}`),
      arch,
      world: [...config.contents.packages],
    });
    const cached = await options.cache?.get(key);
    const entries = cached ?? (await resolveArch(indexes, arch, world, options));
    if (cached === undefined) await options.cache?.put(key, entries);
    packages.push(...entries);
    progress({ kind: 'finish', task: `lock ${arch}` });
  }
  return createLock({
    configName: options.loaded.path,
    configChecksum: options.loaded.checksum,
    keyring: keyEntries,
    buildRepositories: lockRepositoryEntries(config.contents.buildRepositories, options.loaded.archs),
    runtimeRepositories: lockRepositoryEntries(config.contents.runtimeRepositories, options.loaded.archs),
    repositories: lockRepositoryEntries(config.contents.repositories, options.loaded.archs),
    packages,
  });
}

async function resolveArch(
  indexes: readonly RepositoryIndex[],
  arch: string,
  world: ReturnType<typeof parseWorldDependency>[],
  options: MakeLockOptions,
): Promise<LockPackage[]> {
  const universe = buildUniverse(
    indexes.map((ix) => ({
      ...(ix.repository.tag !== undefined ? { tag: ix.repository.tag } : {}),
      packages: fromIndexRecords(ix.records),
    })),
  );
  const result = solve(universe, world);
  if (!result.ok) {
    throw new LarderError(
      'UNSATISFIABLE',
      `${options.loaded.path} (${arch}): ${renderProblems(result.problems).trimEnd()}`,
      {
        subject: options.loaded.path,
      },
    );
  }
  const out: LockPackage[] = [];
  for (const pkg of result.install) {
    const found = findRecord(indexes, pkg.checksum);
    const fetched = await fetchPackage({
      repository: found.repository,
      arch,
      record: found.record,
      fetcher: options.fetcher,
      stateDir: options.stateDir,
      allowUntrusted: options.allowUntrusted === true,
    });
    const m = fetched.package.members;
    const bytes = await readFile(fetched.path);
    const sha1 = (offset: number, length: number) =>
      createHash('sha1')
        .update(bytes.subarray(offset, offset + length))
        .digest();
    const data = m.data[0]!;
    out.push(
      lockPackageEntry({
        name: pkg.name,
        version: pkg.version,
        arch: found.record.arch ?? arch,
        url: fetched.url,
        members: {
          ...(m.signature
            ? { signature: { ...m.signature, sha1: sha1(m.signature.offset, m.signature.length) } }
            : {}),
          control: {
            offset: m.control.offset,
            length: m.control.length,
            sha1: sha1(m.control.offset, m.control.length),
          },
          data: {
            offset: data.offset,
            length: bytes.length - data.offset,
            sha256: Buffer.from(fetched.package.dataSha256, 'hex'),
          },
        },
      }),
    );
  }
  return out;
}

/** The repository a package is downloaded from: the first, in order, whose index holds it. */
function findRecord(
  indexes: readonly RepositoryIndex[],
  checksum: string,
): { repository: Repository; record: RepositoryIndex['records'][number] } {
  for (const ix of indexes) {
    const record = ix.records.find((r) => r.checksum === checksum);
    if (record) return { repository: ix.repository, record };
  }
  throw new LarderError('REPOSITORY_INVALID', `no repository holds the package with checksum ${checksum}`);
}

async function readKeyring(entries: readonly string[], fetcher: Fetcher): Promise<LockKeyring[]> {
  const out: LockKeyring[] = [];
  for (const entry of entries) {
    const content = (await fetchBytes(fetcher, entry)).toString('utf8');
    out.push(lockKeyringEntry(entry, content));
  }
  return out;
}

function basename(url: string): string {
  return url.slice(url.lastIndexOf('/') + 1);
}
