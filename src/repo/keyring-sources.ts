import type { KeyObject } from 'node:crypto';
import { type ApkKeyring, keyringFromPems, loadKeyring } from '../apk/index.js';
import { isLarderError, LarderError } from '../core/index.js';
import { type Fetcher, fetchBytes, redactUrl } from './fetcher.js';
import { locate } from './location.js';

/**
 * Builds one keyring from `--keyring` values: local files and directories (every file in a
 * directory, as `/etc/apk/keys`), `file://` URLs likewise, and `http(s)://` URLs fetched
 * through `fetcher` (so cached, and available offline once fetched), each key named by the
 * file name at the end of its path, as apk matches `.SIGN.*.<name>`. Two different keys
 * under one name are KEY_INVALID naming both sources: which one is trusted must not depend
 * on argument order.
 */
export async function loadKeyringSources(sources: readonly string[], fetcher: Fetcher): Promise<ApkKeyring> {
  const keys = new Map<string, KeyObject>();
  const origins = new Map<string, string>();
  for (const source of sources) {
    const location = locate(source);
    let found: ApkKeyring;
    switch (location.kind) {
      case 'local':
        found = await loadKeyring([location.path]);
        break;
      case 'http':
        found = await fetchKey(source, fetcher);
        break;
    }
    for (const [name, key] of found.keys) {
      const earlier = keys.get(name);
      if (earlier !== undefined && !earlier.equals(key)) {
        throw new LarderError(
          'KEY_INVALID',
          `two different keys named ${name}: from ${origins.get(name)} and from ${redactUrl(source)}`,
          { subject: source },
        );
      }
      keys.set(name, key);
      origins.set(name, redactUrl(source));
    }
  }
  return { keys };
}

async function fetchKey(url: string, fetcher: Fetcher): Promise<ApkKeyring> {
  const name = keyNameOf(url);
  const bytes = await fetchBytes(fetcher, url);
  try {
    return keyringFromPems([[name, bytes]]);
  } catch (err) {
    const shown = redactUrl(url);
    const message = err instanceof Error ? err.message : String(err);
    throw new LarderError(isLarderError(err) ? err.code : 'KEY_INVALID', `${shown}: ${message}`, {
      cause: err,
      subject: shown,
    });
  }
}

/** The last path segment of a key URL, percent-decoded. */
function keyNameOf(url: string): string {
  const segment = new URL(url).pathname.split('/').pop() ?? '';
  const name = decodeURIComponent(segment);
  if (name === '' || name.includes('/'))
    throw new LarderError('USAGE', `${redactUrl(url)}: a key URL must end with the key's file name`, {
      subject: redactUrl(url),
    });
  return name;
}
