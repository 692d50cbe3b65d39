import { createHash } from 'node:crypto';
import { LarderError } from '../../core/index.js';
import { type ClientContext, describe, type RepositoryName, repoRequest } from './context.js';
import { statusError } from './errors.js';
import { discard, transportError } from './http.js';

/** HEAD of a blob: its size when the repository has it, undefined on 404. */
export async function headBlob(
  ctx: ClientContext,
  repo: RepositoryName,
  digest: string,
  push = false,
): Promise<{ readonly size: number } | undefined> {
  const what = `HEAD blob ${digest} in ${describe(repo)}`;
  const res = await ctx.transport.send(
    repoRequest(ctx, repo, { method: 'HEAD', path: `blobs/${digest}`, what, push }),
  );
  await discard(res);
  if (res.status === 404) return undefined;
  if (res.status !== 200) throw await statusError(what, res);
  return { size: Number(res.header('content-length') ?? -1) };
}

/**
 * GET of a blob as a stream that is checked as it goes: more bytes than `size` fail at once,
 * and at the end the byte count and sha256 must match, else FETCH_FAILED (nothing is retried
 * here: a caller writing to a file starts again). Emits `advance` progress per chunk.
 */
export async function getBlob(
  ctx: ClientContext,
  repo: RepositoryName,
  expected: { readonly digest: string; readonly size?: number },
): Promise<AsyncIterable<Uint8Array>> {
  const what = `GET blob ${expected.digest} in ${describe(repo)}`;
  if (!expected.digest.startsWith('sha256:')) {
    throw new LarderError('USAGE', `${what}: only sha256 digests are supported`);
  }
  const res = await ctx.transport.send(
    repoRequest(ctx, repo, { method: 'GET', path: `blobs/${expected.digest}`, what }),
  );
  if (res.status !== 200) throw await statusError(what, res);
  const task = `pull ${expected.digest}`;
  const total = expected.size;
  const progress = ctx.onProgress;
  return (async function* checked() {
    const hash = createHash('sha256');
    let done = 0;
    progress({ kind: 'start', task, ...(total === undefined ? {} : { total }) });
    try {
      for await (const chunk of res.body) {
        const bytes = chunk as Buffer;
        done += bytes.length;
        if (total !== undefined && done > total) {
          throw new LarderError('FETCH_FAILED', `${what}: more than the expected ${total} bytes`, {
            subject: res.url,
          });
        }
        hash.update(bytes);
        progress({ kind: 'advance', task, done, ...(total === undefined ? {} : { total }) });
        yield bytes;
      }
    } catch (err) {
      throw transportError(`${what} after ${done} bytes`, err);
    } finally {
      res.body.destroy();
    }
    const digest = `sha256:${hash.digest('hex')}`;
    if ((total !== undefined && done !== total) || digest !== expected.digest) {
      throw new LarderError(
        'FETCH_FAILED',
        `${what}: received ${done} bytes with digest ${digest}, expected ${total ?? '?'} bytes with ${expected.digest}`,
        { subject: res.url },
      );
    }
    progress({ kind: 'finish', task });
  })();
}
