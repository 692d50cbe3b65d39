import type { Command } from 'commander';
import { fileResolutionCache, type LockPackage, makeLock, writeLockFile } from '../../image/index.js';
import { createFetcher } from '../../repo/index.js';
import { loadConfigWithOptions } from '../config-options.js';
import { globalsOf } from '../program.js';

interface LockOptions {
  readonly output: string;
  readonly arch?: string[];
  readonly repositoryAppend?: string[];
  readonly keyringAppend?: string[];
  readonly packageAppend?: string[];
  readonly allowUntrusted?: boolean;
  readonly offline?: boolean;
}

/** `larder lock CONFIG.yaml -o apko.lock.json [--arch A]...`: prints the lock file written. */
export async function lockCommand(
  configPath: string,
  raw: Record<string, unknown>,
  cmd: Command,
): Promise<void> {
  const o = raw as unknown as LockOptions;
  const { stateDir } = globalsOf(cmd);
  const loaded = await loadConfigWithOptions(configPath, o);
  const fetcher = createFetcher({ stateDir, offline: o.offline === true });
  try {
    const lock = await makeLock({
      loaded,
      fetcher,
      stateDir,
      allowUntrusted: o.allowUntrusted === true,
      cache: fileResolutionCache<LockPackage[]>(stateDir),
    });
    await writeLockFile(o.output, lock);
  } finally {
    await fetcher.close();
  }
  process.stdout.write(`${o.output}\n`);
}
