/**
 * The worker side of uploads: a PackagePublisher that sends built packages to `larder serve`
 * (`PUT <server>/api/repository/<arch>/packages`, multipart: key, recipe, one `package` part per
 * file) with an API token, and returns what the server published.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { LarderError } from '../../core/index.js';
import type { PackagePublisher, PublishedPackageInfo } from '../../factory/index.js';
import { ErrorBody, PublishedList } from '../api/schemas.js';

export interface RemotePublisherOptions {
  /** `http://host:port` (a path prefix is kept). */
  readonly serverUrl: string;
  /** An API token with the write scope (`larder token create`). */
  readonly token: string;
  /** Default: the global fetch. */
  readonly fetch?: typeof fetch;
}

export function createRemotePublisher(options: RemotePublisherOptions): PackagePublisher {
  const doFetch = options.fetch ?? fetch;
  const base = options.serverUrl.replace(/\/+$/, '');
  return {
    async publish(arch, files, build): Promise<readonly PublishedPackageInfo[]> {
      const url = `${base}/api/repository/${encodeURIComponent(arch)}/packages`;
      const form = new FormData();
      form.set('key', build.key);
      form.set('recipe', build.recipe);
      for (const f of files)
        form.append('package', new Blob([new Uint8Array(await readFile(f.path))]), f.fileName);
      let response: Response;
      try {
        response = await doFetch(url, {
          method: 'PUT',
          body: form,
          headers: { authorization: `Bearer ${options.token}` },
        });
      } catch (err) {
        throw new LarderError('FETCH_FAILED', `upload to ${url}: ${(err as Error).message}`, {
          cause: err,
          subject: url,
        });
      }
      const text = await response.text();
      if (!response.ok) {
        const body = ErrorBody.safeParse(safeJson(text));
        const why = body.success ? body.data.error.message : text.slice(0, 200);
        const code =
          response.status === 401 || response.status === 403 ? 'FETCH_UNAUTHORIZED' : 'FETCH_FAILED';
        throw new LarderError(code, `upload to ${url}: HTTP ${response.status}: ${why}`, { subject: url });
      }
      const parsed = PublishedList.safeParse(safeJson(text));
      if (!parsed.success)
        throw new LarderError(
          'FETCH_FAILED',
          `upload to ${url}: unexpected answer: ${z.prettifyError(parsed.error)}`,
          {
            subject: url,
          },
        );
      return parsed.data.published;
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
