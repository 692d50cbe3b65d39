// Reads one layer's tar events: records what the layer does to the filesystem, and loads (one at
// a time, never to disk) the files cataloguing reads, turning each into evidence as it ends.
import type { TarEvent, TarHeader } from '../../../archive/index.js';
import { analyzeFile, type FileEvidence } from './analyze-file.js';
import { type FileRole, fileRole, isExecutableMagic, maxBytes } from './file-role.js';
import { normalizePath, type VfsOp } from './vfs.js';

/** What one layer holds for cataloguing. */
export interface LayerScan {
  readonly ops: readonly VfsOp[];
  /** Evidence by path; only the evidence of a path's final version counts. */
  readonly evidence: ReadonlyMap<string, FileEvidence>;
}

const WHITEOUT = '.wh.';
const OPAQUE = '.wh..wh..opq';

interface Loading {
  readonly path: string;
  readonly role: FileRole;
  readonly buffer: Buffer;
  filled: number;
}

/** Consumes the TarEvents of one layer; `warn` gets per-file problems. */
export class LayerCollector {
  private readonly ops: VfsOp[] = [];
  private readonly evidence = new Map<string, FileEvidence>();
  private loading: Loading | undefined;

  constructor(private readonly warn: (message: string) => void) {}

  event(ev: TarEvent): void {
    if (ev.type === 'entry') this.entry(ev.header);
    else if (ev.type === 'data') this.data(ev.bytes);
    else if (ev.type === 'entry-end') this.entryEnd();
  }

  result(): LayerScan {
    return { ops: this.ops, evidence: this.evidence };
  }

  private entry(header: TarHeader): void {
    this.loading = undefined;
    const path = normalizePath(header.name);
    if (path === undefined) {
      this.warn(`skipped tar entry ${JSON.stringify(header.name)}: it climbs out of the root`);
      return;
    }
    const slash = path.lastIndexOf('/');
    const base = path.slice(slash + 1);
    const dir = slash < 0 ? '' : path.slice(0, slash);
    if (base === OPAQUE) {
      this.ops.push({ kind: 'opaque', path: dir });
      return;
    }
    if (base.startsWith(WHITEOUT)) {
      const gone = dir === '' ? base.slice(WHITEOUT.length) : `${dir}/${base.slice(WHITEOUT.length)}`;
      // Whiteouts hide lower layers' files only, never this layer's (image-spec).
      this.ops.push({ kind: 'whiteout', path: gone });
      return;
    }
    if (path === '') return;
    const linkTarget =
      header.type === 'symlink'
        ? header.linkname
        : header.type === 'hardlink'
          ? normalizePath(header.linkname)
          : undefined;
    this.ops.push({
      kind: 'add',
      path,
      node: {
        type: header.type,
        mode: header.mode,
        size: header.size,
        ...(linkTarget === undefined ? {} : { linkTarget }),
      },
    });
    this.evidence.delete(path);
    if (header.type !== 'file') return;
    const role = fileRole(path, header.mode);
    if (role === undefined) return;
    if (header.size > maxBytes(role)) {
      this.warn(
        `skipped ${path}: ${header.size} bytes is more than the ${maxBytes(role)} read for a ${role}`,
      );
      return;
    }
    this.loading = { path, role, buffer: Buffer.allocUnsafe(header.size), filled: 0 };
  }

  private data(bytes: Buffer): void {
    const l = this.loading;
    if (l === undefined) return;
    const n = Math.min(bytes.length, l.buffer.length - l.filled);
    bytes.copy(l.buffer, l.filled, 0, n);
    l.filled += n;
    // Most executables are scripts: stop loading once the magic says so.
    if (l.role === 'executable' && l.filled >= 4 && !isExecutableMagic(l.buffer.subarray(0, 4))) {
      this.loading = undefined;
    }
  }

  private entryEnd(): void {
    const l = this.loading;
    this.loading = undefined;
    if (l === undefined || l.filled !== l.buffer.length) return;
    if (l.role === 'executable' && !isExecutableMagic(l.buffer.subarray(0, 4))) return;
    const found = analyzeFile(l.role, l.path, l.buffer, this.warn);
    if (found !== undefined) this.evidence.set(l.path, found);
  }
}
