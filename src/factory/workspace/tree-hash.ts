/**
 * The change hash of a recipe: its bytes and every file of its source directory, so editing a
 * source file is a change too. Entries are framed (kind, relative path, length) and sorted by
 * path, so the hash depends on names and contents only, never on directory order or times.
 */
import { createHash, type Hash } from 'node:crypto';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { inFile } from '../../core/index.js';

/** `sha256:<hex>` over `file` and, when `sourceDir` is a directory, every entry under it. */
export async function recipeHash(file: string, sourceDir: string | undefined): Promise<string> {
  const hash = createHash('sha256');
  frame(hash, 'recipe', '', await read(file));
  if (sourceDir !== undefined && (await isDirectory(sourceDir))) await hashTree(hash, sourceDir, '');
  return `sha256:${hash.digest('hex')}`;
}

/** `sha256:<hex>` of one file's bytes. */
export async function fileHash(file: string): Promise<string> {
  return `sha256:${createHash('sha256')
    .update(await read(file))
    .digest('hex')}`;
}

async function hashTree(hash: Hash, dir: string, prefix: string): Promise<void> {
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch (err) {
    throw inFile(dir, err);
  }
  for (const name of names) {
    const full = join(dir, name);
    const rel = prefix === '' ? name : `${prefix}/${name}`;
    const info = await lstat(full).catch((err: unknown) => {
      throw inFile(full, err);
    });
    if (info.isDirectory()) {
      frame(hash, 'dir', rel, Buffer.alloc(0));
      await hashTree(hash, full, rel);
    } else if (info.isSymbolicLink()) {
      frame(hash, 'link', rel, Buffer.from(await readlink(full)));
    } else if (info.isFile()) {
      frame(hash, (info.mode & 0o111) !== 0 ? 'exec' : 'file', rel, await read(full));
    }
  }
}

function frame(hash: Hash, kind: string, path: string, bytes: Buffer): void {
  hash.update(`${kind}\0${path}\0${bytes.length}\0`);
  hash.update(bytes);
}

async function read(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (err) {
    throw inFile(file, err);
  }
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await lstat(path)).isDirectory();
  } catch {
    return false;
  }
}
