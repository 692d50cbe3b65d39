import { cp, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { shared, tempDir } from './paths.js';

/**
 * apko's own test layout, rebuilt from ../shared/fixtures in a temp folder: `apko.yaml` with
 * `./testdata/melange.rsa.pub` and `./testdata/packages/<arch>/` beside it (symlinks to the
 * fixtures, or a copy of the packages when a test changes them). Nothing is committed.
 */
export async function apkoWorkspace(options: { copyPackages?: boolean } = {}): Promise<string> {
  const dir = await tempDir();
  await mkdir(join(dir, 'testdata'));
  await symlink(shared('keys', 'melange', 'melange.rsa.pub'), join(dir, 'testdata', 'melange.rsa.pub'));
  if (options.copyPackages)
    await cp(shared('repo', 'melange-test'), join(dir, 'testdata', 'packages'), { recursive: true });
  else await symlink(shared('repo', 'melange-test'), join(dir, 'testdata', 'packages'));
  await writeFile(join(dir, 'apko.yaml'), await readFile(shared('apko', 'apko.yaml')));
  return dir;
}
