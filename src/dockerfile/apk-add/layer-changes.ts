import { readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { InstalledDir, InstalledFile, InstalledPackage } from '../../apk/index.js';
import { type TarHeader, TarParser, type TarWriteEntry } from '../../archive/index.js';
import { LarderError } from '../../core/index.js';
import { type OwnerInfo, replacesFile } from '../../image/index.js';
import { type RootPath, resolveInRoot } from './root-paths.js';
import { TREE_DB_DIR } from './root-state.js';

/** One entry of the new layer, named by its real path in the root. */
export interface ChangedEntry {
  readonly entry: TarWriteEntry;
  readonly data?: Buffer;
}

/** What {@link layerChanges} needs besides the assembled tar. */
export interface ChangeContext {
  readonly root: string;
  /** Where the root keeps its apk database (root-relative). */
  readonly dbDir: string;
  /** The database before: records are edited in place when a new package takes over a file. */
  readonly before: InstalledPackage[];
  /** The new packages' records (also edited when an old package keeps a file). */
  readonly added: InstalledPackage[];
  /**
   * The database files to write (`installed`, `scripts.tar`, `triggers`, by name), given the
   * records after file take-overs and the files as the composer wrote them for the new packages.
   */
  readonly dbFiles: (
    edited: { before: InstalledPackage[]; added: InstalledPackage[] },
    composed: ReadonlyMap<string, Buffer>,
  ) => Map<string, Buffer>;
}

// Synthesized by the composer for a new image; an existing root keeps its own.
const KEEP_EXISTING = new Set([
  'etc/apk/repositories',
  'etc/apk/arch',
  `${TREE_DB_DIR}/lock`,
  'dev/null',
  'dev/zero',
  'dev/random',
  'dev/urandom',
  'dev/console',
]);
const APK_DIR = TREE_DB_DIR.slice(0, TREE_DB_DIR.lastIndexOf('/'));
const DB_FILES = new Set(['installed', 'scripts.tar', 'triggers']);

interface Owner {
  readonly info: OwnerInfo;
  readonly dir: InstalledDir;
  readonly file: InstalledFile;
}

/**
 * The part of an assembled rootfs tar (new packages on an existing database) that differs from
 * what `root` already holds: new paths, files whose content, mode or owner changed, and the
 * database files. Existing directories are kept as they are (apk: first come); a new package's
 * file over a file an installed package owns follows apk's `replaces` rules (the loser's
 * database entry drops the path; a conflict with different content is an error).
 *
 * @throws LarderError PACKAGE_INVALID for a file conflict or a file over a directory.
 */
export async function layerChanges(tar: AsyncIterable<Buffer>, ctx: ChangeContext): Promise<ChangedEntry[]> {
  const oldOwners = ownersOf(ctx.before);
  const newOwners = ownersOf(ctx.added);
  const entries = await readEntries(tar);
  const decided: Array<{ path: string; at: RootPath; entry: ChangedEntry }> = [];
  const dropped = new Map<string, ChangedEntry>();
  const dbPrefix = `${TREE_DB_DIR}/`;
  const composed = new Map<string, Buffer>();
  // The composer's `usr/lib/apk` is where the root keeps apk's directory (Alpine: `lib/apk`).
  const apkDir = ctx.dbDir.slice(0, ctx.dbDir.lastIndexOf('/'));
  for (const { header, data } of entries) {
    const path = header.name.replace(/\/$/, '');
    const mapped =
      path === APK_DIR || path.startsWith(`${APK_DIR}/`) ? apkDir + path.slice(APK_DIR.length) : path;
    if (path.startsWith(dbPrefix) && DB_FILES.has(path.slice(dbPrefix.length))) {
      composed.set(path.slice(dbPrefix.length), data ?? Buffer.alloc(0));
      decided.push({ path, at: await resolveInRoot(ctx.root, mapped), entry: toEntry(header, data, mapped) });
      continue;
    }
    const at = await resolveInRoot(ctx.root, mapped);
    const entry = toEntry(header, data, at.real);
    const owner = newOwners.get(path);
    const st = at.stat;
    if (st !== undefined && KEEP_EXISTING.has(path)) continue;
    if (header.type === 'directory') {
      if (st === undefined) decided.push({ path, at, entry });
      else if (!st.isDirectory() && !st.isSymbolicLink() && owner !== undefined)
        throw conflict(
          `${owner.info.name}-${owner.info.version}: directory /${path} is a file in the image`,
          path,
        );
      continue;
    }
    if (st?.isDirectory()) {
      if (owner === undefined) continue;
      throw conflict(`${owner.info.name}-${owner.info.version}: /${path} is a directory in the image`, path);
    }
    const old = oldOwners.get(path);
    if (owner !== undefined && old !== undefined && old.info.name !== owner.info.name) {
      const verdict = replacesFile(old.info, owner.info);
      if (verdict === 'no') {
        remove(owner);
        continue;
      }
      if (verdict === 'conflict' && !(await sameContent(ctx.root, at, header, data)))
        throw conflict(
          `file conflict: ${owner.info.name}-${owner.info.version} is trying to overwrite /${path} owned by ` +
            `${old.info.name}-${old.info.version} (add "replaces = ${old.info.name}" to ${owner.info.name} if intended)`,
          path,
        );
      remove(old);
    }
    if (st !== undefined && (await unchanged(ctx.root, at, header, data))) {
      dropped.set(at.real, entry);
      continue;
    }
    decided.push({ path, at, entry });
  }
  const db = ctx.dbFiles({ before: ctx.before, added: ctx.added }, composed);
  const out: ChangedEntry[] = [];
  const kept = new Set<string>();
  for (const d of decided) {
    let { entry } = d;
    const name = d.path.startsWith(dbPrefix) ? d.path.slice(dbPrefix.length) : undefined;
    if (name !== undefined && DB_FILES.has(name)) {
      // The composer's copy holds the new packages only: the caller's (merged) one or nothing.
      const bytes = db.get(name);
      if (bytes === undefined) continue;
      if (d.at.stat?.isFile() && (await readFile(join(ctx.root, d.at.real))).equals(bytes)) continue;
      entry = { entry: { ...entry.entry, size: bytes.length }, data: bytes };
    }
    // A hard link needs its target in the same layer.
    if (entry.entry.type === 'hardlink' && entry.entry.linkname !== undefined) {
      const target = (await resolveInRoot(ctx.root, entry.entry.linkname)).real;
      const lower = dropped.get(target);
      if (lower !== undefined && !kept.has(target)) {
        out.push(lower);
        kept.add(target);
      }
      entry = { entry: { ...entry.entry, linkname: target } };
    }
    kept.add(entry.entry.name);
    out.push(entry);
  }
  return out;
}

function remove(owner: Owner): void {
  const at = owner.dir.files.indexOf(owner.file);
  if (at >= 0) owner.dir.files.splice(at, 1);
}

function conflict(message: string, path: string): LarderError {
  return new LarderError('PACKAGE_INVALID', message, { subject: `/${path}` });
}

function ownersOf(packages: readonly InstalledPackage[]): Map<string, Owner> {
  const out = new Map<string, Owner>();
  for (const p of packages) {
    const r = p.record;
    const info: OwnerInfo = {
      name: r.name,
      version: r.version,
      ...(r.origin !== undefined ? { origin: r.origin } : {}),
      replaces: r.replaces,
      replacesPriority: r.replacesPriority ?? 0,
    };
    for (const dir of p.files)
      for (const file of dir.files)
        out.set(dir.path === '' ? file.name : `${dir.path}/${file.name}`, { info, dir, file });
  }
  return out;
}

async function sameContent(
  root: string,
  at: RootPath,
  header: TarHeader,
  data: Buffer | undefined,
): Promise<boolean> {
  if (header.type !== 'file' || !at.stat?.isFile()) return false;
  return (await readFile(join(root, at.real))).equals(data ?? Buffer.alloc(0));
}

async function unchanged(
  root: string,
  at: RootPath,
  header: TarHeader,
  data: Buffer | undefined,
): Promise<boolean> {
  const st = at.stat!;
  const sameOwner = st.uid === header.uid && st.gid === header.gid;
  switch (header.type) {
    case 'file':
      return sameOwner && (st.mode & 0o7777) === header.mode && (await sameContent(root, at, header, data));
    case 'symlink':
      return st.isSymbolicLink() && (await readlink(join(root, at.real))) === header.linkname;
    case 'chardev':
    case 'blockdev':
      return header.type === 'chardev' ? st.isCharacterDevice() : st.isBlockDevice();
    default:
      return false;
  }
}

function toEntry(header: TarHeader, data: Buffer | undefined, name: string): ChangedEntry {
  const pax = [...header.pax].filter(([k]) => k.startsWith('SCHILY.xattr.'));
  const entry: TarWriteEntry = {
    name,
    type: header.type,
    mode: header.mode,
    mtime: header.mtime,
    uid: header.uid,
    gid: header.gid,
    uname: header.uname,
    gname: header.gname,
    size: header.type === 'file' ? (data?.length ?? 0) : 0,
    ...(header.type === 'symlink' || header.type === 'hardlink' ? { linkname: header.linkname } : {}),
    ...(header.type === 'chardev' || header.type === 'blockdev'
      ? { devmajor: header.devmajor, devminor: header.devminor }
      : {}),
    ...(pax.length > 0 ? { pax } : {}),
  };
  return { entry, ...(header.type === 'file' ? { data: data ?? Buffer.alloc(0) } : {}) };
}

async function readEntries(tar: AsyncIterable<Buffer>): Promise<Array<{ header: TarHeader; data?: Buffer }>> {
  const parser = new TarParser();
  const out: Array<{ header: TarHeader; data?: Buffer }> = [];
  let current: { header: TarHeader; parts: Buffer[] } | undefined;
  const take = (events: ReturnType<TarParser['write']>): void => {
    for (const ev of events) {
      if (ev.type === 'entry') current = { header: ev.header, parts: [] };
      else if (ev.type === 'data') current?.parts.push(Buffer.from(ev.bytes));
      else if (ev.type === 'entry-end' && current !== undefined) {
        out.push({ header: current.header, data: Buffer.concat(current.parts) });
        current = undefined;
      }
    }
  };
  for await (const chunk of tar) take(parser.write(chunk));
  take(parser.end());
  return out;
}
