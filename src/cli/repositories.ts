import { toApkArch } from '../apk/index.js';
import { LarderError } from '../core/index.js';
import {
  type ClosableFetcher,
  createFetcher,
  loadIndexes,
  loadKeyringSources,
  parseRepository,
  type RepositoryIndex,
} from '../repo/index.js';
import { buildUniverse, type SolverUniverse } from '../solver/index.js';
import { solverPackagesOf } from './solver-cache.js';

/** The repository options shared by commands that resolve packages. */
export interface RepositoryOptions {
  readonly repository?: string[];
  readonly keyring?: string[];
  readonly arch?: string[];
  readonly allowUntrusted?: boolean;
  readonly offline?: boolean;
}

/** Splits repeated and comma-separated `--arch` values into apk arch names (OCI aliases allowed). */
export function archesOf(values: readonly string[] | undefined): string[] {
  const out: string[] = [];
  for (const v of values ?? []) for (const a of v.split(',')) if (a.trim()) out.push(toApkArch(a.trim()));
  return [...new Set(out)];
}

/**
 * Loads and verifies every repository's index for one arch (each parsed once) and builds the
 * solver's universe from them, in repository order.
 */
export async function loadUniverse(
  opts: RepositoryOptions,
  arch: string,
  stateDir: string,
): Promise<{ universe: SolverUniverse; indexes: RepositoryIndex[]; fetcher: ClosableFetcher }> {
  const repositories = (opts.repository ?? []).map((r) => parseRepository(r));
  if (repositories.length === 0) throw new LarderError('USAGE', 'give at least one --repository');
  const fetcher = createFetcher({ stateDir, offline: opts.offline === true });
  try {
    const keyring = await loadKeyringSources(opts.keyring ?? [], fetcher);
    const indexes = await loadIndexes({
      repositories,
      arch,
      keyring,
      fetcher,
      allowUntrusted: opts.allowUntrusted === true,
    });
    const repositoriesForSolver = [];
    for (const ix of indexes) {
      const packages = await solverPackagesOf(ix, stateDir);
      repositoriesForSolver.push({
        ...(ix.repository.tag !== undefined ? { tag: ix.repository.tag } : {}),
        packages,
      });
    }
    const universe = buildUniverse(repositoriesForSolver);
    return { universe, indexes, fetcher };
  } catch (err) {
    await fetcher.close();
    throw err;
  }
}
