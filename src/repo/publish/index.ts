/** Publishing packages into a signed repository directory (`REPO/ARCH/APKINDEX.tar.gz`). */
export { readExistingIndex } from './existing-index.js';
export { INDEX_NAME, type PublishOptions, type PublishResult, publishPackages } from './publish.js';
export { acquireRepoLock, type RepoLock, type RepoLockOptions } from './repo-lock.js';
