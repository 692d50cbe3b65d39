/**
 * melange's `fetch` pipeline, run by larder on the host before the sandboxed steps: download
 * `uri` (http(s), file:// or a local path, through the repo module's Fetcher), verify
 * `expected-sha256` / `expected-sha512` (or skip with `expected-none`), unpack it into
 * `directory` with `strip-components`, and keep the artifact in the step's directory under its
 * base name unless `delete` is true. The download goes to a temporary directory inside the
 * workspace and only a verified artifact is moved into place: a checksum mismatch leaves
 * nothing behind. `timeout`, `dns-timeout` and `retry-limit` are wget's; the Fetcher's own
 * timeout and retries apply instead.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { LarderError } from '../../core/index.js';
import { type Fetcher, redactUrl } from '../../repo/index.js';
import { extractArchive } from './extract-archive.js';
import {
  booleanInput,
  hostPath,
  input,
  integerInput,
  invalidInput,
  type SourceStepContext,
  type SourceStepInput,
  type SourceStepResult,
  stepLabel,
} from './source-step.js';

/** The artifact's file name: the last segment of the URL path (or of the local path). */
export function artifactName(uri: string): string {
  let path = uri;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(uri)) {
    try {
      path = decodeURIComponent(new URL(uri).pathname);
    } catch {
      path = uri;
    }
  }
  return basename(path.replace(/\/+$/, ''));
}

interface Expected {
  readonly algorithm: 'sha256' | 'sha512' | 'none';
  readonly value: string;
}

function expectedChecksum(step: SourceStepInput, label: string): Expected {
  const sha256 = input(step, 'expected-sha256').toLowerCase();
  const sha512 = input(step, 'expected-sha512').toLowerCase();
  if (sha256 !== '') {
    if (!/^[0-9a-f]{64}$/.test(sha256))
      throw invalidInput(label, 'expected-sha256', sha256, 'is not 64 hex characters');
    return { algorithm: 'sha256', value: sha256 };
  }
  if (sha512 !== '') {
    if (!/^[0-9a-f]{128}$/.test(sha512))
      throw invalidInput(label, 'expected-sha512', sha512, 'is not 128 hex characters');
    return { algorithm: 'sha512', value: sha512 };
  }
  if (input(step, 'expected-none') !== '') return { algorithm: 'none', value: '' };
  throw new LarderError(
    'PIPELINE_INVALID',
    `${label}: one of expected-sha256 or expected-sha512 is required`,
  );
}

/** Streams `uri` into `file`, returning its SHA-256 and SHA-512. */
async function download(
  fetcher: Fetcher,
  uri: string,
  file: string,
): Promise<{ sha256: string; sha512: string }> {
  const response = await fetcher.fetch(uri);
  if (response.status !== 'ok') {
    throw new LarderError('FETCH_FAILED', `${redactUrl(uri)}: unexpected not-modified answer`, {
      subject: uri,
    });
  }
  const sha256 = createHash('sha256');
  const sha512 = createHash('sha512');
  async function* hashed(): AsyncGenerator<Uint8Array> {
    for await (const chunk of response.status === 'ok' ? response.body : []) {
      sha256.update(chunk);
      sha512.update(chunk);
      yield chunk;
    }
  }
  await pipeline(hashed(), createWriteStream(file));
  return { sha256: sha256.digest('hex'), sha512: sha512.digest('hex') };
}

/**
 * Runs one `fetch` step into the workspace.
 * @throws LarderError SOURCE_CHECKSUM_MISMATCH naming the step, the URL and both checksums;
 *   PIPELINE_INVALID for bad inputs; FETCH_* when the download fails; FETCH_FAILED when
 *   extraction fails.
 */
export async function runFetchStep(
  step: SourceStepInput,
  context: SourceStepContext,
  fetcher: Fetcher,
): Promise<SourceStepResult> {
  const label = stepLabel(step, context);
  const uri = input(step, 'uri');
  if (uri === '') throw invalidInput(label, 'uri', uri, 'is required');
  const expected = expectedChecksum(step, label);
  const strip = integerInput(step, 'strip-components', label, 1);
  const extract = booleanInput(step, 'extract', label, true);
  const remove = booleanInput(step, 'delete', label, false);
  const name = artifactName(uri);
  if (name === '' || name === '.' || name === '..') throw invalidInput(label, 'uri', uri, 'names no file');
  const runDir = hostPath(context, step, label, 'working-directory', '.');
  const target = hostPath(context, step, label, 'directory', input(step, 'directory') || '.');
  const shown = redactUrl(uri);

  await mkdir(runDir, { recursive: true });
  const scratch = await mkdtemp(join(runDir, '.larder-fetch-'));
  const messages: string[] = [];
  try {
    const file = join(scratch, name);
    let sums: { sha256: string; sha512: string };
    try {
      sums = await download(fetcher, uri, file);
    } catch (err) {
      if (err instanceof LarderError)
        throw new LarderError(err.code, `${label}: ${err.message}`, { cause: err, subject: shown });
      throw err;
    }
    if (expected.algorithm !== 'none') {
      const found = sums[expected.algorithm];
      if (found !== expected.value) {
        throw new LarderError(
          'SOURCE_CHECKSUM_MISMATCH',
          `${label}: ${shown}: expected ${expected.algorithm} ${expected.value}, got ${found}`,
          { subject: shown },
        );
      }
      messages.push(`fetch: ${shown}: ${expected.algorithm} ${found} verified`);
    } else {
      messages.push(`fetch: ${shown}: checksum verification skipped (expected-none)`);
    }
    if (extract) {
      await mkdir(target, { recursive: true });
      const unpack = join(scratch, 'unpacked');
      await mkdir(unpack);
      try {
        await extractArchive(file, target, strip, unpack);
      } catch (err) {
        if (err instanceof LarderError)
          throw new LarderError(err.code, `${label}: ${err.message}`, { cause: err, subject: shown });
        throw err;
      }
    }
    if (!remove) await rename(file, join(runDir, name));
    return { messages, warnings: [] };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
