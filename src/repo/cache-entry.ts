import { type FileHandle, open } from 'node:fs/promises';
import { hexDigest, isLarderError, writeFileAtomic } from '../core/index.js';

/** What the cache remembers about a response besides its body. */
export interface CacheEntryMeta {
  readonly url: string;
  readonly etag?: string;
  readonly lastModified?: string;
  /** ISO time of the fetch that stored the body. */
  readonly fetchedAt: string;
}

/** An entry opened for reading; whoever opens it closes `handle` (streamEntry does). */
export interface OpenCacheEntry {
  readonly meta: CacheEntryMeta;
  readonly handle: FileHandle;
  readonly offset: number;
  readonly size: number;
}

/** Longest metadata line read; a longer first line marks a damaged entry. */
const MAX_META_BYTES = 64 * 1024;

/** The entry file of a URL: sha256 of the URL, so any URL maps to a safe, fixed-length name. */
export function cacheEntryName(url: string): string {
  return hexDigest('sha256', url);
}

/**
 * Writes an entry as ONE file, a JSON metadata line then the body, atomically (temp file,
 * fsync, rename): a reader sees either the old entry or the complete new one, and metadata
 * can never describe another body. A failing body (a cut stream) leaves the old entry alone
 * and rethrows the fetch error itself.
 */
export async function writeCacheEntry(
  path: string,
  meta: CacheEntryMeta,
  body: AsyncIterable<Uint8Array>,
): Promise<void> {
  async function* content(): AsyncGenerator<Uint8Array> {
    yield Buffer.from(`${JSON.stringify(meta)}\n`);
    yield* body;
  }
  try {
    await writeFileAtomic(path, content());
  } catch (err) {
    if (isLarderError(err, 'IO') && isLarderError(err.cause)) throw err.cause;
    throw err;
  }
}

/** Opens the entry for `url`, or undefined when absent or damaged (then it is refetched). */
export async function openCacheEntry(path: string, url: string): Promise<OpenCacheEntry | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const info = await handle.stat();
    const head = Buffer.alloc(Math.min(MAX_META_BYTES, info.size));
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const newline = head.subarray(0, bytesRead).indexOf(0x0a);
    const meta = newline < 0 ? undefined : parseMeta(head.subarray(0, newline).toString('utf8'));
    if (meta === undefined || meta.url !== url) {
      await handle.close();
      return undefined;
    }
    return { meta, handle, offset: newline + 1, size: info.size - newline - 1 };
  } catch (err) {
    await handle.close();
    throw err;
  }
}

/** Streams an opened entry's body, closing the file at the end. */
export async function* streamCacheEntry(entry: OpenCacheEntry): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of entry.handle.createReadStream({ start: entry.offset, autoClose: false }))
      yield chunk as Buffer;
  } finally {
    await entry.handle.close();
  }
}

function parseMeta(line: string): CacheEntryMeta | undefined {
  try {
    const value = JSON.parse(line) as Record<string, unknown>;
    const optional = (key: string) => (typeof value[key] === 'string' ? { [key]: value[key] } : {});
    if (typeof value.url !== 'string' || typeof value.fetchedAt !== 'string') return undefined;
    return {
      url: value.url,
      fetchedAt: value.fetchedAt,
      ...optional('etag'),
      ...optional('lastModified'),
    } as CacheEntryMeta;
  } catch {
    return undefined;
  }
}
