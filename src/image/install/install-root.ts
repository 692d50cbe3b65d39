import type { InstalledPackage, PackageRecord } from '../../apk/index.js';
import { LarderError } from '../../core/index.js';
import {
  type Fetcher,
  fetchPackage,
  loadIndexes,
  loadKeyringSources,
  parseRepository,
  type RepositoryIndex,
} from '../../repo/index.js';
import {
  buildUniverse,
  fromIndexRecords,
  parseWorldDependency,
  renderProblems,
  solve,
} from '../../solver/index.js';
import { type AssemblePackage, assembleRootfs } from '../assemble/index.js';
import type { ImageConfig } from '../config/model.js';
import { assertEmptyOrMissing, extractLayer } from './extract.js';

export interface InstallRootOptions {
  /** Directory to create (must not exist, or be empty). */
  readonly root: string;
  /** `--repository` values (`URL` or `@tag URL`), in priority order. */
  readonly repositories: readonly string[];
  /** `--keyring` values: key files, directories or URLs. */
  readonly keyring: readonly string[];
  readonly arch: string;
  /** World entries, as `apk add` arguments. */
  readonly world: readonly string[];
  readonly fetcher: Fetcher;
  readonly stateDir: string;
  readonly allowUntrusted?: boolean;
  readonly sourceDateEpoch?: number;
  readonly onWarning?: (message: string) => void;
}

const EMPTY_CONFIG: ImageConfig = {
  contents: {
    repositories: [],
    buildRepositories: [],
    runtimeRepositories: [],
    keyring: [],
    runtimeKeyring: [],
    packages: [],
  },
  accounts: { users: [], groups: [] },
  archs: [],
  paths: [],
  volumes: [],
};

/**
 * `apk add --root ROOT --initdb PKG...` done natively: resolve the world against verified
 * indexes, fetch and verify each package, assemble the root filesystem exactly as an image's
 * (apk database, world, repositories, keys, devices) and extract it into `root`.
 * Returns the installed database in install order.
 */
export async function installRoot(options: InstallRootOptions): Promise<InstalledPackage[]> {
  if (options.world.length === 0) throw new LarderError('USAGE', 'give at least one package to install');
  const repositories = options.repositories.map((r) => parseRepository(r));
  if (repositories.length === 0) throw new LarderError('USAGE', 'give at least one --repository');
  await assertEmptyOrMissing(options.root);
  const keyring = await loadKeyringSources(options.keyring, options.fetcher);
  const indexes = await loadIndexes({
    repositories,
    arch: options.arch,
    keyring,
    fetcher: options.fetcher,
    allowUntrusted: options.allowUntrusted === true,
  });
  const universe = buildUniverse(
    indexes.map((ix) => ({
      ...(ix.repository.tag !== undefined ? { tag: ix.repository.tag } : {}),
      packages: fromIndexRecords(ix.records),
    })),
  );
  const result = solve(
    universe,
    options.world.map((w) => parseWorldDependency(w)),
  );
  if (!result.ok) throw new LarderError('UNSATISFIABLE', renderProblems(result.problems).trimEnd());
  const packages: AssemblePackage[] = [];
  for (const chosen of result.install) {
    const { index, record } = findRecord(indexes, chosen.checksum, chosen.name);
    const fetched = await fetchPackage({
      repository: index.repository,
      arch: options.arch,
      record,
      fetcher: options.fetcher,
      stateDir: options.stateDir,
      allowUntrusted: options.allowUntrusted === true,
    });
    packages.push({
      path: fetched.path,
      ...(index.repository.tag !== undefined ? { repositoryTag: index.repository.tag } : {}),
    });
  }
  const keys = [...keyring.keys].map(([name, key]) => ({
    name,
    pem: key.export({ type: 'spki', format: 'pem' }).toString(),
  }));
  const assembled = await assembleRootfs({
    arch: options.arch,
    packages,
    config: EMPTY_CONFIG,
    runtimeRepositories: options.repositories,
    keys,
    world: options.world,
    ...(options.sourceDateEpoch !== undefined ? { sourceDateEpoch: options.sourceDateEpoch } : {}),
  });
  await extractLayer(assembled.tar, options.root, options.onWarning ? { onWarning: options.onWarning } : {});
  return assembled.installed;
}

function findRecord(
  indexes: readonly RepositoryIndex[],
  checksum: string,
  name: string,
): { index: RepositoryIndex; record: PackageRecord } {
  for (const index of indexes) {
    const record = index.records.find((r) => r.checksum === checksum);
    if (record !== undefined) return { index, record };
  }
  throw new LarderError('PACKAGE_INVALID', `resolved ${name} (${checksum}) is in no loaded index`);
}
