/** Lock files on disk. */
import { readFile } from 'node:fs/promises';
import { inFile, LarderError, writeFileAtomic } from '../../core/index.js';
import { formatLockFile } from './format.js';
import type { ApkoLock } from './model.js';
import { parseLockFile } from './parse.js';

/** Reads and parses a lock file; NOT_FOUND when it does not exist, LOCK_INVALID when bad. */
export async function readLockFile(path: string): Promise<ApkoLock> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new LarderError('NOT_FOUND', `${path}: no such lock file`, { subject: path, cause: err });
    }
    throw inFile(path, err);
  }
  return parseLockFile(text, path);
}

/**
 * Writes a lock file atomically, mode 0644 (apko writes 0777 minus the umask; a lock is data,
 * not a program).
 */
export async function writeLockFile(path: string, lock: ApkoLock): Promise<void> {
  await writeFileAtomic(path, formatLockFile(lock), { mode: 0o644 });
}
