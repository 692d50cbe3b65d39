import type { Store } from '../../store/index.js';

/** One build of a recipe for an arch (a build job's record), keyed by its job key. */
export interface BuildRecord {
  readonly key: string;
  readonly recipe: string;
  /** `<version>-r<epoch>`. */
  readonly version: string;
  readonly arch: string;
  readonly recipeHash: string;
  readonly status: 'running' | 'succeeded' | 'failed';
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly logPath?: string;
  readonly error?: string;
}

/** Records a build, or replaces the record of the same key (a retry, or its end). */
export async function recordBuild(store: Store, build: BuildRecord): Promise<void> {
  const row = {
    recipe: build.recipe,
    version: build.version,
    arch: build.arch,
    recipe_hash: build.recipeHash,
    status: build.status,
    started_at: build.startedAt,
    finished_at: build.finishedAt ?? null,
    log_path: build.logPath ?? null,
    error: build.error ?? null,
  };
  await store.write((db) =>
    db
      .insertInto('factory_builds')
      .values({ key: build.key, ...row })
      .onConflict((c) => c.column('key').doUpdateSet(row))
      .execute(),
  );
}

/** Builds, newest first, optionally of one recipe or status. */
export async function listBuilds(
  store: Store,
  filter: { readonly recipe?: string; readonly status?: BuildRecord['status']; readonly limit?: number } = {},
): Promise<BuildRecord[]> {
  const rows = await store.db
    .selectFrom('factory_builds')
    .selectAll()
    .$if(filter.recipe !== undefined, (q) => q.where('recipe', '=', filter.recipe as string))
    .$if(filter.status !== undefined, (q) => q.where('status', '=', filter.status as string))
    .orderBy('started_at', 'desc')
    .orderBy('key', 'asc')
    .$if(filter.limit !== undefined, (q) => q.limit(filter.limit as number))
    .execute();
  return rows.map((r) => ({
    key: r.key,
    recipe: r.recipe,
    version: r.version,
    arch: r.arch,
    recipeHash: r.recipe_hash,
    status: r.status as BuildRecord['status'],
    startedAt: r.started_at,
    ...(r.finished_at === null ? {} : { finishedAt: r.finished_at }),
    ...(r.log_path === null ? {} : { logPath: r.log_path }),
    ...(r.error === null ? {} : { error: r.error }),
  }));
}

/** A package the factory published. */
export interface PackageRecord {
  readonly name: string;
  readonly version: string;
  readonly arch: string;
  readonly origin: string;
  /** APKINDEX `C:` (`Q1...`). */
  readonly checksum: string;
  readonly size: number;
  /** The build job that produced it. */
  readonly buildKey?: string;
  readonly publishedAt: string;
}

/** Records published packages (one transaction); a republished name-version-arch is replaced. */
export async function recordPackages(store: Store, packages: readonly PackageRecord[]): Promise<void> {
  if (packages.length === 0) return;
  await store.write(async (db) => {
    for (const p of packages) {
      const row = {
        origin: p.origin,
        checksum: p.checksum,
        size: p.size,
        build_key: p.buildKey ?? null,
        published_at: p.publishedAt,
      };
      await db
        .insertInto('factory_packages')
        .values({ name: p.name, version: p.version, arch: p.arch, ...row })
        .onConflict((c) => c.columns(['name', 'version', 'arch']).doUpdateSet(row))
        .execute();
    }
  });
}

/** Published packages by name, then publication time; optionally of one name or origin. */
export async function listPackages(
  store: Store,
  filter: { readonly name?: string; readonly origin?: string } = {},
): Promise<PackageRecord[]> {
  const rows = await store.db
    .selectFrom('factory_packages')
    .selectAll()
    .$if(filter.name !== undefined, (q) => q.where('name', '=', filter.name as string))
    .$if(filter.origin !== undefined, (q) => q.where('origin', '=', filter.origin as string))
    .orderBy('name')
    .orderBy('published_at')
    .orderBy('arch')
    .execute();
  return rows.map((r) => ({
    name: r.name,
    version: r.version,
    arch: r.arch,
    origin: r.origin,
    checksum: r.checksum,
    size: Number(r.size),
    ...(r.build_key === null ? {} : { buildKey: r.build_key }),
    publishedAt: r.published_at,
  }));
}
