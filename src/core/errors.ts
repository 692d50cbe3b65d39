/**
 * Every failure larder reports is a LarderError: one class, many codes. Callers branch on
 * `code`; the CLI maps codes to exit statuses (see exitStatusFor in src/cli).
 */
export type LarderErrorCode =
  // usage and input
  | 'USAGE'
  | 'IO'
  | 'NOT_FOUND'
  // archive
  | 'GZIP_TRUNCATED'
  | 'GZIP_BAD_HEADER'
  | 'GZIP_BAD_CRC'
  | 'GZIP_CORRUPT'
  | 'TAR_TRUNCATED'
  | 'TAR_BAD_HEADER'
  | 'TAR_BAD_PAX'
  | 'TAR_UNSAFE_PATH'
  | 'TAR_TOO_LARGE'
  // apk formats
  | 'VERSION_INVALID'
  | 'DEPENDENCY_INVALID'
  | 'PKGINFO_INVALID'
  | 'PACKAGE_INVALID'
  | 'INDEX_INVALID'
  | 'INSTALLED_DB_INVALID'
  | 'KEY_INVALID'
  // verification verdicts
  | 'SIGNATURE_UNTRUSTED'
  | 'SIGNATURE_BAD'
  | 'DATAHASH_MISMATCH'
  | 'FILE_CHECKSUM_MISMATCH'
  // repositories and fetching
  | 'FETCH_FAILED'
  | 'FETCH_NOT_FOUND'
  | 'FETCH_UNAUTHORIZED'
  | 'OFFLINE_MISS'
  | 'REPOSITORY_INVALID'
  | 'PACKAGE_CHECKSUM_MISMATCH'
  | 'SOURCE_CHECKSUM_MISMATCH'
  | 'SOURCE_COMMIT_MISMATCH'
  // solver
  | 'WORLD_INVALID'
  | 'UNSATISFIABLE'
  // configs and lock files
  | 'CONFIG_INVALID'
  | 'RECIPE_INVALID'
  | 'PIPELINE_INVALID'
  | 'LOCK_INVALID'
  | 'LOCK_STALE'
  // build sandboxes
  | 'SANDBOX_UNAVAILABLE'
  | 'STEP_FAILED'
  | 'RECIPE_CYCLE'
  // vulnerability management
  | 'ZIP_INVALID'
  | 'ADVISORY_INVALID'
  | 'SECDB_INVALID'
  | 'OSV_INVALID'
  | 'VEX_INVALID'
  | 'SBOM_INVALID'
  | 'BINARY_INVALID'
  | 'VULN_DB_INVALID'
  | 'IGNORE_RULES_INVALID'
  | 'TARGET_INVALID'
  // store (SQLite, PostgreSQL)
  | 'STORE_INVALID'
  /** A PostgreSQL store cannot be reached: server down, wrong credentials, no such database. */
  | 'STORE_UNAVAILABLE'
  // factory
  /** A queue job spec is malformed (key, kind, `after`). */
  | 'JOB_INVALID'
  /** A worker completed, failed or extended a job it no longer holds (lease expired or taken). */
  | 'JOB_LEASE_LOST'
  /** A composed image failed the policy gate (larder.yaml policy.gate): nothing was published. */
  | 'POLICY_BLOCKED'
  // trust: keys, signatures, attestations
  | 'KEY_PASSWORD_WRONG'
  | 'PAYLOAD_INVALID'
  | 'ENVELOPE_INVALID'
  | 'BUNDLE_INVALID'
  | 'STATEMENT_INVALID'
  // Dockerfiles
  /** A Dockerfile (or .dockerignore) that cannot be parsed or names what does not exist. */
  | 'DOCKERFILE_INVALID'
  /** A Dockerfile instruction failed while building (a RUN exiting non-zero, a COPY source missing). */
  | 'DOCKERFILE_STEP_FAILED';

export interface LarderErrorOptions {
  readonly cause?: unknown;
  /** The file, URL or other input the error is about. */
  readonly subject?: string;
}

export class LarderError extends Error {
  readonly code: LarderErrorCode;
  readonly subject: string | undefined;

  constructor(code: LarderErrorCode, message: string, options: LarderErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LarderError';
    this.code = code;
    this.subject = options.subject;
  }
}

/** True when `err` is a LarderError, optionally with one of the given codes. */
export function isLarderError(err: unknown, ...codes: LarderErrorCode[]): err is LarderError {
  return err instanceof LarderError && (codes.length === 0 || codes.includes(err.code));
}

/**
 * Prefixes the message of a LarderError with the file it concerns, keeping code and cause;
 * other errors are wrapped as IO errors. Used at file boundaries so messages name the file.
 */
export function inFile(file: string, err: unknown): LarderError {
  if (err instanceof LarderError) {
    if (err.subject !== undefined) return err;
    return new LarderError(err.code, `${file}: ${err.message}`, { cause: err.cause, subject: file });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new LarderError('IO', `${file}: ${message}`, { cause: err, subject: file });
}
