import type { Command } from 'commander';
import { bumpRecipe, hostBuildArch, pipelineLibrary } from '../../build/index.js';
import { createFetcher } from '../../repo/index.js';
import { globalsOf } from '../program.js';

/** Options of `larder recipe bump`. */
export interface RecipeBumpOptions {
  readonly pipelineDir?: string[];
  readonly arch?: string;
}

/**
 * `larder recipe bump RECIPE VERSION`: sets the version, resets the epoch and refreshes the
 * checksums and commits of the sources the version changed, in place; prints `FILE: change`
 * per change on stdout.
 */
export async function recipeBumpCommand(
  recipe: string,
  version: string,
  raw: Record<string, unknown>,
  cmd: Command,
): Promise<void> {
  const o = raw as RecipeBumpOptions;
  const fetcher = createFetcher({ stateDir: globalsOf(cmd).stateDir });
  try {
    const result = await bumpRecipe({
      recipe,
      version,
      fetcher,
      library: pipelineLibrary(o.pipelineDir ?? []),
      arch: o.arch ?? hostBuildArch(),
    });
    process.stdout.write(result.changes.map((c) => `${recipe}: ${c}\n`).join(''));
  } finally {
    await fetcher.close();
  }
}
