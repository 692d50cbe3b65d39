import { IGNORE_PROGRESS, type ProgressListener } from '../../core/index.js';
import { getBlob, headBlob } from './blobs.js';
import type { ClientContext, RepositoryName } from './context.js';
import { registryUrl } from './context.js';
import type { CredentialsProvider } from './credentials.js';
import { statusError } from './errors.js';
import { discard } from './http.js';
import {
  getManifest,
  headManifest,
  type ListTagsOptions,
  listTags,
  type ManifestInfo,
  type ManifestResponse,
  putManifest,
} from './manifests.js';
import {
  type ListReferrersOptions,
  listReferrers,
  type PushReferrerResult,
  pushReferrer,
  type ReferrersList,
} from './referrers.js';
import { RegistryTransport } from './transport.js';
import {
  type BlobSource,
  mountBlob,
  type PushBlobOptions,
  type PushBlobOutcome,
  pushBlob,
} from './upload.js';

export interface RegistryClientOptions {
  /** Plain http for registries that are not loopback (those always use http, as docker does). */
  readonly insecure?: boolean;
  /** Credentials per registry host, e.g. `dockerConfigCredentials()`; anonymous when absent. */
  readonly auth?: CredentialsProvider;
  readonly userAgent?: string;
  /** Attempts after the first on 5xx, 408, 429 and connection failures; 3 by default. */
  readonly retries?: number;
  /** First backoff, doubled per attempt (with jitter, capped at 8 s); 250 ms by default. */
  readonly retryDelayMs?: number;
  /** Idle timeout for response headers and between body chunks; 60 s by default. */
  readonly timeoutMs?: number;
  /** Blob transfers at once in `pushOciLayout`/`pullToOciLayout`; 4 by default. */
  readonly parallel?: number;
  /** Blobs larger than this are uploaded in chunks of this size; 32 MiB by default. */
  readonly chunkSize?: number;
  /** `start`/`advance`/`finish` per blob (task `push <digest>` / `pull <digest>`), `warn` on retries. */
  readonly onProgress?: ProgressListener;
}

/**
 * An OCI distribution (1.1) client for one or more registries: blobs, manifests and tags,
 * with anonymous, Basic and bearer-token auth and retries. Holds keep-alive connections and
 * cached tokens: `close()` it when done.
 */
export class RegistryClient {
  readonly parallel: number;
  readonly #ctx: ClientContext;

  constructor(options: RegistryClientOptions = {}) {
    const onProgress = options.onProgress ?? IGNORE_PROGRESS;
    this.parallel = Math.max(1, options.parallel ?? 4);
    this.#ctx = {
      insecure: options.insecure ?? false,
      chunkSize: Math.max(1, options.chunkSize ?? 32 * 1024 * 1024),
      onProgress,
      transport: new RegistryTransport({
        userAgent: options.userAgent ?? 'larder',
        timeoutMs: options.timeoutMs ?? 60_000,
        connections: Math.max(8, this.parallel * 2),
        retries: options.retries ?? 3,
        baseDelayMs: options.retryDelayMs ?? 250,
        maxDelayMs: 8000,
        auth: options.auth,
        onProgress,
      }),
    };
  }

  /** `GET /v2/`: resolves when the registry answers 200 (authenticating if it asks). */
  async ping(registry: string): Promise<void> {
    const what = `GET /v2/ of ${registry}`;
    const url = registryUrl(this.#ctx, registry, '');
    const res = await this.#ctx.transport.send({ method: 'GET', url, registry, scopes: [], what });
    if (res.status !== 200) throw await statusError(what, res);
    await discard(res);
  }

  /** The blob's size when the repository has it; undefined on 404. */
  headBlob(repo: RepositoryName, digest: string): Promise<{ readonly size: number } | undefined> {
    return headBlob(this.#ctx, repo, digest);
  }

  /** The blob's bytes, streamed and verified against digest (and size when given) as they come. */
  getBlob(
    repo: RepositoryName,
    expected: { readonly digest: string; readonly size?: number },
  ): Promise<AsyncIterable<Uint8Array>> {
    return getBlob(this.#ctx, repo, expected);
  }

  /** HEAD, then mount or upload (monolithic, or chunked above `chunkSize`). */
  pushBlob(
    repo: RepositoryName,
    source: BlobSource,
    options: PushBlobOptions = {},
  ): Promise<PushBlobOutcome> {
    return pushBlob(this.#ctx, repo, source, options);
  }

  /** A cross-repository mount alone: true when mounted, false when the registry declined. */
  mountBlob(repo: RepositoryName, digest: string, from: string): Promise<boolean> {
    return mountBlob(this.#ctx, repo, digest, from);
  }

  /** A manifest or index by tag or digest, with its exact bytes, verified. */
  getManifest(repo: RepositoryName, reference: string): Promise<ManifestResponse> {
    return getManifest(this.#ctx, repo, reference);
  }

  /** Media type, digest and size by HEAD; undefined on 404. */
  headManifest(repo: RepositoryName, reference: string): Promise<ManifestInfo | undefined> {
    return headManifest(this.#ctx, repo, reference);
  }

  /** Stores exact bytes under a tag or their digest; returns the digest. */
  putManifest(
    repo: RepositoryName,
    reference: string,
    bytes: Uint8Array,
    mediaType: string,
  ): Promise<string> {
    return putManifest(this.#ctx, repo, reference, bytes, mediaType);
  }

  /** All tags, following pagination (`Link` headers, else `n`/`last` with `pageSize`). */
  listTags(repo: RepositoryName, options: ListTagsOptions = {}): Promise<string[]> {
    return listTags(this.#ctx, repo, options);
  }

  /** Descriptors of the manifests whose subject is `digest` (referrers API, else the fallback tag). */
  listReferrers(
    repo: RepositoryName,
    digest: string,
    options: ListReferrersOptions = {},
  ): Promise<ReferrersList> {
    return listReferrers(this.#ctx, repo, digest, options);
  }

  /** PUTs a manifest with a `subject` by digest, maintaining the fallback tag when the registry has no API. */
  pushReferrer(repo: RepositoryName, bytes: Uint8Array, mediaType: string): Promise<PushReferrerResult> {
    return pushReferrer(this.#ctx, repo, bytes, mediaType);
  }

  /** Attempts after the first for transient failures (callers that restart transfers use it too). */
  get retries(): number {
    return this.#ctx.transport.retries;
  }

  /** Progress listener the client was made with (used by the layout push/pull). */
  get onProgress(): ProgressListener {
    return this.#ctx.onProgress;
  }

  close(): Promise<void> {
    return this.#ctx.transport.close();
  }
}
