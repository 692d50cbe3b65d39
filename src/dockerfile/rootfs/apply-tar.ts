import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  constants,
  lchownSync,
  linkSync,
  lstatSync,
  lutimesSync,
  mkdirSync,
  openSync,
  symlinkSync,
  writeSync,
} from 'node:fs';
import { lstat, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { checkLinkTarget, safeEntryPath, type TarHeader, TarParser } from '../../archive/index.js';
import { LarderError } from '../../core/index.js';

/** Options of {@link applyLayers}. */
export interface ApplyLayersOptions {
  /** Told about entries that could not be made (device nodes when not root). */
  readonly onWarning?: (message: string) => void;
}

const WHITEOUT = '.wh.';
const OPAQUE = '.wh..wh..opq';
/** aufs bookkeeping (`.wh..wh.plnk/`, `.wh..wh.aufs`) in old Docker layers: skipped, as containerd does. */
const META = '.wh..wh.';

function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

function unsafe(message: string, path: string): LarderError {
  return new LarderError('TAR_UNSAFE_PATH', message, { subject: path });
}

// Metadata calls are synchronous: a layer is hundreds of tiny syscalls, and each async one
// costs a thread-pool round trip (the busybox base layer took 4x longer to apply async).
async function lstatOrUndefined(path: string) {
  try {
    return lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * Applies one layer tar over `root`, which already holds the layers below it: whiteouts and
 * opaque markers remove what the lower layers have (never what this layer wrote), an entry
 * replaces whatever is at its path (a directory over a directory keeps the contents), and
 * directories get their metadata last, deepest first. Every parent of an entry must be a real
 * directory (a missing one is made 0755): nothing is ever written through a symlink.
 */
export class LayerApplier {
  private readonly written = new Set<string>();
  private dirs: Array<{ path: string; header: TarHeader }> = [];
  private readonly realDirs = new Set<string>(['']);
  private readonly isRoot = process.getuid?.() === 0;
  private file: { fd: number; header: TarHeader; path: string } | undefined;
  private nodes: Array<{ path: string; header: TarHeader }> = [];

  constructor(
    private readonly root: string,
    private readonly options: ApplyLayersOptions = {},
  ) {}

  /** Parses and applies a whole layer tar. */
  async apply(tar: AsyncIterable<Buffer>): Promise<void> {
    const parser = new TarParser();
    try {
      for await (const chunk of tar) await this.events(parser.write(chunk));
      await this.events(parser.end());
      await this.makeNodes();
      const byDepth = this.dirs.sort((a, b) => b.path.split('/').length - a.path.split('/').length);
      for (const { path, header } of byDepth) await this.finish(header, path);
    } finally {
      if (this.file !== undefined) closeSync(this.file.fd);
      this.file = undefined;
    }
  }

  private async events(events: ReturnType<TarParser['write']>): Promise<void> {
    for (const ev of events) {
      if (ev.type === 'entry') await this.entry(ev.header);
      else if (ev.type === 'data' && this.file !== undefined) writeAll(this.file.fd, ev.bytes);
      else if (ev.type === 'entry-end' && this.file !== undefined) {
        const { fd, header, path } = this.file;
        this.file = undefined;
        closeSync(fd);
        await this.finish(header, path);
      }
    }
  }

  private at(path: string): string {
    return path === '' ? this.root : join(this.root, path);
  }

  private async entry(header: TarHeader): Promise<void> {
    const name = safeEntryPath(header.name);
    if (name === '.') {
      if (header.type !== 'directory')
        throw unsafe(`refusing a ${header.type} entry for the root itself`, '.');
      this.dirs.push({ path: '', header });
      return;
    }
    const parent = parentOf(name);
    const base = name.slice(parent === '' ? 0 : parent.length + 1);
    if (
      name
        .split('/')
        .some((part, i, all) => part.startsWith(META) && !(part === OPAQUE && i === all.length - 1))
    )
      return;
    try {
      if (base.startsWith(WHITEOUT)) return await this.whiteout(parent, base);
      await this.parentDirs(parent, true);
      await this.place(name, header);
    } catch (err) {
      if (err instanceof LarderError) throw err;
      throw new LarderError('IO', `cannot write /${name}: ${(err as Error).message}`, {
        cause: err,
        subject: name,
      });
    }
  }

  private async whiteout(parent: string, base: string): Promise<void> {
    const hidden = base.slice(WHITEOUT.length);
    if (
      base !== OPAQUE &&
      (hidden === '' || hidden === '.' || hidden === '..' || hidden.startsWith(WHITEOUT))
    )
      throw unsafe(`bad whiteout ${JSON.stringify(`${parent}/${base}`)}`, parent);
    if (!(await this.parentDirs(parent, false))) return;
    if (base === OPAQUE) {
      await this.prune(parent);
      return;
    }
    const path = parent === '' ? hidden : `${parent}/${hidden}`;
    if (this.written.has(path)) return; // a whiteout never hides its own layer's entries
    await this.remove(path);
  }

  /** Removes every child of `dir` that this layer did not write (an opaque marker). */
  private async prune(dir: string): Promise<void> {
    for (const name of await readdir(this.at(dir))) {
      const path = dir === '' ? name : `${dir}/${name}`;
      if (!this.written.has(path)) await this.remove(path);
      else if ((await lstat(this.at(path))).isDirectory()) await this.prune(path);
    }
  }

  private async remove(path: string): Promise<void> {
    await rm(this.at(path), { recursive: true, force: true });
    // A directory this layer made and then replaced gets no metadata pass: its path may now be a symlink.
    this.dirs = this.dirs.filter((d) => d.path !== path && !d.path.startsWith(`${path}/`));
    for (const dir of this.realDirs)
      if (dir === path || dir.startsWith(`${path}/`)) this.realDirs.delete(dir);
  }

  /**
   * Checks that each component of `dir` is a real directory; missing ones are made (0755,
   * root-owned) when `create`, otherwise false is returned. A symlink or other file is refused.
   */
  private async parentDirs(dir: string, create: boolean): Promise<boolean> {
    if (this.realDirs.has(dir)) return true;
    const parts = dir.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const path = parts.slice(0, i).join('/');
      if (this.realDirs.has(path)) continue;
      const st = await lstatOrUndefined(this.at(path));
      if (st === undefined) {
        if (!create) return false;
        mkdirSync(this.at(path), { mode: 0o755 });
      } else if (!st.isDirectory()) {
        throw unsafe(
          `refusing to write below /${path}: it is a ${st.isSymbolicLink() ? 'symlink' : 'non-directory'}`,
          path,
        );
      }
      this.realDirs.add(path);
    }
    return true;
  }

  private async place(path: string, h: TarHeader): Promise<void> {
    const target = this.at(path);
    const existing = await lstatOrUndefined(target);
    if (h.type === 'directory' && existing?.isDirectory() === true) {
      this.written.add(path);
      this.dirs.push({ path, header: h });
      return;
    }
    // A symlink's target is stored verbatim, even one climbing above the root (containerd does
    // the same): nothing here ever follows it, and in the sandbox `/` is the root.
    if (h.type === 'hardlink') checkLinkTarget(path, h.type, h.linkname);
    if (h.type === 'symlink' && (h.linkname === '' || h.linkname.includes('\0')))
      throw unsafe(`symlink /${path} has an empty target`, path);
    if (existing !== undefined) await this.remove(path);
    this.written.add(path);
    switch (h.type) {
      case 'directory':
        mkdirSync(target, { mode: 0o700 });
        this.dirs.push({ path, header: h });
        return;
      case 'file':
        this.file = {
          fd: openSync(
            target,
            constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
            0o600,
          ),
          header: h,
          path,
        };
        return;
      case 'symlink':
        symlinkSync(h.linkname, target);
        break;
      case 'hardlink': {
        const source = safeEntryPath(h.linkname);
        await this.parentDirs(parentOf(source), false);
        const st = await lstatOrUndefined(this.at(source));
        if (st === undefined || st.isDirectory())
          throw unsafe(
            `hardlink /${path} -> /${source}: ${st === undefined ? 'no such file' : 'a directory'}`,
            path,
          );
        linkSync(this.at(source), target);
        return;
      }
      case 'chardev':
      case 'blockdev':
      case 'fifo': {
        if (!this.isRoot && h.type !== 'fifo') {
          this.options.onWarning?.(`skipped device node /${path}: creating devices needs root`);
          return;
        }
        // Made in one batch when the layer ends: a process per node cost ~10 ms each.
        this.nodes.push({ path, header: h });
        return;
      }
    }
    await this.finish(h, path);
  }

  /** Creates the layer's device nodes and fifos with one `mknod` per node in a single shell. */
  private async makeNodes(): Promise<void> {
    const nodes = this.nodes.filter((n) => this.written.has(n.path));
    this.nodes = [];
    if (nodes.length === 0) return;
    const lines = nodes.map(({ header: h }, i) => {
      const kind = h.type === 'chardev' ? 'c' : h.type === 'blockdev' ? 'b' : 'p';
      const at = `"\${${i + 1}}"`;
      return kind === 'p' ? `mknod ${at} p` : `mknod ${at} ${kind} ${h.devmajor} ${h.devminor}`;
    });
    const r = spawnSync('sh', ['-ec', lines.join('\n'), 'sh', ...nodes.map((n) => this.at(n.path))], {
      encoding: 'utf8',
    });
    if (r.status !== 0)
      throw new LarderError(
        'IO',
        `mknod ${nodes.map((n) => `/${n.path}`).join(' ')}: ${r.stderr || r.error?.message}`,
      );
    for (const n of nodes) await this.finish(n.header, n.path);
  }

  // chown before chmod: chown clears setuid/setgid bits.
  private async finish(h: TarHeader, path: string): Promise<void> {
    const target = this.at(path);
    if (this.isRoot) lchownSync(target, h.uid, h.gid);
    if (h.type !== 'symlink') chmodSync(target, h.mode & 0o7777);
    lutimesSync(target, h.mtime, h.mtime);
  }
}

function writeAll(fd: number, bytes: Uint8Array): void {
  for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
}
