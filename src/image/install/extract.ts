import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmod,
  lchown,
  link,
  lutimes,
  mkdir,
  open,
  readdir,
  rename,
  rm,
  rmdir,
  symlink,
} from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { safeEntryPath, type TarHeader, TarParser } from '../../archive/index.js';
import { LarderError } from '../../core/index.js';

export interface ExtractOptions {
  /** Told about entries that could not be created (device nodes when not root). */
  readonly onWarning?: (message: string) => void;
}

/**
 * Extracts a layer tar into `root`, which must not exist or be empty: everything is written into
 * a sibling temporary directory first and renamed into place at the end, so a failure leaves no
 * partial root behind. Modes and mtimes are applied; ownership and device nodes only when running
 * as root (device nodes are skipped with a warning otherwise). Never writes through a symlink:
 * an entry whose parent is a symlink (or a non-directory) is refused with TAR_UNSAFE_PATH.
 */
export async function extractLayer(
  tar: AsyncIterable<Buffer>,
  root: string,
  options: ExtractOptions = {},
): Promise<void> {
  await assertEmptyOrMissing(root);
  const temp = join(dirname(root), `.${basename(root)}.larder-install-${randomBytes(6).toString('hex')}`);
  await mkdir(temp, { mode: 0o755 });
  try {
    await extractInto(tar, temp, options);
    await rmdir(root).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
    await rename(temp, root);
  } catch (err) {
    await rm(temp, { recursive: true, force: true });
    throw err;
  }
}

/** Throws USAGE unless `root` is missing or an empty directory. */
export async function assertEmptyOrMissing(root: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(root);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new LarderError('IO', `--root ${root}: ${(err as Error).message}`, { cause: err, subject: root });
  }
  if (names.length > 0)
    throw new LarderError('USAGE', `--root ${root} is not empty: larder install only initialises a new root`);
}

const isRoot = (): boolean => process.getuid?.() === 0;

async function extractInto(tar: AsyncIterable<Buffer>, root: string, options: ExtractOptions): Promise<void> {
  const kinds = new Map<string, TarHeader['type']>();
  const dirs: TarHeader[] = [];
  const parser = new TarParser();
  let file: { fd: Awaited<ReturnType<typeof open>>; header: TarHeader; path: string } | undefined;
  const handle = async (events: ReturnType<TarParser['write']>): Promise<void> => {
    for (const ev of events) {
      if (ev.type === 'entry') {
        const path = checkedPath(ev.header, kinds);
        const target = join(root, path);
        kinds.set(path, ev.header.type);
        if (ev.header.type === 'file') {
          file = { fd: await open(target, 'wx', 0o600), header: ev.header, path: target };
        } else {
          await create(ev.header, target, root, options);
          if (ev.header.type === 'directory') dirs.push(ev.header);
        }
      } else if (ev.type === 'data' && file !== undefined) {
        await file.fd.write(ev.bytes);
      } else if (ev.type === 'entry-end' && file !== undefined) {
        await file.fd.close();
        await finish(file.header, file.path);
        file = undefined;
      }
    }
  };
  for await (const chunk of tar) await handle(parser.write(chunk));
  await handle(parser.end());
  // Directories last, deepest first: a 0555 directory must not stop its contents being written.
  for (const header of dirs.reverse()) await finish(header, join(root, safeEntryPath(header.name)));
}

function checkedPath(header: TarHeader, kinds: ReadonlyMap<string, TarHeader['type']>): string {
  const path = safeEntryPath(header.name);
  const parts = path.split('/');
  for (let i = 1; i < parts.length; i++) {
    const parent = parts.slice(0, i).join('/');
    const kind = kinds.get(parent);
    if (kind !== 'directory')
      throw new LarderError(
        'TAR_UNSAFE_PATH',
        `refusing to write ${path}: its parent ${parent} is ${kind === undefined ? 'missing' : `a ${kind}`}`,
      );
  }
  if (kinds.has(path)) throw new LarderError('TAR_UNSAFE_PATH', `refusing to write ${path} twice`);
  return path;
}

async function create(h: TarHeader, target: string, root: string, options: ExtractOptions): Promise<void> {
  switch (h.type) {
    case 'directory':
      await mkdir(target, { mode: 0o700 });
      return;
    case 'symlink':
      await symlink(h.linkname, target);
      break;
    case 'hardlink':
      await link(join(root, safeEntryPath(h.linkname)), target);
      return;
    case 'chardev':
    case 'blockdev':
    case 'fifo': {
      if (!isRoot() && h.type !== 'fifo') {
        options.onWarning?.(`skipped device node /${h.name}: creating devices needs root`);
        return;
      }
      const kind = h.type === 'chardev' ? 'c' : h.type === 'blockdev' ? 'b' : 'p';
      const args = kind === 'p' ? [target, 'p'] : [target, kind, String(h.devmajor), String(h.devminor)];
      const r = spawnSync('mknod', args, { encoding: 'utf8' });
      if (r.status !== 0) throw new LarderError('IO', `mknod /${h.name}: ${r.stderr || r.error?.message}`);
      break;
    }
    case 'file':
      return;
  }
  await finish(h, target);
}

async function finish(h: TarHeader, target: string): Promise<void> {
  if (isRoot()) await lchown(target, h.uid, h.gid);
  if (h.type !== 'symlink') await chmod(target, h.mode & 0o7777);
  await lutimes(target, h.mtime, h.mtime);
}
