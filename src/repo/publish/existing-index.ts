import { readFile } from 'node:fs/promises';
import { type ApkIndex, type ApkKeyring, readApkIndex } from '../../apk/index.js';
import { LarderError } from '../../core/index.js';

/**
 * Reads the index a new one is merged into: undefined when there is none yet. With a keyring
 * (the signing key's public half) the index must verify, or SIGNATURE_UNTRUSTED/BAD says to
 * rebuild it; corrupt bytes throw as readApkIndex does.
 */
export async function readExistingIndex(
  path: string,
  keyring: ApkKeyring | undefined,
): Promise<ApkIndex | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new LarderError('IO', `cannot read existing index ${path}: ${(err as Error).message}`, {
      cause: err,
      subject: path,
    });
  }
  try {
    return readApkIndex(bytes, { source: path, ...(keyring ? { keyring } : {}) });
  } catch (err) {
    if (err instanceof LarderError && (err.code === 'SIGNATURE_UNTRUSTED' || err.code === 'SIGNATURE_BAD')) {
      throw new LarderError(
        err.code,
        `${err.message}; the existing index is not signed by the --sign-key, use --rebuild to replace it`,
        { cause: err, subject: path },
      );
    }
    throw err;
  }
}
