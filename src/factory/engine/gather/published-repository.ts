/**
 * The published repository as the plan reads it: each arch's served index
 * (`<repository.dir>/<arch>/APKINDEX.tar.gz`) joined with the recorded packages and builds for
 * each package's recipe hash and build time.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readApkIndex } from '../../../apk/index.js';
import { isLarderError, LarderError } from '../../../core/index.js';
import type { Store } from '../../../store/index.js';
import type { Workspace } from '../../model.js';
import type { PublishedPackage } from '../../plan/index.js';

export interface PublishedRepository {
  /** Per arch of the workspace: the packages of its index (an arch with no index yet: none). */
  readonly packages: Readonly<Record<string, readonly PublishedPackage[]>>;
  /** `sha256:<hex>` over every arch's index bytes (what image resolutions are cached by). */
  readonly digest: string;
}

/** Reads an index file; undefined when it does not exist yet. */
async function readIndexBytes(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new LarderError('IO', `cannot read the repository index ${path}: ${(error as Error).message}`, {
      cause: error,
      subject: path,
    });
  }
}

/** Parses an index; a damaged one throws its error code with the file named. */
function readIndex(bytes: Buffer, path: string): ReturnType<typeof readApkIndex> {
  try {
    return readApkIndex(bytes, { source: path });
  } catch (error) {
    if (!isLarderError(error) || error.message.includes(path)) throw error;
    throw new LarderError(error.code, `${path}: ${error.message}`, { cause: error, subject: path });
  }
}

/**
 * Per arch, the index's packages. The origin is the index's `o:` (else the name); recipe hash and
 * build time come from the build that published the package (factory_packages → factory_builds).
 * A package the factory has no record of gets an empty recipe hash and the epoch as build time,
 * so the plan rebuilds its recipe rather than trust it.
 */
export async function readPublishedRepository(
  workspace: Workspace,
  store: Store,
): Promise<PublishedRepository> {
  const recorded = await store.db
    .selectFrom('factory_packages as p')
    .leftJoin('factory_builds as b', 'b.key', 'p.build_key')
    .select(['p.name', 'p.version', 'p.arch', 'p.published_at', 'b.recipe_hash', 'b.finished_at'])
    .execute();
  const byId = new Map(recorded.map((r) => [`${r.arch}\u0000${r.name}\u0000${r.version}`, r]));
  const hash = createHash('sha256');
  const packages: Record<string, PublishedPackage[]> = {};
  for (const arch of [...workspace.config.repository.archs].sort()) {
    const path = join(workspace.config.repository.dir, arch, 'APKINDEX.tar.gz');
    const bytes = await readIndexBytes(path);
    hash.update(
      `${arch}\n${bytes === undefined ? 'none' : createHash('sha256').update(bytes).digest('hex')}\n`,
    );
    if (bytes === undefined) {
      packages[arch] = [];
      continue;
    }
    const index = readIndex(bytes, path);
    packages[arch] = index.records.map((record) => {
      const row = byId.get(`${arch}\u0000${record.name}\u0000${record.version}`);
      return {
        name: record.name,
        version: record.version,
        origin: record.origin ?? record.name,
        recipeHash: row?.recipe_hash ?? '',
        builtAt: row?.finished_at ?? row?.published_at ?? new Date(0).toISOString(),
      };
    });
  }
  return { packages, digest: `sha256:${hash.digest('hex')}` };
}
