import { type ApkFileEntry, type ApkPackage, assertApkVerified, readApkPackage } from '../../apk/index.js';
import type { TarEvent, TarHeader } from '../../archive/index.js';

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
 * Reads a package in one pass and stages its data-tar entries: the fetch step checked the
 * signature, `C:` and datahash over the compressed bytes; this pass inflates the data once and
 * checks datahash again (the file is read again). As apk-tools does when installing, a file's
 * `APK-TOOLS.checksum.SHA1` (covered by the datahash) is its installed-database checksum; files
 * without one are hashed. Nothing is staged from a package that fails.
 * File contents are views of the inflated data tar (a fresh buffer per inflate step, never
 * reused), copied only when a file spans several steps.
 */
export async function readPackageEntries(path: string): Promise<{ pkg: ApkPackage; entries: StagedEntry[] }> {
  const entries: StagedEntry[] = [];
  let chunks: Buffer[] = [];
  const onDataEvent = (event: TarEvent): void => {
    if (event.type === 'data') chunks.push(event.bytes);
  };
  const onEntryEnd = (entry: ApkFileEntry, sha1: string | undefined): void => {
    entries.push(stage(entry, chunks, sha1));
    chunks = [];
  };
  const pkg = await readApkPackage(path, { onDataEvent, onEntryEnd, trustFileChecksums: true });
  assertApkVerified(pkg, { signature: false });
  return { pkg, entries };
}

function stage(entry: ApkFileEntry, chunks: Buffer[], sha1: string | undefined): StagedEntry {
  const { path, header } = entry;
  if (header.type === 'file') {
    const data = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    return { path, header, data, ...(sha1 !== undefined ? { sha1 } : {}) };
  }
  if (header.type === 'symlink' && sha1 !== undefined) return { path, header, sha1 };
  return { path, header };
}

/** How many packages are read (and inflated on the thread pool) ahead of the one installed. */
const READ_AHEAD = 3;

/**
 * readPackageEntries over `paths`, in order, with up to READ_AHEAD reads in flight: the next
 * packages inflate on other cores while this one is hashed, parsed and installed. A failed read
 * surfaces when its turn comes, so errors name the first bad package in install order.
 */
export async function* readPackagesInOrder(
  paths: readonly string[],
): AsyncGenerator<Awaited<ReturnType<typeof readPackageEntries>>> {
  const pending: Array<ReturnType<typeof readPackageEntries>> = [];
  let next = 0;
  const fill = (): void => {
    while (next < paths.length && pending.length < READ_AHEAD) {
      const read = readPackageEntries(paths[next++]!);
      // Marks the rejection as handled until its turn; awaiting it below still throws.
      read.catch(() => undefined);
      pending.push(read);
    }
  };
  fill();
  while (pending.length > 0) {
    const read = pending.shift()!;
    fill();
    yield await read;
  }
}
