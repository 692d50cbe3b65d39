import { mkdtempSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadApkSigningKey } from '../../../../src/apk/index.js';
import { isLarderError } from '../../../../src/core/index.js';
import { initWorkspace, WORKSPACE_TEMPLATE } from '../../../../src/factory/index.js';

const base = mkdtempSync(join(tmpdir(), 'larder-init-'));
afterAll(() => rm(base, { recursive: true, force: true }));

describe('initWorkspace', () => {
  it('writes the template, an empty advisories/ and new keys into a new directory', async () => {
    const made = await initWorkspace(join(base, 'a', 'nested'), { rsaBits: 2048 });
    expect(made.root).toBe(join(base, 'a', 'nested'));
    expect(made.files).toEqual(
      [
        ...Object.keys(WORKSPACE_TEMPLATE),
        'keys/cosign.key',
        'keys/cosign.pub',
        'keys/larder.rsa',
        'keys/larder.rsa.pub',
      ].sort(),
    );
    expect(await readdir(join(made.root, 'advisories'))).toEqual([]);
    expect(await readFile(join(made.root, 'larder.yaml'), 'utf8')).toBe(WORKSPACE_TEMPLATE['larder.yaml']);
    expect((await stat(join(made.root, 'keys', 'larder.rsa'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(made.root, 'keys', 'cosign.key'))).mode & 0o777).toBe(0o600);
    expect((await loadApkSigningKey(join(made.root, 'keys', 'larder.rsa'))).keyName).toBe('larder.rsa');
    expect(await readFile(join(made.root, 'keys', 'cosign.key'), 'utf8')).toMatch(/PRIVATE KEY/);
    // Nothing temporary is left beside it.
    expect(await readdir(join(base, 'a'))).toEqual(['nested']);
  });

  it('fills an empty directory', async () => {
    await mkdir(join(base, 'empty'));
    const made = await initWorkspace(join(base, 'empty'), { rsaBits: 2048 });
    expect(await readdir(made.root)).toEqual(['advisories', 'images', 'keys', 'larder.yaml', 'recipes']);
  });

  it('refuses a directory holding anything, and a file, touching nothing', async () => {
    await mkdir(join(base, 'full'));
    await writeFile(join(base, 'full', 'mine.txt'), 'keep');
    const err = await initWorkspace(join(base, 'full')).catch((e: unknown) => e);
    expect(isLarderError(err, 'USAGE')).toBe(true);
    expect((err as Error).message).toMatch(/full is not empty: larder init only creates a new workspace/);
    expect(await readdir(join(base, 'full'))).toEqual(['mine.txt']);
    await writeFile(join(base, 'plain'), '');
    const file = await initWorkspace(join(base, 'plain')).catch((e: unknown) => e);
    expect((file as Error).message).toMatch(/plain exists and is not a directory/);
    expect((await readdir(base)).filter((n) => n.startsWith('.'))).toEqual([]);
  });
});
