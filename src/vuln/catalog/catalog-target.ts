// What a target is, told from the path itself (directory with or without `oci-layout`, the first
// bytes of a file), or a registry reference; and the catalog of it.
import { open, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync, constants as zlib } from 'node:zlib';
import { LarderError } from '../../core/index.js';
import { type ImageReference, parseImageReference } from '../../oci/index.js';
import type { Catalog, Distro } from '../model.js';
import { cycloneDxEntries, isCycloneDx, isSpdx, spdxEntries } from './sbom/formats.js';
import { catalogSbomEntries, parseSbomJson } from './sbom/read-sbom.js';
import { catalogRootfs } from './scan/rootfs.js';
import { catalogApkFile } from './source/apk-file.js';
import { scanDirectory } from './source/directory.js';
import { catalogDockerArchive } from './source/docker-archive.js';
import { catalogInstalledDbFile } from './source/installed-db-file.js';
import { catalogOciLayout } from './source/oci-layout.js';
import { catalogRegistryImage, type RegistryAccess } from './source/registry.js';

/** Options of {@link catalogTarget}. */
export interface CatalogOptions {
  /** The image to read from a multi-platform target: `linux/arm64`, `amd64`, or an apk arch (`aarch64`). */
  readonly platform?: string;
  /** The distribution, in place of what the target says (or for targets that say nothing). */
  readonly distro?: Distro;
  /** How to reach registries for registry targets. */
  readonly registry?: RegistryAccess;
}

/** The kinds of target, as `Catalog.source.kind` names them. */
export type TargetKind =
  | 'oci-layout'
  | 'docker-archive'
  | 'registry'
  | 'directory'
  | 'installed-db'
  | 'apk'
  | 'spdx'
  | 'cyclonedx';

/** A target, told apart. */
export type DetectedTarget =
  | { readonly kind: 'registry'; readonly ref: ImageReference }
  | { readonly kind: 'oci-layout' | 'directory' | 'installed-db' | 'apk'; readonly path: string }
  | { readonly kind: 'docker-archive'; readonly path: string; readonly gzipped: boolean }
  | {
      readonly kind: 'spdx' | 'cyclonedx';
      readonly path: string;
      readonly document: Record<string, unknown>;
    };

const HEAD = 64 * 1024;
const REGISTRY_PREFIX = 'registry:';

/**
 * Catalogues what `target` holds: an OCI layout directory, a docker archive (plain or gzip), a
 * registry reference (`registry:REF`, or any text that is not a path and parses as one), a root
 * filesystem directory, an installed database file, an `.apk`, or an SPDX / CycloneDX JSON SBOM.
 * Unreadable files inside the target become `warnings`.
 * @throws LarderError TARGET_INVALID naming the target when it is none of these or is corrupt;
 *   SBOM_INVALID for a broken SBOM; FETCH_* when a pull fails; USAGE for an unknown platform.
 */
export async function catalogTarget(target: string, options: CatalogOptions = {}): Promise<Catalog> {
  const found = await detectTarget(target);
  const image = {
    ...(options.platform === undefined ? {} : { platform: options.platform }),
    ...(options.distro === undefined ? {} : { distro: options.distro }),
  };
  switch (found.kind) {
    case 'registry':
      return catalogRegistryImage(found.ref, target, {
        ...image,
        ...(options.registry === undefined ? {} : { registry: options.registry }),
      });
    case 'oci-layout':
      return catalogOciLayout(found.path, target, image);
    case 'docker-archive':
      return catalogDockerArchive(found.path, { ...image, gzipped: found.gzipped });
    case 'directory': {
      const warnings: string[] = [];
      const layer = await scanDirectory(found.path, (m) => warnings.push(m));
      return catalogRootfs({
        source: { kind: 'directory', target },
        layers: [layer],
        ...(options.distro === undefined ? {} : { distro: options.distro }),
        warnings,
      });
    }
    case 'installed-db':
      return catalogInstalledDbFile(found.path, image);
    case 'apk':
      return catalogApkFile(found.path, image);
    case 'spdx':
      return catalogSbomEntries(spdxEntries(found.document, target), target, options.distro);
    case 'cyclonedx':
      return catalogSbomEntries(cycloneDxEntries(found.document, target), target, options.distro);
  }
}

/**
 * Tells what `target` is without reading more than its first bytes (SBOMs are parsed whole).
 * @throws LarderError TARGET_INVALID naming the target when it is not one of the known kinds.
 */
export async function detectTarget(target: string): Promise<DetectedTarget> {
  const invalid = (why: string, cause?: unknown): never => {
    throw new LarderError('TARGET_INVALID', `${target}: ${why}`, {
      subject: target,
      ...(cause === undefined ? {} : { cause }),
    });
  };
  if (target.startsWith(REGISTRY_PREFIX))
    return { kind: 'registry', ref: reference(target.slice(REGISTRY_PREFIX.length), invalid) };
  const st = await stat(target).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT' && err.code !== 'ENOTDIR') invalid(err.message, err);
    return undefined;
  });
  if (st === undefined) {
    if (looksLikePath(target)) invalid('no such file or directory');
    return { kind: 'registry', ref: reference(target, invalid) };
  }
  if (st.isDirectory()) {
    const layout = await stat(join(target, 'oci-layout')).catch(() => undefined);
    return { kind: layout?.isFile() === true ? 'oci-layout' : 'directory', path: target };
  }
  if (!st.isFile()) invalid('is neither a file nor a directory');
  const head = await readHead(target);
  if (head[0] === 0x1f && head[1] === 0x8b) {
    return target.endsWith('.apk') || isApkHead(head)
      ? { kind: 'apk', path: target }
      : { kind: 'docker-archive', path: target, gzipped: true };
  }
  if (head.length >= 262 && head.toString('latin1', 257, 262) === 'ustar') {
    return { kind: 'docker-archive', path: target, gzipped: false };
  }
  const text = head.toString('utf8').replace(/^\uFEFF/, '');
  if (/^\s*\{/.test(text)) {
    const doc = parseSbomJson(await readFile(target, 'utf8'), target);
    if (isSpdx(doc)) return { kind: 'spdx', path: target, document: doc as Record<string, unknown> };
    if (isCycloneDx(doc))
      return { kind: 'cyclonedx', path: target, document: doc as Record<string, unknown> };
    invalid('is JSON but neither an SPDX document (spdxVersion) nor a CycloneDX BOM (bomFormat)');
  }
  if (/^[A-Za-z]:/.test(text) && /(^|\n)P:\S/.test(text)) return { kind: 'installed-db', path: target };
  return invalid(
    'is not a target larder can catalogue: expected an OCI layout or root filesystem directory, a docker archive, ' +
      'an installed database, an .apk, an SPDX or CycloneDX JSON SBOM, or an image reference',
  );
}

function reference(text: string, invalid: (why: string, cause?: unknown) => never): ImageReference {
  try {
    return parseImageReference(text);
  } catch (err) {
    return invalid(`is neither a file nor an image reference: ${(err as Error).message}`, err);
  }
}

function looksLikePath(target: string): boolean {
  return (
    /^(\/|\.\.?(\/|$)|~)/.test(target) || /\.(tar|tgz|gz|json|apk)$/.test(target) || target.includes('\\')
  );
}

async function readHead(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.alloc(HEAD);
    const { bytesRead } = await handle.read(buf, 0, HEAD, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** An .apk's first gzip member is a tar of `.SIGN.*` (or, unsigned, `.PKGINFO`). */
function isApkHead(head: Buffer): boolean {
  try {
    const tar = gunzipSync(head, { finishFlush: zlib.Z_SYNC_FLUSH });
    const name = tar.toString('latin1', 0, 100);
    return name.startsWith('.SIGN.') || name.startsWith('.PKGINFO');
  } catch {
    return false;
  }
}
