import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import {
  type ApkArch,
  dependencyMatches,
  formatInstalledDb,
  type InstalledPackage,
  keyringFromPems,
  parseDependency,
} from '../../apk/index.js';
import { readTar, TAR_END_BLOCKS, tarEntry } from '../../archive/index.js';
import { LarderError, type ProgressListener } from '../../core/index.js';
import {
  assembleRootfs,
  EMPTY_IMAGE_CONFIG,
  type PackageSource,
  resolveAndFetch,
  type WorldPackage,
} from '../../image/index.js';
import { type LayerBlob, writeLayerBlob } from '../../oci/index.js';
import { type Fetcher, loadIndexes, parseRepository } from '../../repo/index.js';
import { parseWorldDependency } from '../../solver/index.js';
import { applyToRoot } from './apply-root.js';
import { type ChangedEntry, layerChanges } from './layer-changes.js';
import { readRootApkState } from './root-state.js';

/** Options of {@link apkAdd}. */
export interface ApkAddOptions {
  /** The stage's root filesystem, holding the image's files with their real ownership. */
  readonly root: string;
  /** World entries as `apk add` takes them: `name`, `name=1.2-r0`, `name>1.2`, `so:libz.so.1`, `cmd:sh`. */
  readonly packages: readonly string[];
  /** The current installed database; read from the root when not given. */
  readonly installed?: readonly InstalledPackage[];
  /** `/etc/apk/repositories`-style lines (`@tag URL` allowed), in priority order. */
  readonly repositories: readonly string[];
  readonly keys: ReadonlyArray<{ readonly name: string; readonly pem: string }>;
  readonly arch: ApkArch;
  readonly fetcher: Fetcher;
  readonly stateDir: string;
  /** The layer blob goes to `<blobsDir>/sha256/<hex>`. */
  readonly blobsDir: string;
  /** mtime of every written entry; 0 by default (the composer's choice). */
  readonly sourceDateEpoch?: number;
  readonly allowUntrusted?: boolean;
  readonly onProgress?: ProgressListener;
}

/** What one native `apk add` did. */
export interface ApkAddResult {
  /** One layer: the new packages' files and the changed database files only. */
  readonly layer: LayerBlob;
  /** The whole new database: the old records, then the new ones in install order. */
  readonly installed: InstalledPackage[];
  /** The packages installed, for the SBOM and provenance. */
  readonly added: PackageSource[];
  /** The new `/etc/apk/world`, sorted. */
  readonly world: string[];
}

/**
 * `RUN apk add PKG...` without a shell in the image: the world (the root's `/etc/apk/world` plus
 * the new entries) is resolved against the repositories' verified indexes with every installed
 * package pinned at its version (so nothing installed is upgraded or replaced: a world that
 * needs that is UNSATISFIABLE, saying so), the new packages are fetched and verified, and the
 * composer's assembleRootfs lays them over the installed database exactly as it does for a base
 * image (install order, `replaces`, scripts.tar, triggers, busybox links; scripts recorded, not
 * run). What differs from the root becomes ONE deterministic layer and is written into the root.
 *
 * @throws LarderError WORLD_INVALID for a malformed entry, UNSATISFIABLE with the solver's
 *   explanation naming the package, SIGNATURE_* / REPOSITORY_INVALID / FETCH_* for a repository
 *   that cannot be trusted or read, PACKAGE_INVALID for a file conflict.
 */
export async function apkAdd(options: ApkAddOptions): Promise<ApkAddResult> {
  const what = `apk add ${options.packages.join(' ')}`;
  if (options.packages.length === 0) throw new LarderError('WORLD_INVALID', 'apk add: no package named');
  const named = new Set(options.packages.map((p) => nameOf(p, what)));
  const state = await readRootApkState(options.root);
  const installed = structuredClone([...(options.installed ?? state.installed)]);
  refuseChanges(options.packages, installed, what);
  // apk keeps one world entry per name: a new entry replaces the old one.
  const kept = state.world.filter((w) => !named.has(nameOf(w, '/etc/apk/world')));
  const world = [...new Set([...kept, ...options.packages])].sort(byBytes);
  const resolved = await resolve(options, installed, world, what);
  const added: PackageSource[] = [];
  for (const r of resolved) added.push(await sourceOf(r, options.arch));
  const mtime = options.sourceDateEpoch ?? 0;
  const rootfs = await assembleRootfs({
    arch: options.arch,
    packages: resolved.map((r) => ({
      path: r.fetched.path,
      ...(r.repository.tag !== undefined ? { repositoryTag: r.repository.tag } : {}),
    })),
    config: EMPTY_IMAGE_CONFIG,
    sourceDateEpoch: mtime,
    runtimeRepositories: state.repositories,
    keys: [],
    apkWorld: world,
    baseInstalled: installed,
  });
  const newRecords = rootfs.installed.slice(installed.length);
  let all: InstalledPackage[] = [];
  const entries = await layerChanges(rootfs.tar, {
    root: options.root,
    dbDir: state.dbDir,
    before: installed,
    added: newRecords,
    dbFiles: (edited, composed) => {
      all = [...edited.before, ...edited.added];
      const files = new Map<string, Buffer>([['installed', Buffer.from(formatInstalledDb(all))]]);
      const newScripts = readTar(composed.get('scripts.tar') ?? Buffer.alloc(0));
      if (newScripts.length > 0 || state.scriptsTar.length === 0)
        files.set('scripts.tar', scriptsTar([...readTar(state.scriptsTar), ...newScripts], mtime));
      const triggers = composed.get('triggers')?.toString('utf8') ?? '';
      if (triggers !== '' || state.triggers === '')
        files.set('triggers', Buffer.from(state.triggers + triggers));
      return files;
    },
  });
  const layer = await writeLayerBlob(layerTar(entries), {
    blobsDir: options.blobsDir,
    ...(options.onProgress !== undefined ? { onProgress: options.onProgress } : {}),
  });
  await applyToRoot(options.root, entries);
  return { layer, installed: all, added, world };
}

async function resolve(
  options: ApkAddOptions,
  installed: readonly InstalledPackage[],
  world: readonly string[],
  what: string,
): Promise<WorldPackage[]> {
  const repositories = options.repositories.map((r) => parseRepository(r, 'apk add repositories'));
  const keyring = keyringFromPems(options.keys.map((k) => [k.name, k.pem]));
  const allowUntrusted = options.allowUntrusted === true;
  const indexes = await loadIndexes({
    repositories,
    arch: options.arch,
    keyring,
    fetcher: options.fetcher,
    allowUntrusted,
  });
  // Installed packages stay as they are: their pins come last (the solver keeps a name's last entry).
  const pins = installed.map((p) => `${p.record.name}=${p.record.version}`);
  try {
    return await resolveAndFetch({
      indexes,
      arch: options.arch,
      world: [...world, ...pins],
      preinstalled: installed.map((p) => p.record),
      fetcher: options.fetcher,
      stateDir: options.stateDir,
      allowUntrusted,
      source: what,
    });
  } catch (err) {
    if (!(err instanceof LarderError) || err.code !== 'UNSATISFIABLE' || pins.length === 0) throw err;
    throw new LarderError(
      'UNSATISFIABLE',
      `${err.message}\n(installed packages stay at their versions: a native apk add never upgrades or replaces them)`,
      { cause: err, subject: what },
    );
  }
}

function nameOf(entry: string, where: string): string {
  try {
    return parseWorldDependency(entry).name;
  } catch (err) {
    throw new LarderError('WORLD_INVALID', `${where}: ${JSON.stringify(entry)}: ${(err as Error).message}`, {
      cause: err,
      subject: entry,
    });
  }
}

/**
 * An entry naming an installed package must be met by the installed version: upgrading,
 * downgrading or removing (`!name`) installed packages is what a native apk add refuses.
 */
function refuseChanges(
  entries: readonly string[],
  installed: readonly InstalledPackage[],
  what: string,
): void {
  for (const entry of entries) {
    const dep = parseWorldDependency(entry);
    const have = installed.find((p) => p.record.name === dep.name)?.record;
    if (have === undefined) continue;
    let met = !dep.conflict;
    if (met && dep.op !== '<~' && dep.op !== '>~')
      met = dependencyMatches(parseDependency(entry), have.name, have.version);
    if (!met)
      throw new LarderError(
        'UNSATISFIABLE',
        `${what}: ${entry}: ${have.name}-${have.version} is installed, and a native apk add never upgrades, ` +
          'downgrades or removes installed packages (build on a base image that has the version you need)',
        { subject: entry },
      );
  }
}

async function sourceOf(r: WorldPackage, arch: string): Promise<PackageSource> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(r.fetched.path)) hash.update(chunk as Buffer);
  return {
    name: r.record.name,
    version: r.record.version,
    arch: r.record.arch ?? arch,
    url: r.fetched.url,
    sha256: hash.digest('hex'),
    checksum: r.fetched.package.checksum,
  };
}

/** apk's scripts.tar: each script a root-owned file, then the end-of-archive blocks. */
function scriptsTar(scripts: ReturnType<typeof readTar>, mtime: number): Buffer {
  const parts = scripts.map((s) =>
    tarEntry({ name: s.header.name, type: 'file', mode: s.header.mode, mtime, uid: 0, gid: 0 }, s.data),
  );
  return Buffer.concat([...parts, TAR_END_BLOCKS]);
}

function* layerTar(entries: readonly ChangedEntry[]): Generator<Buffer> {
  for (const { entry, data } of entries) yield tarEntry(entry, data);
  yield TAR_END_BLOCKS;
}

function byBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
