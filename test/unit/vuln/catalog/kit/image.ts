import { createHash } from 'node:crypto';
import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { deflateSync, gzipSync } from 'node:zlib';
import { type TarWriteEntry, writeTar } from '../../../../../src/archive/index.js';
import type { LayerInput } from '../../../../../src/oci/index.js';
import { writeElf } from './elf-writer.js';
import { inlineBlob } from './go-blob.js';

/** One filesystem entry of a synthetic layer. */
export type FsEntry =
  | { readonly path: string; readonly text: string | Buffer; readonly mode?: number }
  | { readonly path: string; readonly dir: true }
  | { readonly path: string; readonly symlink: string };

/** A Go ELF executable whose build info names `main` at `version` and one dependency. */
export function goBinary(main: string, version: string, dep = 'golang.org/x/text v0.14.0'): Buffer {
  const [depPath, depVersion] = dep.split(' ');
  const modinfo = `path\t${main}\nmod\t${main}\t${version}\t\ndep\t${depPath}\t${depVersion}\t\nbuild\tGOARCH=amd64\n`;
  return writeElf({
    sections: [
      { name: '.text', data: Buffer.alloc(64, 0xcc), segmentFlags: 5 },
      { name: '.go.buildinfo', data: inlineBlob('go1.22.5', modinfo), segmentFlags: 6 },
    ],
  }).bytes;
}

/** A Rust ELF executable with a cargo-auditable section listing `crates` (name@version). */
export function rustBinary(...crates: string[]): Buffer {
  const packages = crates.map((c) => {
    const [name, version] = c.split('@');
    return { name, version, source: 'crates.io' };
  });
  return writeElf({
    sections: [
      { name: '.text', data: Buffer.alloc(64), segmentFlags: 5 },
      { name: '.dep-v0', data: deflateSync(JSON.stringify({ packages })) },
    ],
  }).bytes;
}

/** An uncompressed layer tar of `entries` (parents are not added implicitly). */
export function layerTar(entries: readonly FsEntry[]): Buffer {
  return writeTar(
    entries.map((e) => {
      const base = { name: e.path, mtime: 0, uid: 0, gid: 0 };
      if ('dir' in e) return { entry: { ...base, type: 'directory', mode: 0o755 } satisfies TarWriteEntry };
      if ('symlink' in e)
        return {
          entry: { ...base, type: 'symlink', mode: 0o777, linkname: e.symlink } satisfies TarWriteEntry,
        };
      const data = Buffer.from(e.text);
      return {
        entry: { ...base, type: 'file', mode: e.mode ?? 0o644, size: data.length } satisfies TarWriteEntry,
        data,
      };
    }),
    { endBlocks: true },
  );
}

/** A gzip layer ready for writeOciLayout / writeDockerArchive. */
export function layerInput(tar: Buffer): LayerInput {
  const bytes = gzipSync(tar);
  return {
    digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`,
    size: bytes.length,
    diffId: `sha256:${createHash('sha256').update(tar).digest('hex')}`,
    bytes,
  };
}

/** Writes `entries` into a directory. */
export async function writeTree(root: string, entries: readonly FsEntry[]): Promise<void> {
  for (const e of entries) {
    const abs = join(root, e.path);
    await mkdir('dir' in e ? abs : dirname(abs), { recursive: true });
    if ('symlink' in e) await symlink(e.symlink, abs);
    else if ('text' in e) {
      await writeFile(abs, e.text);
      await chmod(abs, e.mode ?? 0o644);
    }
  }
}

/** An installed-database record owning `files`. */
export function installedRecord(
  name: string,
  version: string,
  origin: string,
  files: readonly string[],
): string {
  const lines = [`P:${name}`, `V:${version}`, 'A:x86_64', `o:${origin}`, 'L:MIT'];
  const byDir = new Map<string, string[]>();
  for (const f of files) {
    const slash = f.lastIndexOf('/');
    const dir = slash < 0 ? '' : f.slice(0, slash);
    byDir.set(dir, [...(byDir.get(dir) ?? []), f.slice(slash + 1)]);
  }
  for (const [dir, names] of byDir) {
    lines.push(`F:${dir}`);
    for (const n of names) lines.push(`R:${n}`);
  }
  return `${lines.join('\n')}\n\n`;
}

export const WOLFI_OS_RELEASE = 'ID=wolfi\nNAME="Wolfi"\nPRETTY_NAME="Wolfi"\nVERSION_ID=20230201\n';
