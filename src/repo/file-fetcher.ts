import { type FileHandle, open } from 'node:fs/promises';
import { LarderError, type LarderErrorCode } from '../core/index.js';
import type { Fetcher, FetchOptions, FetchResponse } from './fetcher.js';
import { locate } from './location.js';

/**
 * Serves local paths and `file://` URLs, streaming the file. The file is opened before the
 * answer is returned, so a missing file fails the fetch itself (FETCH_NOT_FOUND), not the
 * body. A weak ETag from size and mtime lets conditional fetches answer `not-modified`.
 */
export function createFileFetcher(): Fetcher {
  return { fetch: fetchFile };
}

async function fetchFile(url: string, options: FetchOptions = {}): Promise<FetchResponse> {
  const location = locate(url);
  if (location.kind !== 'local')
    throw new LarderError('USAGE', `${url}: the file fetcher serves only paths and file:// URLs`, {
      subject: url,
    });
  options.signal?.throwIfAborted();
  let handle: FileHandle;
  try {
    handle = await open(location.path, 'r');
  } catch (err) {
    throw fileError(url, err);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile())
      throw new LarderError('FETCH_NOT_FOUND', `${url}: not a regular file`, { subject: url });
    const etag = `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
    const lastModified = info.mtime.toUTCString();
    if (options.etag === etag || (options.etag === undefined && options.lastModified === lastModified)) {
      await handle.close();
      return { status: 'not-modified' };
    }
    return {
      status: 'ok',
      body: streamHandle(handle, url, options.signal),
      size: info.size,
      etag,
      lastModified,
    };
  } catch (err) {
    await handle.close();
    throw err instanceof LarderError ? err : fileError(url, err);
  }
}

async function* streamHandle(
  handle: FileHandle,
  url: string,
  signal: AbortSignal | undefined,
): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of handle.createReadStream({ autoClose: false, ...(signal ? { signal } : {}) }))
      yield chunk as Buffer;
  } catch (err) {
    throw fileError(url, err);
  } finally {
    await handle.close();
  }
}

function fileError(url: string, err: unknown): LarderError {
  const errno = (err as NodeJS.ErrnoException).code;
  const code: LarderErrorCode =
    errno === 'ENOENT' || errno === 'ENOTDIR' || errno === 'EISDIR'
      ? 'FETCH_NOT_FOUND'
      : errno === 'EACCES' || errno === 'EPERM'
        ? 'FETCH_UNAUTHORIZED'
        : 'FETCH_FAILED';
  return new LarderError(code, `${url}: ${(err as Error).message}`, { cause: err, subject: url });
}
