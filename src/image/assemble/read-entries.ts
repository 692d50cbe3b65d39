import { createHash } from 'node:crypto';
import { type ApkPackage, assertApkVerified, readApkPackage } from '../../apk/index.js';
import { safeEntryPath, type TarEvent, type TarHeader } from '../../archive/index.js';

/** One data-tar entry of a package with its content (regular files only). */
export interface StagedEntry {
  /** Normalised path as written in the package (no `./`, no trailing `/`). */
  readonly path: string;
  readonly header: TarHeader;
  readonly data?: Buffer;
  /** SHA-1 hex of the content, or of a symlink's target. */
  readonly sha1?: string;
}

/**
 * Reads a package in one streaming pass and stages its data-tar entries. The package must already
 * have been verified (signature and hashes) by whoever fetched it; the hashes are checked again
 * here because the bytes are read again, and nothing is staged from a package that fails.
 */
export async function readPackageEntries(path: string): Promise<{ pkg: ApkPackage; entries: StagedEntry[] }> {
  const entries: StagedEntry[] = [];
  let current: { header: TarHeader; chunks: Buffer[]; hash: ReturnType<typeof createHash> } | undefined;
  const onDataEvent = (event: TarEvent): void => {
    switch (event.type) {
      case 'entry':
        current = { header: event.header, chunks: [], hash: createHash('sha1') };
        break;
      case 'data':
        current?.chunks.push(Buffer.from(event.bytes));
        current?.hash.update(event.bytes);
        break;
      case 'entry-end':
        if (current !== undefined) entries.push(stage(current.header, current.chunks, current.hash));
        current = undefined;
        break;
      default:
        break;
    }
  };
  const pkg = await readApkPackage(path, { onDataEvent });
  assertApkVerified(pkg, { signature: false });
  return { pkg, entries };
}

function stage(header: TarHeader, chunks: Buffer[], hash: ReturnType<typeof createHash>): StagedEntry {
  const path = safeEntryPath(header.name);
  switch (header.type) {
    case 'file':
      return { path, header, data: Buffer.concat(chunks), sha1: hash.digest('hex') };
    case 'symlink':
      return { path, header, sha1: createHash('sha1').update(header.linkname).digest('hex') };
    default:
      return { path, header };
  }
}
