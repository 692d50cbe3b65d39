import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach } from 'vitest';
import { readTar, type TarEntry } from '../../../../src/archive/index.js';

const dirs: string[] = [];

/** A temporary directory removed after the test. */
export async function tempDir(prefix = 'rootfs-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** The entries of a gzip layer blob. */
export async function layerEntries(blobPath: string): Promise<TarEntry[]> {
  return readTar(gunzipSync(await readFile(blobPath)));
}

/** Entry names of a layer, in tar order. */
export async function layerNames(blobPath: string): Promise<string[]> {
  return (await layerEntries(blobPath)).map((e) => e.header.name);
}
