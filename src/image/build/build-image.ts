import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import type { ApkArch, InstalledPackage } from '../../apk/index.js';
import { IGNORE_PROGRESS, type ProgressListener, writeFileAtomic } from '../../core/index.js';
import { type ImageInput, type LayerBlob, platformFor, writeLayerBlob } from '../../oci/index.js';
import { type Fetcher, loadIndexes, parseRepository } from '../../repo/index.js';
import type { SbomPackage } from '../../sbom/index.js';
import { assembleRootfs, imageWorld, type OsRelease } from '../assemble/index.js';
import { basePins, loadBaseImage, stackOnBase } from '../base/on-base.js';
import type { BaseImage } from '../base/read-base-image.js';
import type { LoadedConfig } from '../config/load.js';
import { rootfsLayers } from '../layering/rootfs-layers.js';
import { fetchLockedPackages } from '../lock/fetch-locked.js';
import { lockedWorld } from '../lock/fresh.js';
import type { ApkoLock } from '../lock/model.js';
import { readConfigKeyring, resolveAndFetch } from './fetch-world.js';
import { containerConfigFor, imageAnnotations } from './oci-config.js';

export interface BuildImagesOptions {
  readonly loaded: LoadedConfig;
  readonly fetcher: Fetcher;
  readonly stateDir: string;
  /** A private scratch directory: layer blobs land in `<workDir>/blobs/sha256/`. */
  readonly workDir: string;
  readonly allowUntrusted?: boolean;
  /** SOURCE_DATE_EPOCH; without it the newest package build time is used, as apko does. */
  readonly sourceDateEpoch?: number;
  /** Build exactly these packages (no resolution): `--lockfile`. */
  readonly lock?: ApkoLock;
  readonly level?: number;
  readonly onProgress?: ProgressListener;
  /** One layer whatever `layering` says (a rootfs tarball is one tree). */
  readonly singleLayer?: boolean;
}

/** Where one installed package came from: what provenance lists as a resolved dependency. */
export interface PackageSource {
  readonly name: string;
  readonly version: string;
  /** The index's `A:` (may be `noarch`). */
  readonly arch: string;
  /** The `.apk` it was downloaded from (or a base image's package, which has none). */
  readonly url: string;
  /** sha256 hex of the whole `.apk` file as fetched. */
  readonly sha256: string;
  /** apk's identity checksum `Q1<base64>` of the control member. */
  readonly checksum: string;
}

/** One arch's image: its layer blobs, OCI input and what went into it (for SBOMs). */
export interface BuiltImage {
  readonly arch: ApkArch;
  /** Bottom first: one layer, or the package layers and the top layer with `layering`. */
  readonly layers: readonly LayerBlob[];
  readonly image: ImageInput;
  readonly installed: readonly InstalledPackage[];
  readonly osRelease?: OsRelease;
  readonly created: number;
  readonly packages: readonly SbomPackage[];
  /** The packages this build installed (not those of a base image), in install order. */
  readonly sources: readonly PackageSource[];
}

/**
 * Builds one image per arch of the config: resolve the world (or take the lock's packages,
 * checked against every locked hash), download and verify packages, stream their data into the
 * layer tar (assembleRootfs; several layers with `layering`, see rootfsLayers) and compress
 * each in parallel (writeLayerBlob). Install scripts are recorded in scripts.tar, never run.
 */
export async function buildImages(
  options: BuildImagesOptions,
): Promise<{ images: BuiltImage[]; warnings: string[] }> {
  const { loaded } = options;
  const { config } = loaded;
  const progress = options.onProgress ?? IGNORE_PROGRESS;
  const { entries: keys, keyring } = await readConfigKeyring(config.contents.keyring, options.fetcher);
  const repositories = [...config.contents.repositories, ...config.contents.buildRepositories].map((r) =>
    parseRepository(r, 'contents.repositories'),
  );
  const images: BuiltImage[] = [];
  const warnings: string[] = [];
  for (const arch of loaded.archs) {
    progress({ kind: 'start', task: `image ${arch}` });
    const base = await loadBaseImage(loaded, arch);
    const fetched = await fetchImagePackages(options, arch, repositories, keyring, warnings, base);
    const rootfs = await assembleRootfs({
      arch,
      packages: fetched.map((f) => ({ path: f.path })),
      config,
      ...(options.sourceDateEpoch !== undefined ? { sourceDateEpoch: options.sourceDateEpoch } : {}),
      runtimeRepositories: [...config.contents.repositories, ...config.contents.runtimeRepositories],
      keys: keys.map((k) => ({ name: k.name, pem: k.pem })),
      ...(base ? { baseInstalled: base.installed } : {}),
      ...(options.lock ? { lockedPackages: lockedWorld(options.lock, arch).world } : {}),
    });
    const layers: LayerBlob[] = [];
    for (const tar of options.singleLayer ? [rootfs.tar] : rootfsLayers(rootfs, config.layering)) {
      layers.push(
        await writeLayerBlob(tar, {
          blobsDir: join(options.workDir, 'blobs'),
          ...(options.level !== undefined ? { level: options.level } : {}),
          onProgress: progress,
        }),
      );
    }
    const created = new Date(rootfs.created * 1000).toISOString().replace(/\.000Z$/, 'Z');
    const annotations = imageAnnotations(config, created);
    const image: ImageInput = stackOnBase(base, {
      platform: platformFor(arch),
      config: {
        created,
        config: containerConfigFor(config, annotations),
        history: layers.map(() => ({ created, created_by: 'larder', comment: 'larder image build' })),
      },
      layers: layers.map((l) => ({ digest: l.digest, size: l.size, diffId: l.diffId, blobPath: l.path })),
      annotations,
    });
    images.push({
      arch,
      layers,
      image,
      installed: rootfs.installed,
      ...(rootfs.osRelease ? { osRelease: rootfs.osRelease } : {}),
      created: rootfs.created,
      packages: rootfs.installed.map((p) => sbomPackageOf(p, arch)),
      sources: fetched.map((f) => f.source),
    });
    progress({ kind: 'finish', task: `image ${arch}` });
  }
  return { images, warnings };
}

interface FetchedImagePackage {
  readonly path: string;
  readonly source: PackageSource;
}

async function fetchImagePackages(
  options: BuildImagesOptions,
  arch: ApkArch,
  repositories: ReturnType<typeof parseRepository>[],
  keyring: Awaited<ReturnType<typeof readConfigKeyring>>['keyring'],
  warnings: string[],
  base: BaseImage | undefined,
): Promise<FetchedImagePackage[]> {
  const inBase = new Set(base?.installed.map((p) => p.record.name));
  if (options.lock) {
    const locked = await fetchLockedPackages({
      lock: options.lock,
      arch,
      configChecksum: options.loaded.checksum,
      fetcher: options.fetcher,
      stateDir: options.stateDir,
    });
    if (locked.warning) warnings.push(locked.warning);
    const out: FetchedImagePackage[] = [];
    for (const [i, p] of locked.packages.entries()) {
      if (inBase.has(p.entry.name)) continue;
      const path = join(options.workDir, 'locked', arch, `${i}-${p.entry.name}-${p.entry.version}.apk`);
      await writeFileAtomic(path, p.bytes);
      // The lock's hashes matched; assembly reads the data and checks datahash and every file.
      const e = p.entry;
      const sha256 = createHash('sha256').update(p.bytes).digest('hex');
      const source = {
        name: e.name,
        version: e.version,
        arch: e.architecture,
        url: e.url,
        sha256,
        checksum: p.package.checksum,
      };
      out.push({ path, source });
    }
    return out;
  }
  const indexes = await loadIndexes({
    repositories,
    arch,
    keyring,
    fetcher: options.fetcher,
    allowUntrusted: options.allowUntrusted === true,
  });
  const resolved = await resolveAndFetch({
    indexes,
    arch,
    world: [...imageWorld(options.loaded.config), ...basePins(base)],
    preinstalled: base?.installed.map((p) => p.record) ?? [],
    fetcher: options.fetcher,
    stateDir: options.stateDir,
    allowUntrusted: options.allowUntrusted === true,
    source: options.loaded.path,
  });
  const out: FetchedImagePackage[] = [];
  for (const r of resolved) {
    const source = {
      name: r.record.name,
      version: r.record.version,
      arch: r.record.arch ?? arch,
      url: r.fetched.url,
      sha256: await sha256File(r.fetched.path),
      checksum: r.fetched.package.checksum,
    };
    out.push({ path: r.fetched.path, source });
  }
  return out;
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The SBOM's view of one installed package. */
export function sbomPackageOf(p: InstalledPackage, arch: string): SbomPackage {
  const r = p.record;
  return {
    name: r.name,
    version: r.version,
    arch: r.arch ?? arch,
    ...(r.origin !== undefined ? { origin: r.origin } : {}),
    ...(r.license !== undefined ? { license: r.license } : {}),
    ...(r.description !== undefined ? { description: r.description } : {}),
    ...(r.url !== undefined ? { url: r.url } : {}),
    ...(r.checksum !== undefined ? { checksum: { control: r.checksum } } : {}),
  };
}
