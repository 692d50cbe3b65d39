import { fileURLToPath } from 'node:url';
import { LarderError } from '../core/index.js';

/** Where a repository, key or file lives: on this machine, or behind http(s). */
export type Location = { readonly kind: 'local'; readonly path: string } | { readonly kind: 'http' };

const SCHEME = /^([a-z][a-z0-9+.-]*):/i;

/**
 * Classifies a URL or path: `http(s)://` is remote; `file://` URLs and plain paths are local.
 * Any other scheme is a USAGE error naming the value (apk's `ftp://` is not supported).
 */
export function locate(url: string): Location {
  const scheme = SCHEME.exec(url)?.[1]?.toLowerCase();
  // A single letter before ':' is a Windows drive, not a scheme.
  if (scheme === undefined || scheme.length === 1) return { kind: 'local', path: url };
  switch (scheme) {
    case 'http':
    case 'https':
      return { kind: 'http' };
    case 'file':
      try {
        return { kind: 'local', path: fileURLToPath(url) };
      } catch (err) {
        throw new LarderError('USAGE', `${url}: not a valid file URL (${(err as Error).message})`, {
          cause: err,
          subject: url,
        });
      }
    default:
      throw new LarderError(
        'USAGE',
        `${url}: unsupported URL scheme '${scheme}:' (use http, https or file)`,
        {
          subject: url,
        },
      );
  }
}
