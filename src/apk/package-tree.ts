import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { hexDigest, LarderError } from '../core/index.js';

/** One entry of a package's file tree, in the order it is written to the data tar. */
export interface ApkTreeEntry {
  /** Relative path without a leading `./` or `/`, e.g. `usr/bin/hello`. */
  readonly path: string;
  readonly type: 'file' | 'directory' | 'symlink' | 'hardlink' | 'chardev' | 'blockdev' | 'fifo';
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly uname: string;
  readonly gname: string;
  /** Content size of regular files; 0 otherwise. */
  readonly size: number;
  /** Symlink target, or the path of the first name of a hard-linked file. */
  readonly linkTarget?: string;
  readonly devmajor?: number;
  readonly devminor?: number;
  /** Extended attributes, sorted by name, values binary. */
  readonly xattrs: ReadonlyArray<readonly [string, Buffer]>;
  /** Lowercase hex SHA-1 of the content (regular files) or of the link target (symlinks). */
  readonly sha1?: string;
  /** Where to read the content of a regular file from, or the content itself. */
  readonly source?: string | Uint8Array;
}

/** How owners are recorded: apk packages normally hold everything as root:root. */
export type OwnerPolicy =
  | { readonly kind: 'root' }
  | { readonly kind: 'keep' }
  | { readonly kind: 'fixed'; readonly uid: number; readonly gid: number };

/**
 * Walks a directory like Go's fs.WalkDir, as melange does: entries of each directory in
 * byte order, each directory right before its contents. Hard links are found by inode (the
 * second and later names become `hardlink` entries), and xattrs are read with getfattr when
 * it is installed (package `attr`), since Node has no xattr API.
 */
export async function collectTree(
  root: string,
  owners: OwnerPolicy = { kind: 'root' },
): Promise<ApkTreeEntry[]> {
  const xattrs = await readAllXattrs(root);
  const seenInodes = new Map<string, string>();
  const out: ApkTreeEntry[] = [];

  async function walk(dir: string, rel: string): Promise<void> {
    let names: string[];
    try {
      names = (await readdir(dir)).sort((a, b) => (Buffer.from(a) < Buffer.from(b) ? -1 : a === b ? 0 : 1));
    } catch (err) {
      throw new LarderError('IO', `cannot read directory ${dir}: ${(err as Error).message}`, {
        cause: err,
        subject: dir,
      });
    }
    for (const name of names) {
      const abs = join(dir, name);
      const path = rel === '' ? name : `${rel}/${name}`;
      const st = await lstat(abs);
      const { uid, gid } = ownerOf(owners, st.uid, st.gid);
      const base = {
        path,
        mode: st.mode & 0o7777,
        uid,
        gid,
        uname: uid === 0 ? 'root' : '',
        gname: gid === 0 ? 'root' : '',
        xattrs: xattrs.get(abs) ?? [],
      };
      if (st.isDirectory()) {
        out.push({ ...base, type: 'directory', size: 0 });
        await walk(abs, path);
      } else if (st.isSymbolicLink()) {
        const target = await readlink(abs);
        out.push({
          ...base,
          type: 'symlink',
          size: 0,
          linkTarget: target,
          sha1: hexDigest('sha1', target),
          xattrs: [],
        });
      } else if (st.isFile()) {
        const inode = `${st.dev}:${st.ino}`;
        const first = st.nlink > 1 ? seenInodes.get(inode) : undefined;
        if (first !== undefined) {
          out.push({ ...base, type: 'hardlink', size: 0, linkTarget: first });
          continue;
        }
        if (st.nlink > 1) seenInodes.set(inode, path);
        out.push({ ...base, type: 'file', size: st.size, sha1: await sha1OfFile(abs), source: abs });
      } else if (st.isCharacterDevice() || st.isBlockDevice()) {
        const devmajor = Math.floor(st.rdev / 256) & 0xfff;
        const devminor = (st.rdev & 0xff) | ((st.rdev >> 12) & 0xfff00);
        out.push({
          ...base,
          type: st.isCharacterDevice() ? 'chardev' : 'blockdev',
          size: 0,
          devmajor,
          devminor,
        });
      } else if (st.isFIFO()) {
        out.push({ ...base, type: 'fifo', size: 0 });
      } else {
        throw new LarderError('USAGE', `${abs}: sockets cannot be packaged`, { subject: abs });
      }
    }
  }

  await walk(root, '');
  return out;
}

function ownerOf(policy: OwnerPolicy, uid: number, gid: number): { uid: number; gid: number } {
  switch (policy.kind) {
    case 'root':
      return { uid: 0, gid: 0 };
    case 'keep':
      return { uid, gid };
    case 'fixed':
      return { uid: policy.uid, gid: policy.gid };
  }
}

async function sha1OfFile(path: string): Promise<string> {
  const hash = createHash('sha1');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Reads every xattr under `root` in one `getfattr -R` run. Returns an empty map when getfattr
 * is not installed: the tree is then packaged without xattrs.
 */
async function readAllXattrs(root: string): Promise<Map<string, Array<readonly [string, Buffer]>>> {
  const result = new Map<string, Array<readonly [string, Buffer]>>();
  let stdout: string;
  try {
    ({ stdout } = await promisify(execFile)(
      'getfattr',
      ['-R', '-P', '-d', '-m', '-', '-e', 'base64', '--absolute-names', root],
      {
        maxBuffer: 256 * 1024 * 1024,
      },
    ));
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stdout?: string };
    if (e.code === 'ENOENT') return result;
    stdout = e.stdout ?? '';
  }
  let current: Array<readonly [string, Buffer]> | undefined;
  for (const line of stdout.split('\n')) {
    if (line.startsWith('# file: ')) {
      current = [];
      result.set(unescapeGetfattr(line.slice('# file: '.length)).replace(/\/$/, ''), current);
    } else if (current !== undefined && line.includes('=')) {
      const eq = line.indexOf('=');
      const value = line.slice(eq + 1);
      current.push([
        line.slice(0, eq),
        value.startsWith('0s')
          ? Buffer.from(value.slice(2), 'base64')
          : Buffer.from(value.replace(/^"|"$/g, '')),
      ]);
    }
  }
  for (const list of result.values()) list.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return result;
}

/** getfattr writes unusual bytes in file names as backslash + three octal digits. */
function unescapeGetfattr(name: string): string {
  if (!name.includes('\\')) return name;
  const bytes: number[] = [];
  const raw = Buffer.from(name, 'utf8');
  for (let i = 0; i < raw.length; i++) {
    const octal = raw.subarray(i + 1, i + 4).toString('latin1');
    if (raw[i] === 0x5c && /^[0-7]{3}$/.test(octal)) {
      bytes.push(Number.parseInt(octal, 8));
      i += 3;
    } else bytes.push(raw[i]!);
  }
  return Buffer.from(bytes).toString('utf8');
}
