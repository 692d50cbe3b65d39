import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { createGzip } from 'node:zlib';
import {
  checkLinkTarget,
  gzipMember,
  safeEntryPath,
  TAR_END_BLOCKS,
  type TarWriteEntry,
  tarEntry,
  tarHeader,
  tarPadding,
  writeTar,
} from '../archive/index.js';
import { LarderError, writeFileAtomic } from '../core/index.js';
import type { ApkTreeEntry } from './package-tree.js';
import { formatPkgInfo, type PkgInfo } from './pkginfo.js';
import type { ApkSigningKey } from './rsa-key.js';
import { signatureEntryName, signRsa256 } from './signature.js';

/** The package metadata a writer needs; `size` and `datahash` are computed. */
export type ApkPackageMeta = Omit<PkgInfo, 'size' | 'datahash'>;

/** A control-member script, e.g. `.post-install` (written mode 0755). */
export interface ApkScript {
  readonly name:
    | '.pre-install'
    | '.post-install'
    | '.pre-deinstall'
    | '.post-deinstall'
    | '.pre-upgrade'
    | '.post-upgrade'
    | '.trigger';
  readonly content: string | Uint8Array;
}

export interface WriteApkOptions {
  readonly meta: ApkPackageMeta;
  readonly entries: readonly ApkTreeEntry[];
  readonly scripts?: readonly ApkScript[];
  /** Signs the control member (RSA256). Unsigned when absent. */
  readonly signKey?: ApkSigningKey;
  /** Every timestamp written (SOURCE_DATE_EPOCH); 0 by default so output is reproducible. */
  readonly mtime?: number;
  /** gzip level for all members; default 9 (compression is cheap next to distribution). */
  readonly level?: number;
}

/**
 * Checks package metadata before any work is done: throws PKGINFO_INVALID naming every bad
 * field (the same rules parsePkgInfo applies when reading).
 */
export function checkApkMeta(meta: ApkPackageMeta): void {
  formatPkgInfo({ ...meta, size: 0 });
}

/** What was written, for callers that index or report. */
export interface WrittenApk {
  readonly path: string;
  readonly pkginfo: PkgInfo;
  readonly fileSize: number;
}

/**
 * Writes an APK v2 package as melange does (formats.md §1.8): the data tar is gzipped and
 * hashed into `datahash`, then `.PKGINFO` and scripts form the control member (a tar fragment
 * without end blocks), then the control member's exact bytes are signed. The data member is
 * staged in a temporary file beside the output, so large trees are never held in memory.
 */
export async function writeApkPackage(outPath: string, options: WriteApkOptions): Promise<WrittenApk> {
  const mtime = options.mtime ?? 0;
  const level = options.level ?? 9;
  checkApkMeta(options.meta);
  for (const e of options.entries) {
    if (safeEntryPath(e.path) !== e.path)
      throw new LarderError('TAR_UNSAFE_PATH', `entry '${e.path}' is not in normal form`);
    if (e.linkTarget !== undefined && (e.type === 'symlink' || e.type === 'hardlink'))
      checkLinkTarget(e.path, e.type, e.linkTarget);
  }
  await mkdir(dirname(outPath), { recursive: true });
  const staging = join(dirname(outPath), `.${basename(outPath)}.${randomBytes(6).toString('hex')}.data`);
  try {
    const data = await writeDataMember(staging, options.entries, mtime, level);
    const pkginfo: PkgInfo = { ...options.meta, size: installedSize(options.entries), datahash: data.sha256 };
    const control = gzipMember(controlTar(pkginfo, options.scripts ?? [], mtime), { level });
    const signature = options.signKey
      ? signatureMember(options.signKey, control, mtime, level)
      : Buffer.alloc(0);
    await writeFileAtomic(outPath, concatStreams([signature, control], staging));
    return { path: outPath, pkginfo, fileSize: signature.length + control.length + data.length };
  } finally {
    await rm(staging, { force: true });
  }
}

/** melange sums the sizes of what it packages; larder counts file contents and link targets. */
function installedSize(entries: readonly ApkTreeEntry[]): number {
  let size = 0;
  for (const e of entries)
    size += e.type === 'file' ? e.size : e.type === 'symlink' ? Buffer.byteLength(e.linkTarget ?? '') : 0;
  return size;
}

function controlTar(pkginfo: PkgInfo, scripts: readonly ApkScript[], mtime: number): Buffer {
  const root = { uid: 0, gid: 0, uname: 'root', gname: 'root', mtime } as const;
  const files = [
    {
      entry: { ...root, name: '.PKGINFO', type: 'file', mode: 0o644 } as TarWriteEntry,
      data: Buffer.from(formatPkgInfo(pkginfo)),
    },
    ...[...scripts]
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((s) => ({
        entry: { ...root, name: s.name, type: 'file', mode: 0o755 } as TarWriteEntry,
        data: Buffer.from(s.content),
      })),
  ];
  return writeTar(files, { endBlocks: false });
}

function signatureMember(key: ApkSigningKey, control: Buffer, mtime: number, level: number): Buffer {
  const entry: TarWriteEntry = {
    name: signatureEntryName(key),
    type: 'file',
    mode: 0o644,
    uid: 0,
    gid: 0,
    uname: 'root',
    gname: 'root',
    mtime,
  };
  return gzipMember(tarEntry(entry, signRsa256(key, control)), { level });
}

/** The tar header of one tree entry, with the PAX records apk-tools reads. */
export function treeEntryHeader(e: ApkTreeEntry, mtime: number): TarWriteEntry {
  const pax: Array<readonly [string, string | Uint8Array]> = [];
  if (e.sha1 !== undefined && (e.type === 'file' || e.type === 'symlink'))
    pax.push(['APK-TOOLS.checksum.SHA1', e.sha1]);
  for (const [name, value] of e.xattrs) pax.push([`SCHILY.xattr.${name}`, value]);
  const header: TarWriteEntry = {
    name: e.path,
    type: e.type,
    mode: e.mode,
    uid: e.uid,
    gid: e.gid,
    uname: e.uname,
    gname: e.gname,
    mtime,
    size: e.type === 'file' ? e.size : 0,
    ...(e.linkTarget !== undefined ? { linkname: e.linkTarget } : {}),
    ...(e.devmajor !== undefined ? { devmajor: e.devmajor, devminor: e.devminor ?? 0 } : {}),
    ...(pax.length ? { pax } : {}),
  };
  return header;
}

async function* dataTar(entries: readonly ApkTreeEntry[], mtime: number): AsyncGenerator<Buffer> {
  for (const e of entries) {
    yield tarHeader(treeEntryHeader(e, mtime));
    if (e.type !== 'file') continue;
    let written = 0;
    if (e.source instanceof Uint8Array) {
      written = e.source.length;
      yield Buffer.from(e.source);
    } else if (e.source !== undefined) {
      for await (const chunk of createReadStream(e.source)) {
        written += (chunk as Buffer).length;
        yield chunk as Buffer;
      }
    }
    if (written !== e.size) {
      throw new LarderError('IO', `${e.path}: size changed while packaging (${e.size} → ${written} bytes)`, {
        subject: e.path,
      });
    }
    yield tarPadding(e.size);
  }
  yield TAR_END_BLOCKS;
}

async function writeDataMember(path: string, entries: readonly ApkTreeEntry[], mtime: number, level: number) {
  const hash = createHash('sha256');
  let length = 0;
  const gzip = createGzip({ level });
  const handle = await open(path, 'wx', 0o600);
  try {
    const feeding = (async () => {
      for await (const chunk of dataTar(entries, mtime)) {
        if (!gzip.write(chunk)) await new Promise((r) => gzip.once('drain', r));
      }
      gzip.end();
    })();
    feeding.catch((err) => gzip.destroy(err));
    for await (const chunk of gzip) {
      hash.update(chunk as Buffer);
      length += (chunk as Buffer).length;
      await handle.write(chunk as Buffer);
    }
    await feeding;
  } finally {
    await handle.close();
  }
  return { sha256: hash.digest('hex'), length };
}

async function* concatStreams(head: readonly Buffer[], tailFile: string): AsyncGenerator<Uint8Array> {
  for (const b of head) if (b.length) yield b;
  for await (const chunk of createReadStream(tailFile)) yield chunk as Buffer;
}
