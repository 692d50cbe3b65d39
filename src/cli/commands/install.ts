import type { Command } from 'commander';
import { hostApkArch, toApkArch } from '../../apk/index.js';
import { LarderError } from '../../core/index.js';
import { installRoot } from '../../image/index.js';
import { createFetcher } from '../../repo/index.js';
import { sourceDateEpoch } from '../environment.js';
import { globalsOf } from '../program.js';

interface InstallOptions {
  readonly root?: string;
  readonly repository?: string[];
  readonly keyring?: string[];
  readonly arch?: string;
  readonly allowUntrusted?: boolean;
  readonly offline?: boolean;
}

/**
 * `larder install --root DIR --repository R... --keyring K... [--arch A] PKG...`: installs the
 * packages and their dependencies into a new root with an apk database, as
 * `apk add --root DIR --initdb` does. Prints `name version` per installed package, in install order.
 */
export async function installCommand(
  pkgs: readonly string[],
  opts: InstallOptions,
  cmd: Command,
): Promise<void> {
  if (opts.root === undefined || opts.root === '') throw new LarderError('USAGE', 'give --root DIR');
  const { stateDir } = globalsOf(cmd);
  const fetcher = createFetcher({ stateDir, offline: opts.offline === true });
  try {
    const installed = await installRoot({
      root: opts.root,
      repositories: opts.repository ?? [],
      keyring: opts.keyring ?? [],
      arch: opts.arch !== undefined ? toApkArch(opts.arch) : hostApkArch(),
      world: pkgs,
      fetcher,
      stateDir,
      allowUntrusted: opts.allowUntrusted === true,
      sourceDateEpoch: sourceDateEpoch(),
      onWarning: (message) => process.stderr.write(`larder: warning: ${message}\n`),
    });
    process.stdout.write(installed.map((p) => `${p.record.name} ${p.record.version}\n`).join(''));
  } finally {
    await fetcher.close();
  }
}
