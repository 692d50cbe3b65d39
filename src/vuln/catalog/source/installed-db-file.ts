// An installed database file on its own. When it sits at `<root>/lib/apk/db/installed` (or
// `usr/lib/…`), the root's os-release names the distribution.
import { readFile } from 'node:fs/promises';
import { basename, join, sep } from 'node:path';
import { LarderError } from '../../../core/index.js';
import type { Catalog, Distro } from '../../model.js';
import { readInstalledApks } from '../apk/installed.js';
import { distroOf, type OsRelease, parseOsRelease } from '../apk/os-release.js';
import { assembleCatalog } from '../assemble.js';
import { INSTALLED_DB_PATHS, OS_RELEASE_PATHS } from '../scan/file-role.js';

/**
 * Catalogues the APK packages of an installed database file.
 * @throws LarderError TARGET_INVALID naming the file, record and line when it does not parse.
 */
export async function catalogInstalledDbFile(
  file: string,
  options: { readonly distro?: Distro },
): Promise<Catalog> {
  const text = await readFile(file, 'utf8');
  const where = placeInRoot(file);
  let release: OsRelease | undefined = options.distro;
  if (release === undefined && where !== undefined) {
    for (const path of OS_RELEASE_PATHS) {
      const found = await readFile(join(where.root, path), 'utf8').catch(() => undefined);
      release = found === undefined ? undefined : parseOsRelease(found);
      if (release !== undefined) break;
    }
  }
  let db: ReturnType<typeof readInstalledApks>;
  try {
    db = readInstalledApks(text, where?.location ?? basename(file), release);
  } catch (err) {
    throw new LarderError('TARGET_INVALID', `${file}: ${(err as Error).message}`, {
      cause: err,
      subject: file,
    });
  }
  return assembleCatalog({
    source: { kind: 'installed-db', target: file },
    ...(release === undefined ? {} : { distro: distroOf(release) }),
    apks: db.packages,
    language: [],
    warnings: [],
  });
}

/** The root directory and in-root path when `file` ends with an installed database's path. */
function placeInRoot(file: string): { root: string; location: string } | undefined {
  const posix = file.split(sep).join('/');
  for (const location of [...INSTALLED_DB_PATHS].sort((a, b) => b.length - a.length)) {
    if (posix.endsWith(`/${location}`))
      return { root: file.slice(0, file.length - location.length - 1) || '/', location };
  }
  return undefined;
}
