import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { PackageRecord } from '../../apk/index.js';
import { IGNORE_PROGRESS, type ProgressListener } from '../../core/index.js';
import { type Fetcher, loadIndexes, parseRepository, type RepositoryIndex } from '../../repo/index.js';
import { imageWorld } from '../assemble/index.js';
import { basePins, loadBaseImage } from '../base/on-base.js';
import { readConfigKeyring, resolveAndFetch } from '../build/fetch-world.js';
import type { LoadedConfig } from '../config/load.js';
import { createLock, lockKeyringEntry, lockPackageEntry, lockRepositoryEntries } from './entries.js';
import type { ApkoLock, LockPackage } from './model.js';
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
  const { entries: keys, keyring } = await readConfigKeyring(config.contents.keyring, options.fetcher);
  const keyEntries = keys.map((k) => lockKeyringEntry(k.url, k.pem));
  const sources = [...config.contents.repositories, ...config.contents.buildRepositories];
  const repositories = sources.map((r) => parseRepository(r, 'contents.repositories'));
  // apko's Validate adds s6 to the world of a service bundle before resolving.
  const world = imageWorld(config);
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
    // apko's ResolveWithBase: the base's packages are pinned, resolvable, and never locked.
    const base = await loadBaseImage(options.loaded, arch);
    const preinstalled = base?.installed.map((p) => p.record) ?? [];
    const archWorld = [...world, ...basePins(base)];
    const key = resolutionKey({
      indexDigests: [
        ...indexes.map((ix) => `${ix.indexUrl} ${ix.digest}`),
        ...preinstalled.map((r) => `base ${r.checksum ?? `${r.name}-${r.version}`}`),
      ],
      arch,
      world: archWorld,
    });
    const cached = await options.cache?.get(key);
    const entries = cached ?? (await resolveArch(indexes, arch, archWorld, preinstalled, options));
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
  world: readonly string[],
  preinstalled: readonly PackageRecord[],
  options: MakeLockOptions,
): Promise<LockPackage[]> {
  const resolved = await resolveAndFetch({
    indexes,
    arch,
    world,
    preinstalled,
    fetcher: options.fetcher,
    stateDir: options.stateDir,
    allowUntrusted: options.allowUntrusted === true,
    source: options.loaded.path,
  });
  const out: LockPackage[] = [];
  for (const { pkg, record, fetched } of resolved) {
    const m = fetched.package.members;
    const bytes = await readFile(fetched.path);
    const sha1 = (offset: number, length: number) =>
      createHash('sha1')
        .update(bytes.subarray(offset, offset + length))
        .digest();
    const dataOffset = m.control.offset + m.control.length;
    out.push(
      lockPackageEntry({
        name: pkg.name,
        version: pkg.version,
        arch: record.arch ?? arch,
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
            offset: dataOffset,
            length: bytes.length - dataOffset,
            sha256: Buffer.from(fetched.package.dataSha256, 'hex'),
          },
        },
      }),
    );
  }
  return out;
}
