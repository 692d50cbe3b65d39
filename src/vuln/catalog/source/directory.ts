// A root filesystem directory as one layer: walked without following symlinks, the files
// cataloguing reads loaded one at a time.
import { type Dirent, lstatSync, type Stats } from 'node:fs';
import { open, readdir, readFile, readlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { analyzeFile, type FileEvidence } from '../scan/analyze-file.js';
import { fileRole, isExecutableMagic, maxBytes } from '../scan/file-role.js';
import type { LayerScan } from '../scan/layer-collector.js';
import type { VfsOp, VfsType } from '../scan/vfs.js';
import { readExecutable } from './executable-read.js';

// Kernel filesystems of a live root: nothing to catalogue, and /proc never ends.
const LIVE_ROOT_SKIP = new Set(['proc', 'sys', 'dev']);

/**
 * Walks `root` into a layer scan; unreadable entries become warnings. Scanning `/` itself skips
 * /proc, /sys and /dev.
 */
export async function scanDirectory(root: string, warn: (message: string) => void): Promise<LayerScan> {
  const live = resolve(root) === '/';
  const ops: VfsOp[] = [];
  const evidence = new Map<string, FileEvidence>();
  const pending: string[] = [''];
  while (pending.length > 0) {
    const dir = pending.pop()!;
    let entries: Dirent[];
    try {
      entries = await readdir(join(root, dir), { withFileTypes: true });
    } catch (err) {
      warn(`skipped ${dir || '.'}: ${(err as Error).message}`);
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    if (live && dir === '') entries = entries.filter((e) => !LIVE_ROOT_SKIP.has(e.name));
    // lstat synchronously, one directory at a time: promise-based lstat costs ~3x the CPU, and
    // a directory's worth of calls blocks the event loop only briefly.
    const stats = entries.map((e) => statOf(join(root, dir, e.name)));
    for (const [i, entry] of entries.entries()) {
      const path = dir === '' ? entry.name : `${dir}/${entry.name}`;
      const abs = join(root, path);
      const st = stats[i]!;
      if (st instanceof Error) {
        warn(`skipped ${path}: ${st.message}`);
        continue;
      }
      const type = typeOf(st);
      if (type === undefined) continue;
      const linkTarget = type === 'symlink' ? await readlink(abs).catch(() => undefined) : undefined;
      ops.push({
        kind: 'add',
        path,
        node: {
          type,
          mode: st.mode & 0o7777,
          size: type === 'file' ? st.size : 0,
          ...(linkTarget === undefined ? {} : { linkTarget }),
        },
      });
      if (type === 'directory') pending.push(path);
      if (type !== 'file') continue;
      const role = fileRole(path, st.mode);
      if (role === undefined) continue;
      if (st.size > maxBytes(role)) {
        warn(`skipped ${path}: ${st.size} bytes is more than the ${maxBytes(role)} read for a ${role}`);
        continue;
      }
      try {
        if (role === 'executable' && !isExecutableMagic(await head(abs))) continue;
        const bytes = role === 'executable' ? await readExecutable(abs) : await readFile(abs);
        const found = analyzeFile(role, path, bytes, warn);
        if (found !== undefined) evidence.set(path, found);
      } catch (err) {
        warn(`skipped ${path}: ${(err as Error).message}`);
      }
    }
  }
  return { ops, evidence };
}

function statOf(abs: string): Stats | Error {
  try {
    return lstatSync(abs);
  } catch (err) {
    return err as Error;
  }
}

function typeOf(st: Stats): VfsType | undefined {
  if (st.isFile()) return 'file';
  if (st.isDirectory()) return 'directory';
  if (st.isSymbolicLink()) return 'symlink';
  return undefined;
}

async function head(abs: string): Promise<Buffer> {
  const handle = await open(abs, 'r');
  try {
    const buf = Buffer.alloc(4);
    const { bytesRead } = await handle.read(buf, 0, 4, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
