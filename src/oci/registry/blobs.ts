import { createHash } from 'node:crypto';
import { type Readable, Transform } from 'node:stream';
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

/** What a blob GET must deliver. */
export interface ExpectedBlob {
  readonly digest: string;
  readonly size?: number;
  /**
   * `size` to check only the byte count, for bytes that go straight into a PUT with
   * `?digest=`: the receiving registry hashes them and refuses a mismatch (DIGEST_INVALID), so
   * hashing them here too would only cost CPU. `digest` (the default) checks both.
   */
  readonly check?: 'digest' | 'size';
}

/**
 * GET of a blob as a stream that is checked as it goes: more bytes than `size` fail at once,
 * and at the end the byte count and sha256 must match, else FETCH_FAILED (nothing is retried
 * here: a caller writing to a file starts again). Emits `advance` progress per chunk.
 */
export async function getBlob(
  ctx: ClientContext,
  repo: RepositoryName,
  expected: ExpectedBlob,
): Promise<Readable> {
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
  const hash = expected.check === 'size' ? undefined : createHash('sha256');
  let done = 0;
  progress({ kind: 'start', task, ...(total === undefined ? {} : { total }) });
  // A Transform rather than an async generator: a copy pipes it straight into its PUT, without
  // a promise hop per 64 KiB chunk.
  const checked = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      done += chunk.length;
      if (total !== undefined && done > total) {
        callback(
          new LarderError('FETCH_FAILED', `${what}: more than the expected ${total} bytes`, {
            subject: res.url,
          }),
        );
        return;
      }
      hash?.update(chunk);
      progress({ kind: 'advance', task, done, ...(total === undefined ? {} : { total }) });
      callback(null, chunk);
    },
    flush(callback) {
      const digest = hash === undefined ? expected.digest : `sha256:${hash.digest('hex')}`;
      if ((total !== undefined && done !== total) || digest !== expected.digest) {
        callback(
          new LarderError(
            'FETCH_FAILED',
            `${what}: received ${done} bytes with digest ${digest}, expected ${total ?? '?'} bytes with ${expected.digest}`,
            { subject: res.url },
          ),
        );
        return;
      }
      progress({ kind: 'finish', task });
      callback();
    },
  });
  const body = res.body;
  body.on('error', (err) => checked.destroy(transportError(`${what} after ${done} bytes`, err)));
  checked.on('close', () => body.destroy());
  // Bytes flow in at once; a failure before the caller reads is kept (`errored`) and thrown to
  // its reader, not emitted to nobody.
  checked.on('error', () => {});
  body.pipe(checked);
  return checked;
}
