/**
 * Unpacks a fetched source archive as melange's `fetch` does (`tar -x --strip-components=N
 * --no-same-owner -C DIR -f FILE`), with the system tools: GNU tar recognises gzip, xz, bzip2
 * and zstd data by their magic bytes (zstd needs the `zstd` program, xz `xz-utils`); zip files,
 * which GNU tar cannot read, go through `unzip` with the same component stripping applied
 * after. Both unpack into a scratch directory first and the tree is moved into place only when
 * extraction succeeded, so a failed one leaves nothing behind. GNU tar refuses `..` members and
 * holds back symlinks that point outside the tree until extraction ends, so an archive cannot
 * write through them.
 */
import { execFile } from 'node:child_process';
import { open } from 'node:fs/promises';
import { promisify } from 'node:util';
import { LarderError } from '../../core/index.js';
import { mergeInto, stripComponentsInto } from './strip-components.js';

const run = promisify(execFile);

/** The archive kinds told apart by magic bytes. */
export type ArchiveKind = 'zip' | 'tar';

/** `zip` for a zip file (`PK\x03\x04`, or an empty archive's `PK\x05\x06`), otherwise `tar`. */
export async function archiveKind(file: string): Promise<ArchiveKind> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    const magic = head.subarray(0, bytesRead).toString('latin1');
    return magic === 'PK\x03\x04' || magic === 'PK\x05\x06' ? 'zip' : 'tar';
  } finally {
    await handle.close();
  }
}

/**
 * Extracts `file` into the existing directory `into`, dropping `strip` leading components;
 * `scratch` is an empty directory on the same filesystem.
 * @throws LarderError FETCH_FAILED naming the file and the tool's own message.
 */
export async function extractArchive(
  file: string,
  into: string,
  strip: number,
  scratch: string,
): Promise<void> {
  const kind = await archiveKind(file);
  try {
    if (kind === 'tar') {
      await run('tar', ['-x', `--strip-components=${strip}`, '--no-same-owner', '-C', scratch, '-f', file], {
        maxBuffer: 16 << 20,
      });
      await mergeInto(scratch, into);
      return;
    }
    await run('unzip', ['-q', '-o', file, '-d', scratch], { maxBuffer: 16 << 20 });
    await stripComponentsInto(scratch, into, strip);
  } catch (err) {
    if (err instanceof LarderError) throw err;
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    const tool = kind === 'tar' ? 'tar' : 'unzip';
    const why =
      e.code === 'ENOENT' ? `${tool} is not installed` : (e.stderr ?? '').trim() || e.message.split('\n')[0];
    throw new LarderError('FETCH_FAILED', `cannot extract ${file} (${kind}): ${why}`, {
      cause: err,
      subject: file,
    });
  }
}
