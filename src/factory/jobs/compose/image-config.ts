/**
 * How the factory reads an image config and resolves it (docs/factory.md "Compose and rescan
 * jobs"): the workspace repository and the extra repositories are appended to the config's own,
 * the repository key's `.pub` and the extra keyring to its keyring, so a config names only
 * packages. The lock hash covers what resolution chose (arch, name, version, checksum of every
 * package), not where it came from: the planner compares it with the published version's.
 */
import { hexDigest } from '../../../core/index.js';
import { type ApkoLock, type LoadedConfig, loadImageConfig } from '../../../image/index.js';
import type { Workspace } from '../../model.js';

/** Loads `configFile` with the workspace's repositories and keys appended. */
export async function loadWorkspaceImageConfig(
  workspace: Workspace,
  configFile: string,
): Promise<LoadedConfig> {
  const { repository } = workspace.config;
  return loadImageConfig(configFile, {
    repositoryAppend: [repository.dir, ...repository.extraRepositories],
    keyringAppend: [`${repository.signingKey}.pub`, ...repository.extraKeyring],
  });
}

/** `sha256:<hex>` over `arch name version checksum` of each locked package, in lock order. */
export function imageLockHash(lock: ApkoLock): string {
  const lines = lock.contents.packages
    .map((p) => `${p.architecture} ${p.name} ${p.version} ${p.checksum ?? p.control.checksum}\n`)
    .join('');
  return `sha256:${hexDigest('sha256', lines)}`;
}
