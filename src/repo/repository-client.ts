import {
  type ApkIndexTrust,
  type ApkKeyring,
  type PackageRecord,
  readApkIndex,
  verifyApkIndex,
} from '../apk/index.js';
import {
  hexDigest,
  IGNORE_PROGRESS,
  isLarderError,
  LarderError,
  type ProgressListener,
} from '../core/index.js';
import { type Fetcher, fetchBytes, redactUrl } from './fetcher.js';
import { type Repository, repositoryIndexUrl } from './repositories.js';

export interface LoadIndexesOptions {
  /** In priority order; the result keeps this order. */
  readonly repositories: readonly Repository[];
  /** apk arch name (`x86_64`, `aarch64`, ...): the directory the index is read from. */
  readonly arch: string;
  readonly keyring: ApkKeyring;
  readonly fetcher: Fetcher;
  /** `--allow-untrusted`: accept indexes that are unsigned or signed by unknown keys (never BAD ones). */
  readonly allowUntrusted?: boolean;
  readonly signal?: AbortSignal;
  /** `start`/`finish` per index, and a `warn` for each index accepted untrusted. */
  readonly onProgress?: ProgressListener;
}

/** One repository's index for one arch, read and verified once per run. */
export interface RepositoryIndex {
  readonly repository: Repository;
  readonly arch: string;
  readonly indexUrl: string;
  /**
   * The records, parsed on first access (the signature was checked when loading): callers
   * that keep parsed indexes by `digest` never pay for parsing the text again.
   */
  readonly records: PackageRecord[];
  readonly description: string;
  /** The index file's bytes, as fetched and verified. */
  readonly bytes: Buffer;
  /** `sha256:<hex>` of the index file's bytes, as fetched (for lock files and provenance). */
  readonly digest: string;
  /** The key that verified the index, or why it was accepted without one (`--allow-untrusted`). */
  readonly trust:
    | { readonly verdict: 'ok'; readonly keyName: string }
    | { readonly verdict: 'untrusted'; readonly reason: string };
}

/**
 * Fetches and verifies `<url>/<arch>/APKINDEX.tar.gz` of every repository (concurrently,
 * results in the given order). A signature by a trusted key is required unless
 * `allowUntrusted`; the SIGNATURE_UNTRUSTED error names the repository, the keys the index is
 * signed with and the keys the keyring offers. A BAD signature always fails.
 */
export async function loadIndexes(options: LoadIndexesOptions): Promise<RepositoryIndex[]> {
  return Promise.all(options.repositories.map((repository) => loadIndex(repository, options)));
}

async function loadIndex(repository: Repository, options: LoadIndexesOptions): Promise<RepositoryIndex> {
  const progress = options.onProgress ?? IGNORE_PROGRESS;
  const indexUrl = repositoryIndexUrl(repository, options.arch);
  const shown = redactUrl(indexUrl);
  const task = `index ${shown}`;
  progress({ kind: 'start', task });
  const bytes = await fetchBytes(options.fetcher, indexUrl, options.signal ? { signal: options.signal } : {});
  let index: ApkIndexTrust;
  try {
    // Untrusted is decided below, where the message can name the repository and the keys.
    index = verifyApkIndex(bytes, { source: shown, keyring: options.keyring, allowUntrusted: true });
  } catch (err) {
    if (!isLarderError(err)) throw err;
    throw new LarderError(err.code, `repository ${redactUrl(repository.url)}: ${err.message}`, {
      cause: err,
      subject: shown,
    });
  }
  const trust = trustOf(index, repository, shown, options);
  if (trust.verdict === 'untrusted')
    progress({
      kind: 'warn',
      message: `${shown}: accepted untrusted index: ${trust.reason}`,
      subject: shown,
    });
  progress({ kind: 'finish', task });
  let parsed: { records: PackageRecord[]; description: string } | undefined;
  const parse = () => {
    if (parsed === undefined) {
      try {
        parsed = readApkIndex(bytes, { source: shown });
      } catch (err) {
        if (!isLarderError(err)) throw err;
        throw new LarderError(err.code, `repository ${redactUrl(repository.url)}: ${err.message}`, {
          cause: err,
          subject: shown,
        });
      }
    }
    return parsed;
  };
  return {
    repository,
    arch: options.arch,
    indexUrl,
    get records() {
      return parse().records;
    },
    get description() {
      return parse().description;
    },
    bytes,
    digest: `sha256:${hexDigest('sha256', bytes)}`,
    trust,
  };
}

function trustOf(
  index: ApkIndexTrust,
  repository: Repository,
  indexUrl: string,
  options: LoadIndexesOptions,
): RepositoryIndex['trust'] {
  const signature = index.signature;
  switch (signature.verdict) {
    case 'ok':
      return signature;
    case 'untrusted':
    case 'unchecked':
    case 'bad': {
      // readApkIndex already threw for 'bad'; 'unchecked' cannot happen with a keyring.
      if (options.allowUntrusted) return { verdict: 'untrusted', reason: signature.reason };
      throw untrustedError(index, repository, indexUrl, options.keyring, signature.reason);
    }
  }
}

function untrustedError(
  index: ApkIndexTrust,
  repository: Repository,
  indexUrl: string,
  keyring: ApkKeyring,
  reason: string,
): LarderError {
  const signers = index.signatures.map((s) => `.SIGN.${s.type}.${s.keyName}`);
  const offered = [...keyring.keys.keys()].sort();
  const signed = signers.length > 0 ? `signed with ${signers.join(', ')}` : 'not signed';
  // A signer's name in the keyring means a different key under the same file name.
  const sameName = index.signatures.some((s) => keyring.keys.has(s.keyName)) ? ` (${reason})` : '';
  return new LarderError(
    'SIGNATURE_UNTRUSTED',
    `repository ${redactUrl(repository.url)}: untrusted index ${indexUrl}: ${signed}; ` +
      `the keyring offers ${offered.length > 0 ? offered.join(', ') : 'no keys'}${sameName} ` +
      '(use --allow-untrusted to accept it)',
    { subject: indexUrl },
  );
}
