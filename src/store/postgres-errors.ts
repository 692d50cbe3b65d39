import { LarderError } from '../core/index.js';

/** Node socket errors that mean the server cannot be reached. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

/**
 * Turns an error met while opening a PostgreSQL store into a LarderError naming `location` (the
 * URL without its password): STORE_UNAVAILABLE when the server cannot be reached, refuses the
 * credentials or has no such database; STORE_INVALID for any other refusal by the server (no
 * permission to create tables, no schema to create them in, ...). LarderErrors pass through.
 * `secret` (the password) is scrubbed from driver messages in case one ever echoes it.
 */
export function postgresErrorOf(location: string, err: unknown, secret = ''): LarderError {
  if (err instanceof LarderError) return err;
  const code = String((err as { code?: unknown } | null)?.code ?? '');
  let message = err instanceof Error ? err.message : String(err);
  if (secret !== '') message = message.split(secret).join('***');
  const unavailable = (why: string) =>
    new LarderError('STORE_UNAVAILABLE', `${location}: ${why} (${message})`, {
      cause: err,
      subject: location,
    });
  // The pool's own connect timeout and a connection cut during the handshake carry no code.
  if (NETWORK_CODES.has(code) || (code === '' && /timeout|terminated/i.test(message)))
    return unavailable('cannot reach the PostgreSQL server');
  // SQLSTATE class 28: invalid authorization (28P01 wrong password, 28000 no pg_hba entry).
  if (code.startsWith('28')) return unavailable('the PostgreSQL server refused the credentials');
  if (code === '3D000') return unavailable('no such PostgreSQL database');
  // Class 08 connection exceptions, 57P0x shutting down / starting up, 53300 too many connections.
  if (code.startsWith('08') || code.startsWith('57P') || code === '53300')
    return unavailable('the PostgreSQL server is not accepting connections');
  if (/^[0-9A-Z]{5}$/.test(code))
    return new LarderError('STORE_INVALID', `${location}: not usable as a larder store (${message})`, {
      cause: err,
      subject: location,
    });
  return new LarderError('IO', `${location}: ${message}`, { cause: err, subject: location });
}
