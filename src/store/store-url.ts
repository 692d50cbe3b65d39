import { LarderError } from '../core/index.js';

/** Where a store lives, parsed from a `--db` / `--database` value. */
export type StoreLocation =
  | { readonly kind: 'sqlite'; readonly path: string }
  | { readonly kind: 'memory' }
  | {
      readonly kind: 'postgres';
      /** The URL as given, password included: only for the driver. */
      readonly url: string;
      /** The URL with its password (and any `password=` parameter) replaced by `***`: for messages. */
      readonly redacted: string;
    };

/**
 * Parses a store URL: `:memory:`, `sqlite::memory:`, `sqlite:PATH` (also `sqlite://PATH`, so
 * `sqlite:///abs/file.db` is an absolute path), `postgres://` or `postgresql://` URLs (libpq
 * style: `postgres://user:password@host:port/database?sslmode=...`), or a plain file path. Other
 * `scheme://` URLs and PostgreSQL URLs that do not parse are usage errors; messages never echo
 * a password.
 */
export function parseStoreUrl(url: string): StoreLocation {
  if (url === '') throw new LarderError('USAGE', 'empty store location');
  if (url === ':memory:' || url === 'sqlite::memory:') return { kind: 'memory' };
  if (url.startsWith('sqlite:')) {
    const rest = url.slice('sqlite:'.length);
    const path = rest.startsWith('//') ? rest.slice(2) : rest;
    if (path === '') throw new LarderError('USAGE', `store URL '${url}' names no file`);
    return { kind: 'sqlite', path };
  }
  if (/^postgres(ql)?:\/\//i.test(url)) return postgresLocation(url);
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url);
  if (scheme)
    throw new LarderError('USAGE', `store URL '${redactStoreUrl(url)}': unknown scheme '${scheme[1]}'`);
  return { kind: 'sqlite', path: url };
}

function postgresLocation(url: string): StoreLocation {
  const redacted = redactStoreUrl(url);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new LarderError('USAGE', `store URL '${redacted}' is not a valid PostgreSQL URL`);
  }
  if (parsed.hostname === '' && !parsed.searchParams.has('host'))
    throw new LarderError('USAGE', `store URL '${redacted}' names no host`);
  if (parsed.pathname === '' || parsed.pathname === '/')
    throw new LarderError('USAGE', `store URL '${redacted}' names no database (postgres://host/DATABASE)`);
  return { kind: 'postgres', url, redacted };
}

/** `url` without its password: `user:***@` and `password=***`. Safe for messages and logs. */
export function redactStoreUrl(url: string): string {
  return (
    url
      // Greedy to the last `@`: a password may hold an unencoded `@` or `/`; hiding more is safe.
      .replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@?#]*):.*@/i, '$1:***@')
      .replace(/([?&]password=)[^&#]*/gi, '$1***')
  );
}
