import { existsSync } from 'node:fs';
import { lstat, readFile, readlink, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseInstalledDb } from '../../src/apk/index.js';
import { larder } from '../kit/cli.js';
import { shared, tempDir } from '../kit/paths.js';

const REPO = shared('repo', 'melange-test');
const KEY = shared('keys', 'melange', 'melange.rsa.pub');

function install(root: string, state: string, ...pkgs: string[]) {
  return larder(
    [
      'install',
      '--root',
      root,
      '--repository',
      REPO,
      '--keyring',
      KEY,
      '--arch',
      'x86_64',
      '--state-dir',
      state,
      ...pkgs,
    ],
    { env: { SOURCE_DATE_EPOCH: '0' } },
  );
}

describe('larder install', () => {
  it('installs into a new root with an apk database reachable as lib/apk/db', async () => {
    const dir = await tempDir();
    const root = join(dir, 'root');
    const r = install(root, join(dir, 'state'), 'replayout');
    expect(r.stderr).toMatch(/^(larder: warning: skipped device node .*\n)*$/);
    expect(r).toMatchObject({ status: 0, stdout: 'pretend-baselayout 1.0.0-r0\nreplayout 1.0.0-r0\n' });
    expect(await readlink(join(root, 'lib', 'apk'))).toBe('../usr/lib/apk');
    const db = parseInstalledDb(await readFile(join(root, 'lib', 'apk', 'db', 'installed'), 'utf8'));
    expect(db.map((p) => p.record.name)).toEqual(['pretend-baselayout', 'replayout']);
    expect(await readFile(join(root, 'etc', 'os-release'), 'utf8')).toContain('ID=replaces');
    expect(await readFile(join(root, 'etc', 'apk', 'world'), 'utf8')).toBe('replayout\n');
    expect((await stat(join(root, 'tmp'))).mode & 0o7777).toBe(0o1777);
    expect((await stat(join(root, 'proc'))).mode & 0o7777).toBe(0o555);
    expect((await lstat(join(root, 'etc', 'apk', 'keys', 'melange.rsa.pub'))).isFile()).toBe(true);
  });

  it('refuses a non-empty root and leaves it untouched', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'keep'), 'x');
    const r = install(dir, join(dir, '..', 'state-unused'), 'replayout');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/USAGE: .*is not empty/);
    expect(await readFile(join(dir, 'keep'), 'utf8')).toBe('x');
  });

  it('fails on an unsatisfiable world without creating the root', async () => {
    const dir = await tempDir();
    const r = install(join(dir, 'root'), join(dir, 'state'), 'no-such-package');
    expect(r.status).not.toBe(0);
    expect(existsSync(join(dir, 'root'))).toBe(false);
  });
});
