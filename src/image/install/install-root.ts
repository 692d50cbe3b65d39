import type { InstalledPackage } from '../../apk/index.js';
import { LarderError } from '../../core/index.js';
import { type Fetcher, loadIndexes, loadKeyringSources, parseRepository } from '../../repo/index.js';
import { type AssemblePackage, assembleRootfs } from '../assemble/index.js';
import { resolveAndFetch } from '../build/fetch-world.js';
import { EMPTY_IMAGE_CONFIG } from '../config/empty.js';
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
  const resolved = await resolveAndFetch({
    indexes,
    arch: options.arch,
    world: options.world,
    fetcher: options.fetcher,
    stateDir: options.stateDir,
    allowUntrusted: options.allowUntrusted === true,
    source: options.root,
  });
  const packages: AssemblePackage[] = resolved.map((r) => ({
    path: r.fetched.path,
    ...(r.repository.tag !== undefined ? { repositoryTag: r.repository.tag } : {}),
  }));
  const keys = [...keyring.keys].map(([name, key]) => ({
    name,
    pem: key.export({ type: 'spki', format: 'pem' }).toString(),
  }));
  const assembled = await assembleRootfs({
    arch: options.arch,
    packages,
    config: EMPTY_IMAGE_CONFIG,
    runtimeRepositories: options.repositories,
    keys,
    apkWorld: options.world,
    ...(options.sourceDateEpoch !== undefined ? { sourceDateEpoch: options.sourceDateEpoch } : {}),
  });
  await extractLayer(assembled.tar, options.root, options.onWarning ? { onWarning: options.onWarning } : {});
  return assembled.installed;
}
