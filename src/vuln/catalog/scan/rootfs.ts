// From scanned layers to a catalog: apply the layers, keep the evidence of each path's final
// version, read the distribution and the installed databases, and link every language package
// to the APK whose file list holds its file (catalog.md §1 overlap rule).
import type { Catalog, Distro } from '../../model.js';
import { type InstalledApks, readInstalledApks } from '../apk/installed.js';
import { distroOf, type OsRelease, osReleaseFromApkRepositories, parseOsRelease } from '../apk/os-release.js';
import { assembleCatalog, type OwnedDraft } from '../assemble.js';
import type { PackageDraft } from '../package-draft.js';
import type { FileEvidence } from './analyze-file.js';
import { skipped } from './analyze-file.js';
import { APK_REPOSITORIES_PATH, INSTALLED_DB_PATHS, OS_RELEASE_PATHS } from './file-role.js';
import type { LayerScan } from './layer-collector.js';
import { VirtualFs } from './vfs.js';

/** How the filesystem's findings become a catalog. */
export interface RootfsCatalogInput {
  readonly source: Catalog['source'];
  /** Layers, lowest first (one for a directory). */
  readonly layers: readonly LayerScan[];
  /** Takes the place of what os-release says. */
  readonly distro?: Distro;
  /** Warnings gathered while reading the layers. */
  readonly warnings: string[];
}

/** Applies the layers and catalogues the resulting filesystem. */
export function catalogRootfs(input: RootfsCatalogInput): Catalog {
  const { vfs, files } = mergeLayers(input.layers);
  const warn = (m: string): void => {
    input.warnings.push(m);
  };
  const content = (path: string): Buffer | undefined => {
    const real = vfs.resolve(path);
    return real === undefined ? undefined : files.get(real)?.content;
  };

  let release: OsRelease | undefined;
  for (const path of OS_RELEASE_PATHS) {
    const text = content(path);
    release = text === undefined ? undefined : parseOsRelease(text.toString('utf8'));
    if (release !== undefined) break;
  }
  if (release === undefined) {
    const repos = content(APK_REPOSITORIES_PATH);
    if (repos !== undefined) release = osReleaseFromApkRepositories(repos.toString('utf8'));
  }
  if (input.distro !== undefined) release = { ...input.distro };

  // A file's path with its directory's symlinks followed (the file itself may be a symlink: an
  // APK owning `bin/sh` → busybox does not own busybox). Directories are few: resolve each once.
  const realDirs = new Map<string, string | undefined>();
  const realPath = (path: string): string | undefined => {
    const slash = path.lastIndexOf('/');
    if (slash < 0) return path;
    const dir = path.slice(0, slash);
    if (!realDirs.has(dir)) realDirs.set(dir, vfs.resolve(dir));
    const real = realDirs.get(dir);
    return real === undefined ? undefined : `${real === '' ? '' : `${real}/`}${path.slice(slash + 1)}`;
  };
  const apks: PackageDraft[] = [];
  const owners = new Map<string, number>();
  const seenDbs = new Set<string>();
  for (const path of INSTALLED_DB_PATHS) {
    const real = vfs.resolve(path);
    const text = real === undefined ? undefined : files.get(real)?.content;
    if (real === undefined || text === undefined || seenDbs.has(real)) continue;
    seenDbs.add(real);
    let db: InstalledApks;
    try {
      db = readInstalledApks(text.toString('utf8'), real, release);
    } catch (err) {
      warn(skipped(real, err));
      continue;
    }
    db.packages.forEach((pkg, i) => {
      const index = apks.length;
      apks.push(pkg);
      for (const file of db.files[i]!) {
        owners.set(file, index);
        const real = realPath(file);
        if (real !== undefined && !owners.has(real)) owners.set(real, index);
      }
    });
  }

  const language: OwnedDraft[] = [];
  for (const [path, evidence] of files) {
    for (const draft of evidence.packages ?? []) {
      const outer = (draft.locations[0] ?? path).split(':')[0]!;
      const owner = owners.get(outer) ?? owners.get(realPath(outer) ?? outer);
      language.push(owner === undefined ? { draft } : { draft, owner });
    }
  }
  return assembleCatalog({
    source: input.source,
    ...(release === undefined ? {} : { distro: distroOf(release) }),
    apks,
    language,
    warnings: input.warnings,
  });
}

/** The filesystem after every layer, and the evidence of each regular file's final version. */
export function mergeLayers(layers: readonly LayerScan[]): {
  vfs: VirtualFs;
  files: Map<string, FileEvidence>;
} {
  const vfs = new VirtualFs();
  layers.forEach((layer, index) => {
    vfs.apply(layer.ops, index);
  });
  const files = new Map<string, FileEvidence>();
  layers.forEach((layer, index) => {
    for (const [path, evidence] of layer.evidence) {
      const node = vfs.get(path);
      if (node?.type === 'file' && node.layer === index) files.set(path, evidence);
    }
  });
  return { vfs, files };
}
