/**
 * s6 service bundles (apko `ValidateServiceBundle` and pkg/s6): `entrypoint.type:
 * service-bundle` runs `/bin/s6-svscan /sv` and adds the package `s6` to the world; each entry
 * of `entrypoint.services` becomes `/sv/<name>/run`, an execline script.
 */
import { LarderError } from '../../core/index.js';
import type { ImageConfig } from '../config/model.js';
import type { RootTree } from './tree.js';
import { ensureDir, writeFile } from './tree-files.js';

/** The entrypoint of a service bundle, as apko forces it. */
export const S6_COMMAND = '/bin/s6-svscan /sv';

/** True when the config asks for an s6 service bundle. */
export function isServiceBundle(config: ImageConfig): boolean {
  return config.entrypoint?.type === 'service-bundle';
}

/**
 * The world a config resolves and installs: `contents.packages`, plus `s6` for a service bundle
 * (appended even when listed already; apko lets the solver merge it).
 */
export function imageWorld(config: ImageConfig): string[] {
  return [...config.contents.packages, ...(isServiceBundle(config) ? ['s6'] : [])];
}

/**
 * apko `WriteSupervisionTree`: for every service (whatever the entrypoint type), the
 * directories `sv` and `sv/<name>` (created 0777 when missing) and `sv/<name>/run`, mode 0755,
 * `#!/bin/execlineb\n<command>\n`. Entries get `mtime`.
 *
 * @throws LarderError CONFIG_INVALID for a service name that is not one path component (apko
 *   would write `../x` outside `/sv`).
 */
export function writeSupervisionTree(
  tree: RootTree,
  services: Readonly<Record<string, string>> | undefined,
  mtime: number,
): void {
  for (const [name, command] of Object.entries(services ?? {})) {
    if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\0')) {
      throw new LarderError(
        'CONFIG_INVALID',
        `entrypoint.services: ${JSON.stringify(name)} is not a service name (one path component)`,
      );
    }
    const dir = ensureDir(tree, `sv/${name}`, 0o777, mtime);
    writeFile(tree, `${dir}/run`, `#!/bin/execlineb\n${command}\n`, { mode: 0o755 }, mtime);
  }
}
