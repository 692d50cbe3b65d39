import { LarderError } from '../core/index.js';

/** SQLite result codes that mean the file is not (or no longer) a usable database. */
const INVALID_CODES = new Set([
  'SQLITE_NOTADB',
  'SQLITE_CORRUPT',
  'SQLITE_CORRUPT_VTAB',
  'SQLITE_CORRUPT_INDEX',
]);

/**
 * Turns a driver error into a LarderError naming the store: STORE_INVALID when the file is not
 * a database or is damaged, IO for everything else (cannot open, read-only, busy, disk full).
 * LarderErrors pass through unchanged.
 */
export function storeErrorOf(location: string, err: unknown): LarderError {
  if (err instanceof LarderError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  const message = err instanceof Error ? err.message : String(err);
  if (typeof code === 'string' && INVALID_CODES.has(code))
    return new LarderError('STORE_INVALID', `${location}: not a usable SQLite database (${message})`, {
      cause: err,
      subject: location,
    });
  return new LarderError('IO', `${location}: ${message}`, { cause: err, subject: location });
}
