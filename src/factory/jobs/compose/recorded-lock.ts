/**
 * The lock recorded with a published image version (ImageVersionRecord.lock): each platform's
 * installed packages with their origins and the distribution, which is what a rescan re-matches
 * without downloading the image, and the locked packages with their checksums.
 */
import { LarderError } from '../../../core/index.js';
import type { ApkoLock, BuiltImage } from '../../../image/index.js';
import type { PlatformPackages } from './image-scan.js';

export interface RecordedLock {
  readonly platforms: readonly PlatformPackages[];
  /** The apko lock's packages: `architecture name version checksum`. */
  readonly packages: readonly {
    readonly architecture: string;
    readonly name: string;
    readonly version: string;
    readonly checksum: string;
  }[];
}

/** The platforms of built images: every installed package (a base image's too). */
export function platformsOf(images: readonly BuiltImage[]): PlatformPackages[] {
  return images.map((img) => ({
    arch: img.arch,
    ...(img.osRelease === undefined
      ? {}
      : {
          distro: {
            id: img.osRelease.id,
            ...(img.osRelease.versionId === '' ? {} : { versionId: img.osRelease.versionId }),
          },
        }),
    packages: img.installed.map((p) => ({
      name: p.record.name,
      version: p.record.version,
      origin: p.record.origin === undefined || p.record.origin === '' ? p.record.name : p.record.origin,
    })),
  }));
}

export function recordedLock(lock: ApkoLock, platforms: readonly PlatformPackages[]): RecordedLock {
  return {
    platforms,
    packages: lock.contents.packages.map((p) => ({
      architecture: p.architecture,
      name: p.name,
      version: p.version,
      checksum: p.checksum ?? p.control.checksum,
    })),
  };
}

/** The platforms of a recorded lock, checked (it is read back from the store as JSON). */
export function recordedPlatforms(lock: unknown, where: string): PlatformPackages[] {
  const bad = (what: string) =>
    new LarderError('STORE_INVALID', `${where}: the recorded lock ${what}`, { subject: where });
  const platforms = (lock as { platforms?: unknown } | null)?.platforms;
  if (!Array.isArray(platforms)) throw bad('has no platforms list');
  return platforms.map((raw: unknown, i) => {
    const p = raw as Record<string, unknown> | null;
    if (typeof p !== 'object' || p === null || typeof p.arch !== 'string' || !Array.isArray(p.packages))
      throw bad(`platform ${i}: needs arch and packages`);
    const distro = p.distro as Record<string, unknown> | undefined;
    if (
      distro !== undefined &&
      (typeof distro !== 'object' || distro === null || typeof distro.id !== 'string')
    )
      throw bad(`platform ${i}: distro needs an id`);
    const packages = p.packages.map((q: unknown, j) => {
      const pkg = q as Record<string, unknown> | null;
      if (
        typeof pkg !== 'object' ||
        pkg === null ||
        typeof pkg.name !== 'string' ||
        typeof pkg.version !== 'string' ||
        typeof pkg.origin !== 'string'
      )
        throw bad(`platform ${i} package ${j}: needs name, version and origin`);
      return { name: pkg.name, version: pkg.version, origin: pkg.origin };
    });
    return {
      arch: p.arch,
      ...(distro === undefined
        ? {}
        : {
            distro: {
              id: distro.id as string,
              ...(typeof distro.versionId === 'string' ? { versionId: distro.versionId } : {}),
            },
          }),
      packages,
    };
  });
}
