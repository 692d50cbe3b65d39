import type { ApkKeyring, PackageRecord } from '../../apk/index.js';
import { keyringFromPems } from '../../apk/index.js';
import { LarderError } from '../../core/index.js';
import {
  type FetchedPackage,
  type Fetcher,
  fetchBytes,
  fetchPackage,
  type Repository,
  type RepositoryIndex,
} from '../../repo/index.js';
import {
  buildUniverse,
  fromIndexRecords,
  parseWorldDependency,
  renderProblems,
  type SolverPackage,
  solve,
} from '../../solver/index.js';

/** A resolved package, downloaded and verified against its index record. */
export interface WorldPackage {
  readonly pkg: SolverPackage;
  readonly repository: Repository;
  readonly record: PackageRecord;
  readonly fetched: FetchedPackage;
}

/** A config keyring entry with its PEM text. */
export interface KeyringEntry {
  readonly url: string;
  readonly name: string;
  readonly pem: string;
}

/** Reads every `contents.keyring` entry (path or URL) and builds the keyring from them. */
export async function readConfigKeyring(
  entries: readonly string[],
  fetcher: Fetcher,
): Promise<{ entries: KeyringEntry[]; keyring: ApkKeyring }> {
  const out: KeyringEntry[] = [];
  for (const url of entries) {
    const pem = (await fetchBytes(fetcher, url)).toString('utf8');
    out.push({ url, name: url.slice(url.lastIndexOf('/') + 1), pem });
  }
  return { entries: out, keyring: keyringFromPems(out.map((k) => [k.name, k.pem])) };
}

export interface ResolveAndFetchOptions {
  readonly indexes: readonly RepositoryIndex[];
  readonly arch: string;
  readonly world: readonly string[];
  readonly fetcher: Fetcher;
  readonly stateDir: string;
  readonly allowUntrusted?: boolean;
  /** Names the config in an unsatisfiable-world error. */
  readonly source: string;
  /**
   * Packages a base image already holds: they can satisfy the world, and are never fetched nor
   * returned (apko's `ResolveWithBase` drops resolved packages by name).
   */
  readonly preinstalled?: readonly PackageRecord[];
}

/**
 * Resolves a world as `apk add` would, then downloads each package of the install set (in
 * install order) from the first repository whose index holds it, verified against its record.
 */
export async function resolveAndFetch(options: ResolveAndFetchOptions): Promise<WorldPackage[]> {
  const preinstalled = options.preinstalled ?? [];
  const universe = buildUniverse([
    ...options.indexes.map((ix) => ({
      ...(ix.repository.tag !== undefined ? { tag: ix.repository.tag } : {}),
      packages: fromIndexRecords(ix.records),
    })),
    ...(preinstalled.length > 0 ? [{ packages: fromIndexRecords(preinstalled) }] : []),
  ]);
  const inBase = new Set(preinstalled.map((r) => r.name));
  const result = solve(
    universe,
    options.world.map((w) => parseWorldDependency(w)),
  );
  if (!result.ok) {
    throw new LarderError(
      'UNSATISFIABLE',
      `${options.source} (${options.arch}): ${renderProblems(result.problems).trimEnd()}`,
      {
        subject: options.source,
      },
    );
  }
  const out: WorldPackage[] = [];
  for (const pkg of result.install) {
    if (inBase.has(pkg.name)) continue;
    const { repository, record } = findRecord(options.indexes, pkg.checksum);
    const fetched = await fetchPackage({
      repository,
      arch: options.arch,
      record,
      fetcher: options.fetcher,
      stateDir: options.stateDir,
      allowUntrusted: options.allowUntrusted === true,
    });
    out.push({ pkg, repository, record, fetched });
  }
  return out;
}

/** The repository a package is downloaded from: the first, in order, whose index holds it. */
function findRecord(
  indexes: readonly RepositoryIndex[],
  checksum: string,
): { repository: Repository; record: PackageRecord } {
  for (const ix of indexes) {
    const record = ix.records.find((r) => r.checksum === checksum);
    if (record) return { repository: ix.repository, record };
  }
  throw new LarderError('REPOSITORY_INVALID', `no repository holds the package with checksum ${checksum}`);
}
