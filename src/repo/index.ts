/**
 * Repositories (docs/architecture.md): the `Fetcher` seam (files, http(s) with retries, an
 * on-disk cache with revalidation and offline mode), repository lists, keyrings from files,
 * directories and URLs, and the repository client that verifies indexes and packages.
 */
export { type CachingFetcherOptions, createCachingFetcher } from './caching-fetcher.js';
export { type CreateFetcherOptions, createFetcher, createRoutingFetcher } from './create-fetcher.js';
export {
  type ClosableFetcher,
  type Fetcher,
  type FetchOptions,
  type FetchResponse,
  fetchBytes,
  type HttpStatusCause,
  httpStatusError,
  isRetryableFetchError,
  readBody,
  redactUrl,
} from './fetcher.js';
export { createFileFetcher } from './file-fetcher.js';
export type { HttpFetcherOptions } from './http-fetcher.js';
export { loadKeyringSources } from './keyring-sources.js';
export { createHttpFetcher } from './lazy-http-fetcher.js';
export { type Location, locate } from './location.js';
export { type FetchedPackage, type FetchPackageOptions, fetchPackage } from './package-fetch.js';
/** The publisher: packages into `REPO/ARCH/` and its signed index, under a lock, atomically. */
export {
  acquireRepoLock,
  INDEX_NAME,
  type PublishOptions,
  type PublishResult,
  publishPackages,
  type RepoLock,
  type RepoLockOptions,
  readExistingIndex,
} from './publish/index.js';
export {
  formatRepository,
  parseRepositoriesFile,
  parseRepository,
  type Repository,
  readRepositoriesFile,
  repositoryIndexUrl,
  repositoryPackageUrl,
} from './repositories.js';
export { type LoadIndexesOptions, loadIndexes, type RepositoryIndex } from './repository-client.js';
export { createRetryingFetcher, type RetryOptions } from './retrying-fetcher.js';
