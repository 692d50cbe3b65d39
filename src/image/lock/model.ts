/**
 * `apko.lock.json` (formats.md §4.2; apko `pkg/lock/lock.go`). One model for every shape apko
 * has written: fields that a shape lacks are absent, and the writer emits exactly the fields
 * that are present, so a lock is written back in the shape it was read in.
 *
 * Shapes over time: pre-0.13 (no package `checksum`, no final newline), then package
 * `checksum`; final `\n` and `config` (Jan 2024); `build_repositories` (Jun 2024);
 * `runtime_repositories` (Jul 2025); keyring `content` (Jul 2026). A lock made by larder has
 * all of them.
 */

/** `{range, checksum}` of one gzip member; both empty for a missing signature. */
export interface LockRangeChecksum {
  /** HTTP Range `bytes=<first>-<last>`, or `` for an unsigned package's signature. */
  readonly range: string;
  /** `sha1-<b64>` (signature, control) or `sha256-<b64>` (data), or ``. */
  readonly checksum: string;
}

/** `contents.keyring[]`: a public key the packages are verified with. */
export interface LockKeyring {
  /** The keyring entry without `https://` or `http://`. */
  readonly name: string;
  /** The entry as written in the config. */
  readonly url: string;
  /** The PEM text (locks since 2026); absent in older locks. */
  readonly content?: string;
}

/** A repository index for one arch. */
export interface LockRepository {
  /** `<repository without scheme>/<apk arch>`. */
  readonly name: string;
  /** `<repository>/<apk arch>/APKINDEX.tar.gz`. */
  readonly url: string;
  /** The apk arch (`x86_64`). */
  readonly architecture: string;
}

/** One pinned package, with where its members sit in the file and their hashes. */
export interface LockPackage {
  readonly name: string;
  readonly url: string;
  readonly version: string;
  /** The index's `A:` (may be `noarch`). */
  readonly architecture: string;
  readonly signature: LockRangeChecksum;
  readonly control: LockRangeChecksum;
  readonly data: LockRangeChecksum;
  /** `Q1<b64 sha1 of the control member>`, the package's `C:`; absent in pre-0.13 locks. */
  readonly checksum?: string;
}

/** `config`: the config file a lock was made from. Both fields are `omitempty` in apko. */
export interface LockConfig {
  readonly name?: string;
  /** `sha256-<b64>` over the config and its includes (see loadImageConfig). */
  readonly checksum?: string;
}

/** `contents`. */
export interface LockContents {
  /** Sorted by name. */
  readonly keyring: readonly LockKeyring[];
  /** Absent in locks written before apko had build repositories. */
  readonly buildRepositories?: readonly LockRepository[];
  /** Absent in locks written before apko had runtime-only repositories. */
  readonly runtimeRepositories?: readonly LockRepository[];
  readonly repositories: readonly LockRepository[];
  /** Per arch in turn, the packages in installation order. */
  readonly packages: readonly LockPackage[];
}

/** A lock file. */
export interface ApkoLock {
  /** Always `v1` so far. */
  readonly version: string;
  /** Absent in locks written before apko 0.13: their staleness cannot be checked. */
  readonly config?: LockConfig;
  readonly contents: LockContents;
  /**
   * `false` for a lock whose text does not end with a newline (apko added it in January 2024,
   * so pre-0.13 locks lack it); absent means the current `\n`-terminated text.
   */
  readonly finalNewline?: false;
  /** Where the lock was read from, for messages; never written. */
  readonly source?: string;
}
