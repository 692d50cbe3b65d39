import { type InstalledPackage, parseInstalledDb } from '../../apk/index.js';
import type { LayerInput } from '../../oci/index.js';
import { readLayerFiles } from './layer-files.js';
import type { BaseKey } from './model.js';

/** Where apk keeps its installed database: apko's place first, then Alpine's. */
const INSTALLED_DBS = ['usr/lib/apk/db/installed', 'lib/apk/db/installed'] as const;
const REPOSITORIES = 'etc/apk/repositories';
const KEYS_DIR = 'etc/apk/keys/';

/** What `RUN apk add` needs from an image that was not composed here. */
export interface ImageApkState {
  readonly installed: InstalledPackage[];
  readonly repositories: string[];
  readonly keys: BaseKey[];
}

/**
 * Reads the apk state of an image from its layers without extracting them: the installed
 * database (`[]` when the image has none), the `/etc/apk/repositories` lines (comments and blank
 * lines dropped) and the keys in `/etc/apk/keys` (sorted by name).
 *
 * @throws LarderError INSTALLED_DB_INVALID for a malformed database (naming the image and path).
 */
export async function readImageApkState(
  layers: readonly LayerInput[],
  image: string,
): Promise<ImageApkState> {
  const files = await readLayerFiles(
    layers,
    (p) =>
      (INSTALLED_DBS as readonly string[]).includes(p) ||
      p === REPOSITORIES ||
      (p.startsWith(KEYS_DIR) && !p.slice(KEYS_DIR.length).includes('/')),
  );
  const db = INSTALLED_DBS.find((p) => files.has(p));
  const installed =
    db === undefined ? [] : parseInstalledDb(files.get(db)!.toString('utf8'), `${image}:/${db}`);
  const repositories = (files.get(REPOSITORIES)?.toString('utf8') ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const keys = [...files]
    .filter(([p]) => p.startsWith(KEYS_DIR))
    .map(([p, data]) => ({ name: p.slice(KEYS_DIR.length), pem: data.toString('utf8') }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { installed, repositories, keys };
}
