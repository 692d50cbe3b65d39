import { createReadStream } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { isLarderError, LarderError } from '../../core/index.js';
import { headBlob } from './blobs.js';
import { repositoryScope } from './challenge.js';
import { type ClientContext, describe, type RepositoryName, repoRequest } from './context.js';
import { isRetryable, statusError } from './errors.js';
import { discard } from './http.js';
import type { RegistryRequest } from './transport.js';

/**
 * A blob to push: bytes in memory, a file, or a stream opened once per attempt (e.g. a GET from
 * another registry; always sent in one PUT), with the digest and size it must have.
 */
export type BlobSource =
  | { readonly digest: string; readonly size: number; readonly bytes: Uint8Array }
  | { readonly digest: string; readonly size: number; readonly path: string }
  | {
      readonly digest: string;
      readonly size: number;
      /** A Readable (e.g. `getBlob`'s) is piped as it is; any other iterable is wrapped. */
      readonly open: () => AsyncIterable<Uint8Array> | Promise<AsyncIterable<Uint8Array>>;
    };

export interface PushBlobOptions {
  /** A repository of the same registry that may hold the blob: try a cross-repository mount. */
  readonly mountFrom?: string;
  /** The caller has just seen a HEAD miss for this blob in `repo`: skip the HEAD. */
  readonly absent?: boolean;
}

/**
 * Bytes per file read and per socket write of an upload: one 64 KiB stream chunk per write
 * cost a syscall and a promise hop each (a third of a copy's CPU time went to them).
 */
const IO_BUFFER = 1024 * 1024;
/** Bytes held between the GET and the PUT of a streamed blob (`open` sources). */
const STREAM_BUFFER = 8 * 1024 * 1024;

/** How a blob got there: it was there, it was mounted, or its bytes were sent. */
export type PushBlobOutcome = 'exists' | 'mounted' | 'uploaded';

/**
 * Pushes one blob: HEAD (present → done), then a mount when `mountFrom` is given (201 →
 * done; 202 opens an ordinary upload session, which is used), else POST; then one PUT with the
 * whole blob, or for blobs larger than the chunk size PATCHes with `Content-Range` and a
 * closing PUT. A failed chunk is resumed from the offset the session reports (`GET` on the
 * session: `Range: 0-<last>`). A session that breaks (404 upload unknown or invalid, or
 * transient failures beyond the retries) is started over, up to `retries` times: distribution
 * 2.8 invalidates a session whose chunk was cut mid-body (its `_state` carries the offset).
 */
export async function pushBlob(
  ctx: ClientContext,
  repo: RepositoryName,
  source: BlobSource,
  options: PushBlobOptions = {},
): Promise<PushBlobOutcome> {
  if (options.absent !== true && (await headBlob(ctx, repo, source.digest, true)) !== undefined) {
    return 'exists';
  }
  const task = `push ${source.digest}`;
  ctx.onProgress({ kind: 'start', task, total: source.size });
  for (let session = 1; ; session++) {
    try {
      const started = await startUpload(ctx, repo, source, options.mountFrom).catch((err: unknown) => {
        // A refused mount (no pull on the source repository) still allows a plain upload.
        if (options.mountFrom === undefined || !isLarderError(err, 'FETCH_UNAUTHORIZED')) throw err;
        return startUpload(ctx, repo, source, undefined);
      });
      if (started.mounted) {
        ctx.onProgress({ kind: 'finish', task });
        return 'mounted';
      }
      const chunk = Math.max(ctx.chunkSize, started.minChunk);
      const chunked = source.size > chunk && !('open' in source);
      let location = started.location;
      if (chunked) location = await sendChunks(ctx, repo, source, location, chunk, task);
      await finish(ctx, repo, source, location, chunked, task);
      ctx.onProgress({ kind: 'finish', task });
      return 'uploaded';
    } catch (err) {
      const broken = isRetryable(err) || isLarderError(err, 'FETCH_NOT_FOUND');
      if (!broken || session > ctx.transport.retries) throw err;
      ctx.onProgress({ kind: 'warn', message: `${(err as Error).message}; starting the upload again` });
    }
  }
}

type Started =
  | { readonly mounted: true }
  | { readonly mounted: false; readonly location: string; readonly minChunk: number };

async function startUpload(
  ctx: ClientContext,
  repo: RepositoryName,
  source: BlobSource,
  mountFrom: string | undefined,
): Promise<Started> {
  const mount = mountFrom !== undefined && mountFrom !== repo.repository;
  const query = mount
    ? `?mount=${encodeURIComponent(source.digest)}&from=${encodeURIComponent(mountFrom)}`
    : '';
  const what = `POST upload of ${source.digest} to ${describe(repo)}${mount ? ` (mount from ${mountFrom})` : ''}`;
  const res = await ctx.transport.send(
    repoRequest(ctx, repo, {
      method: 'POST',
      path: `blobs/uploads/${query}`,
      push: true,
      what,
      headers: { 'content-length': '0' },
      ...(mount ? { extraScopes: [repositoryScope(mountFrom, 'pull')] } : {}),
    }),
  );
  if (res.status === 201 && mount) {
    await discard(res);
    return { mounted: true };
  }
  if (res.status !== 202) throw await statusError(what, res);
  await discard(res);
  const minChunk = Number(res.header('oci-chunk-min-length') ?? 0);
  return {
    mounted: false,
    location: locationOf(res.header('location'), res.url, what),
    minChunk: minChunk || 0,
  };
}

/**
 * Tries a cross-repository mount of `digest` from `from` (same registry) without any bytes to
 * fall back on: true when the registry mounted it (201); on 202 (not mounted: it opened an upload
 * session instead) the session is cancelled and false returned.
 */
export async function mountBlob(
  ctx: ClientContext,
  repo: RepositoryName,
  digest: string,
  from: string,
): Promise<boolean> {
  if (from === repo.repository) return false;
  const what = `POST mount of ${digest} from ${from} to ${describe(repo)}`;
  const res = await ctx.transport.send(
    repoRequest(ctx, repo, {
      method: 'POST',
      path: `blobs/uploads/?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(from)}`,
      push: true,
      what,
      headers: { 'content-length': '0' },
      extraScopes: [repositoryScope(from, 'pull')],
    }),
  );
  if (res.status === 201) {
    await discard(res);
    return true;
  }
  if (res.status !== 202) throw await statusError(what, res);
  await discard(res);
  const location = res.header('location');
  if (location !== undefined && location !== '') {
    const url = new URL(location, res.url).toString();
    try {
      await discard(await ctx.transport.send(sessionRequest(ctx, repo, url, 'DELETE', `cancel ${what}`, {})));
    } catch {
      // An abandoned session is the registry's to expire (dist-spec: ignore cancel failures).
    }
  }
  return false;
}

async function sendChunks(
  ctx: ClientContext,
  repo: RepositoryName,
  source: BlobSource,
  start: string,
  chunk: number,
  task: string,
): Promise<string> {
  let location = start;
  let offset = 0;
  let failures = 0;
  while (offset < source.size) {
    const end = Math.min(source.size, offset + chunk) - 1;
    const what = `PATCH bytes ${offset}-${end} of ${source.digest} to ${describe(repo)}`;
    const from = offset;
    try {
      const res = await ctx.transport.send(
        sessionRequest(ctx, repo, location, 'PATCH', what, {
          headers: {
            'content-type': 'application/octet-stream',
            'content-range': `${from}-${end}`,
            'content-length': String(end - from + 1),
          },
          body: () => range(source, from, end),
        }),
      );
      if (res.status !== 202) throw await statusError(what, res);
      await discard(res);
      location = locationOf(res.header('location'), location, what);
      offset = end + 1;
      ctx.onProgress({ kind: 'advance', task, done: offset, total: source.size });
    } catch (err) {
      const recoverable = isRetryable(err) || (err instanceof LarderError && statusOf(err) === 416);
      if (!recoverable || ++failures > ctx.transport.retries) throw err;
      ({ location, offset } = await uploadStatus(ctx, repo, location, source.digest));
    }
  }
  return location;
}

async function finish(
  ctx: ClientContext,
  repo: RepositoryName,
  source: BlobSource,
  location: string,
  chunked: boolean,
  task: string,
): Promise<void> {
  const what = `PUT ${source.digest} (${source.size} bytes) to ${describe(repo)}`;
  const url = `${location}${location.includes('?') ? '&' : '?'}digest=${encodeURIComponent(source.digest)}`;
  const res = await ctx.transport.send(
    sessionRequest(ctx, repo, url, 'PUT', what, {
      headers: {
        'content-type': 'application/octet-stream',
        'content-length': chunked ? '0' : String(source.size),
      },
      ...(chunked ? {} : { body: () => range(source, 0, source.size - 1) }),
    }),
  );
  if (res.status !== 201 && res.status !== 204) throw await statusError(what, res);
  await discard(res);
  if (!chunked) ctx.onProgress({ kind: 'advance', task, done: source.size, total: source.size });
}

/** Asks an upload session how far it got (`Range: 0-<last>`), to resume after a failed chunk. */
async function uploadStatus(
  ctx: ClientContext,
  repo: RepositoryName,
  location: string,
  digest: string,
): Promise<{ location: string; offset: number }> {
  const what = `GET upload status of ${digest} in ${describe(repo)}`;
  const res = await ctx.transport.send(sessionRequest(ctx, repo, location, 'GET', what, {}));
  await discard(res);
  if (res.status !== 204 && res.status !== 200) throw await statusError(what, res);
  // distribution 2.8 answers `0-0` for an empty session (and `0-<size-1>` otherwise), so
  // `0-0` is read as nothing received; a 1-byte partial chunk then fails the digest check.
  const match = /(\d+)-(-?\d+)/.exec(res.header('range') ?? '');
  const last = match === null ? -1 : Number(match[2]);
  const offset = last <= 0 ? 0 : last + 1;
  const next = res.header('location');
  return {
    location: next === undefined || next === '' ? location : locationOf(next, location, what),
    offset,
  };
}

function sessionRequest(
  ctx: ClientContext,
  repo: RepositoryName,
  url: string,
  method: 'PATCH' | 'PUT' | 'GET' | 'DELETE',
  what: string,
  rest: Pick<RegistryRequest, 'headers' | 'body'>,
): RegistryRequest {
  return { ...repoRequest(ctx, repo, { method, path: '', push: true, what, ...rest }), url };
}

function range(source: BlobSource, start: number, end: number): Uint8Array | Readable {
  if (end < start) return Buffer.alloc(0);
  if ('bytes' in source) return source.bytes.subarray(start, end + 1);
  if ('open' in source) {
    if (start !== 0 || end !== source.size - 1)
      throw new LarderError('USAGE', 'a streamed blob goes in one piece');
    // A buffer between the two sockets, so the GET keeps reading while the PUT writes. A
    // failure on the GET side destroys `buffered`, which fails the PUT with that error.
    const buffered = coalescing(IO_BUFFER, STREAM_BUFFER);
    const pump = async (): Promise<void> => {
      const opened = await source.open();
      const from = opened instanceof Readable ? opened : Readable.from(opened, { objectMode: false });
      await pipeline(from, buffered);
    };
    pump().catch((err: unknown) => buffered.destroy(err as Error));
    return buffered;
  }
  return createReadStream(source.path, { start, end, highWaterMark: IO_BUFFER });
}

/**
 * A pass-through that joins chunks into pieces of at least `size` bytes (one socket write each
 * instead of one per 64 KiB read), holding up to `buffer` bytes.
 */
function coalescing(size: number, buffer: number): Transform {
  let parts: Buffer[] = [];
  let held = 0;
  return new Transform({
    highWaterMark: buffer,
    transform(chunk: Buffer, _encoding, callback) {
      parts.push(chunk);
      held += chunk.length;
      if (held < size) return callback();
      const joined = Buffer.concat(parts, held);
      parts = [];
      held = 0;
      callback(null, joined);
    },
    flush(callback) {
      callback(null, held === 0 ? undefined : Buffer.concat(parts, held));
    },
  });
}

function locationOf(header: string | undefined, base: string, what: string): string {
  if (header === undefined || header === '') {
    throw new LarderError('FETCH_FAILED', `${what}: the registry sent no Location for the upload session`);
  }
  return new URL(header, base).toString();
}

function statusOf(err: LarderError): number | undefined {
  return (err.cause as { status?: number } | undefined)?.status;
}
