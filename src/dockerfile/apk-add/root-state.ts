import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type InstalledPackage, parseInstalledDb } from '../../apk/index.js';
import { LarderError } from '../../core/index.js';
import { resolveInRoot } from './root-paths.js';

/** apko's database directory, where a composed image has it (`lib/apk` leads there). */
export const TREE_DB_DIR = 'usr/lib/apk/db';
const DB_DIRS = [TREE_DB_DIR, 'lib/apk/db'] as const;

/** The apk state of a stage's root filesystem. */
export interface RootApkState {
  /** Where the database really is (root-relative): the first of the candidates holding `installed`. */
  readonly dbDir: string;
  readonly installed: InstalledPackage[];
  /** `/etc/apk/world` entries; [] without the file. */
  readonly world: string[];
  /** `/etc/apk/repositories` lines (comments and blank lines dropped); [] without the file. */
  readonly repositories: string[];
  /** The database's `scripts.tar` and `triggers`, empty when missing. */
  readonly scriptsTar: Buffer;
  readonly triggers: string;
}

/**
 * Reads the apk state of `root`: the installed database from `usr/lib/apk/db` or `lib/apk/db`
 * (either through the root's symlinks), world, repositories, scripts and triggers.
 *
 * @throws LarderError INSTALLED_DB_INVALID for a malformed database, IO for unreadable files.
 */
export async function readRootApkState(root: string): Promise<RootApkState> {
  let dbDir: string | undefined;
  for (const candidate of DB_DIRS) {
    const at = await resolveInRoot(root, `${candidate}/installed`);
    if (at.stat?.isFile()) {
      dbDir = at.real.slice(0, -'/installed'.length);
      break;
    }
  }
  const dir =
    dbDir ?? (await resolveInRoot(root, `${TREE_DB_DIR}/installed`)).real.slice(0, -'/installed'.length);
  const text = async (path: string): Promise<string | undefined> => {
    const at = await resolveInRoot(root, path);
    if (!at.stat?.isFile()) return undefined;
    return readFile(join(root, at.real), 'utf8').catch((err: unknown) => {
      throw new LarderError('IO', `${path}: ${(err as Error).message}`, { cause: err, subject: path });
    });
  };
  const installedText = dbDir === undefined ? '' : ((await text(`${dbDir}/installed`)) ?? '');
  const lines = (t: string | undefined) =>
    (t ?? '')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'));
  const scripts = dbDir === undefined ? undefined : await resolveInRoot(root, `${dir}/scripts.tar`);
  return {
    dbDir: dir,
    installed: parseInstalledDb(installedText, `/${dir}/installed`),
    world: lines(await text('etc/apk/world')),
    repositories: lines(await text('etc/apk/repositories')),
    scriptsTar: scripts?.stat?.isFile() ? await readFile(join(root, scripts.real)) : Buffer.alloc(0),
    triggers: (dbDir === undefined ? undefined : await text(`${dir}/triggers`)) ?? '',
  };
}
