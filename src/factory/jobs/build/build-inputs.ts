/**
 * What a factory build is given besides the recipe (docs/factory.md "Jobs"): the repositories and
 * keys its environment resolves from, its source directory, SOURCE_DATE_EPOCH, and how its build
 * events read in the job log.
 */
import { stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { BuildEvent } from '../../../build/index.js';
import { LarderError } from '../../../core/index.js';
import { INDEX_NAME } from '../../../repo/index.js';
import type { FactoryConfig } from '../../model.js';

/** Repositories and keys the build's environment resolves from. */
export interface BuildSources {
  readonly repositories: readonly string[];
  readonly keyring: readonly string[];
}

/**
 * The workspace repository (when it has an index for `arch` yet: packages built before this one)
 * and `repository.extra-repositories`; the repository key's `.pub` and `repository.extra-keyring`.
 */
export async function buildSources(config: FactoryConfig, arch: string): Promise<BuildSources> {
  const own = (await isFile(join(config.repository.dir, arch, INDEX_NAME))) ? [config.repository.dir] : [];
  return {
    repositories: [...own, ...config.repository.extraRepositories],
    keyring: [`${config.repository.signingKey}.pub`, ...config.repository.extraKeyring],
  };
}

/** `recipes/<name>/` beside the recipe file when it is a directory (melange `--source-dir`). */
export async function recipeSourceDir(recipeFile: string, name: string): Promise<string | undefined> {
  const dir = join(dirname(recipeFile), name);
  try {
    return (await stat(dir)).isDirectory() ? dir : undefined;
  } catch {
    return undefined;
  }
}

/**
 * SOURCE_DATE_EPOCH as the CLI reads it: unset or empty is 0 (reproducible by default).
 * @throws LarderError CONFIG_INVALID naming the value when it is not whole seconds.
 */
export function sourceDateEpochOf(env: NodeJS.ProcessEnv): number {
  const raw = env.SOURCE_DATE_EPOCH;
  if (raw === undefined || raw === '') return 0;
  if (!/^\d+$/.test(raw))
    throw new LarderError('CONFIG_INVALID', `SOURCE_DATE_EPOCH '${raw}': expected whole seconds since 1970`);
  return Number(raw);
}

/** A build event as one job-log line: `[step] text`, `[step] running (type) for package`, warnings. */
export function buildLogLine(event: BuildEvent): string {
  switch (event.kind) {
    case 'line':
      return `[${event.line.step}] ${event.line.text}`;
    case 'warning':
      return event.step === undefined
        ? `warning: ${event.message}`
        : `[${event.step}] warning: ${event.message}`;
    default:
      return `[${event.step}] running (${event.type}) for ${event.package}`;
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
