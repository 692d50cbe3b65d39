import { LarderError } from '../core/index.js';

/** Where a store lives, parsed from a `--db` value. */
export type StoreLocation = { readonly kind: 'sqlite'; readonly path: string } | { readonly kind: 'memory' };

/**
 * Parses a store URL: `:memory:`, `sqlite::memory:`, `sqlite:PATH` (also `sqlite://PATH`, so
 * `sqlite:///abs/file.db` is an absolute path), or a plain file path. PostgreSQL URLs are
 * recognised and refused until the PostgreSQL store exists; other `scheme://` URLs are usage
 * errors.
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
  if (/^postgres(ql)?:\/\//.test(url))
    throw new LarderError('USAGE', `store URL '${redact(url)}': PostgreSQL stores are not supported yet`);
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url);
  if (scheme) throw new LarderError('USAGE', `store URL '${redact(url)}': unknown scheme '${scheme[1]}'`);
  return { kind: 'sqlite', path: url };
}

/** The URL without a password, for messages. */
function redact(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/i, '$1:***@');
}
