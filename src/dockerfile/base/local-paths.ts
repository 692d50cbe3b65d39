import { isAbsolute, resolve } from 'node:path';

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** A relative local path (no URL scheme, not absolute) taken from `dir`; anything else unchanged. */
export function resolveLocal(url: string, dir: string): string {
  if (SCHEME.test(url) || isAbsolute(url)) return url;
  return resolve(dir, url);
}

/** One `/etc/apk/repositories` line with its local path resolved; the `@tag` prefix is kept. */
export function resolveRepositoryLine(line: string, dir: string): string {
  const m = /^(@\S+\s+)?(.*)$/.exec(line.trim())!;
  return `${m[1] ?? ''}${resolveLocal(m[2]!, dir)}`;
}
