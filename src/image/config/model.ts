/**
 * The apko image configuration as larder holds it (formats.md §4.1; apko
 * `pkg/build/types/types.go`). Names are camelCase; lists are always present (empty when not
 * set), optional scalars and maps are absent when not set. `contents` and `archs` are complete;
 * the rest is typed structurally and will gain its semantics with image assembly.
 */
import type { ImageArch } from './archs.js';

/** `contents.runtime_keyring[]`: an inline public key installed after resolution. */
export interface RuntimeKey {
  readonly name: string;
  readonly content: string;
}

/** `contents.baseimage` (experimental): build on top of an OCI layout. */
export interface BaseImage {
  readonly image?: string;
  readonly apkindex?: string;
}

/** `contents`. Repository entries are `URL` or `@tag URL`, with any trailing `/` trimmed. */
export interface ImageContents {
  readonly repositories: readonly string[];
  readonly buildRepositories: readonly string[];
  readonly runtimeRepositories: readonly string[];
  readonly keyring: readonly string[];
  readonly runtimeKeyring: readonly RuntimeKey[];
  /** World entries, each a valid dependency string (`name`, `name=1.2-r0`, `name=1.2@tag`). */
  readonly packages: readonly string[];
  readonly baseimage?: BaseImage;
}

/** `entrypoint`: OCI Entrypoint, or an s6 service bundle. */
export interface ImageEntrypoint {
  readonly type?: string;
  readonly command?: string;
  readonly shellFragment?: string;
  readonly services?: Readonly<Record<string, string>>;
}

/** `accounts.users[]`. */
export interface ImageUser {
  readonly username?: string;
  readonly uid?: number;
  readonly gid?: number;
  readonly shell?: string;
  readonly homedir?: string;
}

/** `accounts.groups[]`. */
export interface ImageGroup {
  readonly groupname?: string;
  readonly gid?: number;
  readonly members: readonly string[];
}

/** `accounts`. */
export interface ImageAccounts {
  readonly runAs?: string;
  readonly users: readonly ImageUser[];
  readonly groups: readonly ImageGroup[];
}

/** `paths[]`: a directory, file, link or permission change in the image. */
export interface PathMutation {
  readonly path?: string;
  readonly type?: string;
  readonly uid?: number;
  readonly gid?: number;
  readonly permissions?: number;
  readonly source?: string;
  readonly recursive?: boolean;
}

/** `layering`: split the image into layers (strategy `origin`). */
export interface ImageLayering {
  readonly strategy?: string;
  readonly budget?: number;
}

/** `certificates.additional[]`: an inline CA certificate (one PEM block). */
export interface AdditionalCertificate {
  /** A safe file name (apko certNameRegex). */
  readonly name: string;
  readonly content: string;
}

/** `certificates`: CA certificates to inject. */
export interface ImageCertificates {
  readonly additional: readonly AdditionalCertificate[];
  /** Virtual package names: installed packages providing one of them contribute their certificates. */
  readonly providers: readonly string[];
}

/** `os-release` (apko before July 2024): `/etc/os-release` when no package provides it. */
export interface ImageOsRelease {
  readonly id?: string;
  readonly name?: string;
  readonly versionId?: string;
  readonly prettyName?: string;
  readonly homeUrl?: string;
  readonly bugReportUrl?: string;
}

/** `format`: the layer payload (`tar` by default). */
export type LayerFormat = 'tar' | 'erofs';

/** One apko image configuration (one file, or several merged through `include`). */
export interface ImageConfig {
  readonly contents: ImageContents;
  readonly entrypoint?: ImageEntrypoint;
  readonly cmd?: string;
  readonly stopSignal?: string;
  readonly workDir?: string;
  readonly accounts: ImageAccounts;
  /** As configured (apk names, `all` expanded, duplicates dropped); empty when not set. */
  readonly archs: readonly ImageArch[];
  readonly environment?: Readonly<Record<string, string>>;
  readonly paths: readonly PathMutation[];
  readonly vcsUrl?: string;
  readonly annotations?: Readonly<Record<string, string>>;
  /** Deprecated in apko; the file this one was merged on top of. */
  readonly include?: string;
  readonly volumes: readonly string[];
  readonly layering?: ImageLayering;
  readonly format?: LayerFormat;
  readonly certificates?: ImageCertificates;
  readonly osRelease?: ImageOsRelease;
}
