import type { Command } from 'commander';
import type { LoadedConfig } from '../image/index.js';
import { repeated } from './program.js';

/** The options of every command that reads an image config (docs/CLI.md: apko's append flags). */
export interface ConfigOptions {
  readonly arch?: string[];
  readonly repositoryAppend?: string[];
  readonly keyringAppend?: string[];
  readonly packageAppend?: string[];
  readonly allowUntrusted?: boolean;
  readonly offline?: boolean;
}

/** Adds `--arch`, apko's append flags, `--allow-untrusted` and `--offline` to a command. */
export function withConfigOptions(cmd: Command): Command {
  return cmd
    .option('--arch <arch>', "archs (repeatable, comma list; default: the config's)", repeated)
    .option('--repository-append <repo>', 'extra repository (repeatable)', repeated)
    .option('--keyring-append <key>', 'extra keyring entry (repeatable)', repeated)
    .option('--package-append <pkg>', 'extra world entry (repeatable)', repeated)
    .option('--allow-untrusted', 'accept indexes whose signature key is not in the keyring')
    .option('--offline', 'use only the download cache');
}

/** Loads a config with the command's `--arch` and append options applied. */
export async function loadConfigWithOptions(path: string, o: ConfigOptions): Promise<LoadedConfig> {
  // Imported here, not at the top: commands.ts loads this file at start-up, and the image
  // module (zod, yaml, oci, sbom) must not slow down commands that never read a config.
  const { loadImageConfig } = await import('../image/index.js');
  const archs = (o.arch ?? []).flatMap((a) => a.split(',')).filter((a) => a.trim() !== '');
  return loadImageConfig(path, {
    ...(archs.length ? { archs } : {}),
    ...(o.repositoryAppend ? { repositoryAppend: o.repositoryAppend } : {}),
    ...(o.keyringAppend ? { keyringAppend: o.keyringAppend } : {}),
    ...(o.packageAppend ? { packageAppend: o.packageAppend } : {}),
  });
}
