import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import {
  TAR_END_BLOCKS,
  type TarEntryType,
  type TarWriteEntry,
  tarHeader,
  tarPadding,
} from '../../archive/index.js';
import { LarderError } from '../../core/index.js';
import type { LayerItem } from './changes.js';

/** How the tar of a layer is written. */
export interface LayerTarOptions {
  /** Seconds: times newer than this are written as this (BuildKit's rewrite-timestamp). */
  readonly sourceDateEpoch?: number;
}

const WHITEOUT_PREFIX = '.wh.';
const OPAQUE_MARKER = '.wh..wh..opq';
const CHUNK = 1024 * 1024;

function join2(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}

/** The tar name of a whiteout hiding `path`: `.wh.` before its last component. */
export function whiteoutName(path: string): string {
  const slash = path.lastIndexOf('/');
  return join2(slash < 0 ? '' : path.slice(0, slash), `${WHITEOUT_PREFIX}${path.slice(slash + 1)}`);
}

/** The tar name of the opaque marker of `dir`. */
export function opaqueName(dir: string): string {
  return join2(dir, OPAQUE_MARKER);
}

function seconds(ns: bigint, epoch: number | undefined): number {
  const s = Number(ns / 1_000_000_000n);
  return epoch !== undefined && s > epoch ? epoch : s;
}

/** The tar header of one item; whiteouts are empty files with mode 0, owner 0 and time 0, as containerd writes them. */
export function itemHeader(item: LayerItem, options: LayerTarOptions): TarWriteEntry {
  const epoch = options.sourceDateEpoch;
  if (item.kind !== 'entry') {
    const name = item.kind === 'whiteout' ? whiteoutName(item.path) : opaqueName(item.dir);
    return { name, type: 'file', mode: 0, mtime: 0, uid: 0, gid: 0 };
  }
  const { entry, path } = item;
  const base = { mode: entry.mode, mtime: seconds(entry.mtimeNs, epoch), uid: entry.uid, gid: entry.gid };
  if (item.hardlinkTo !== undefined)
    return { ...base, name: path, type: 'hardlink', linkname: item.hardlinkTo };
  if (entry.type === 'socket')
    throw new LarderError('IO', `cannot put socket /${path} in a layer: tar has no socket entries`, {
      subject: path,
    });
  const type: TarEntryType = entry.type;
  const header: TarWriteEntry = { ...base, name: entry.type === 'directory' ? `${path}/` : path, type };
  if (entry.type === 'file') return { ...header, size: entry.size };
  if (entry.type === 'symlink') return { ...header, linkname: entry.linkTarget ?? '' };
  if (entry.type === 'chardev' || entry.type === 'blockdev') {
    // Linux's dev_t encoding (glibc gnu_dev_major/minor).
    const rdev = BigInt(entry.rdev);
    const major = ((rdev >> 8n) & 0xfffn) | ((rdev >> 32n) & ~0xfffn);
    const minor = (rdev & 0xffn) | ((rdev >> 12n) & ~0xffn);
    return { ...header, devmajor: Number(major), devminor: Number(minor) };
  }
  return header;
}

/**
 * The uncompressed layer tar of `items` read from `root`, streamed: headers from the
 * snapshot, file data read in 1 MiB chunks. A file whose size differs from its snapshot is an
 * error (the tree changed while it was written), never a corrupt tar.
 */
export async function* layerTar(
  root: string,
  items: readonly LayerItem[],
  options: LayerTarOptions = {},
): AsyncGenerator<Buffer> {
  for (const item of items) {
    const header = itemHeader(item, options);
    yield tarHeader(header);
    if (item.kind !== 'entry' || header.type !== 'file' || item.entry.size === 0) continue;
    yield* fileData(join(root, item.path), item.path, item.entry.size);
    yield tarPadding(item.entry.size);
  }
  yield TAR_END_BLOCKS;
}

async function* fileData(file: string, path: string, size: number): AsyncGenerator<Buffer> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    let done = 0;
    while (done < size) {
      const buffer = Buffer.allocUnsafe(Math.min(CHUNK, size - done));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, done);
      if (bytesRead === 0)
        throw new LarderError(
          'IO',
          `/${path} shrank to ${done} bytes while its layer was written (expected ${size})`,
          {
            subject: path,
          },
        );
      done += bytesRead;
      yield bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead);
    }
    const extra = await handle.read(Buffer.alloc(1), 0, 1, size);
    if (extra.bytesRead > 0)
      throw new LarderError('IO', `/${path} grew past ${size} bytes while its layer was written`, {
        subject: path,
      });
  } finally {
    await handle.close();
  }
}
