/**
 * Building lock entries the way `apko lock` does (internal/cli/lock.go), as pure functions of
 * what the resolver and the package reader already know.
 */
import { q1Checksum } from '../../core/index.js';
import type { ApkoLock, LockKeyring, LockPackage, LockRangeChecksum, LockRepository } from './model.js';

/** What {@link lockPackageEntry} needs: identity, URL, and the three members. */
export interface LockPackageInput {
  readonly name: string;
  readonly version: string;
  /** The index's `A:` (may be `noarch`). */
  readonly arch: string;
  /** `<repository>/<arch>/<name>-<version>.apk`. */
  readonly url: string;
  readonly members: {
    readonly signature?: { readonly offset: number; readonly length: number; readonly sha1: Uint8Array };
    readonly control: { readonly offset: number; readonly length: number; readonly sha1: Uint8Array };
    readonly data: { readonly offset: number; readonly length: number; readonly sha256: Uint8Array };
  };
}

function byteRange(offset: number, length: number): string {
  return `bytes=${offset}-${offset + length - 1}`;
}

function prefixed(prefix: string, digest: Uint8Array): string {
  return `${prefix}${Buffer.from(digest).toString('base64')}`;
}

/**
 * One package entry: `bytes=a-b` ranges, `sha1-`/`sha256-` member checksums, and `checksum` =
 * `Q1` + base64(SHA-1 of the control member). An unsigned package (no signature member, or an
 * empty one) gets `{"range": "", "checksum": ""}` as apko writes it.
 */
export function lockPackageEntry(input: LockPackageInput): LockPackage {
  const { signature, control, data } = input.members;
  const sig: LockRangeChecksum =
    signature === undefined || signature.length === 0
      ? { range: '', checksum: '' }
      : { range: byteRange(signature.offset, signature.length), checksum: prefixed('sha1-', signature.sha1) };
  return {
    name: input.name,
    url: input.url,
    version: input.version,
    architecture: input.arch,
    signature: sig,
    control: { range: byteRange(control.offset, control.length), checksum: prefixed('sha1-', control.sha1) },
    data: { range: byteRange(data.offset, data.length), checksum: prefixed('sha256-', data.sha256) },
    checksum: q1Checksum(control.sha1),
  };
}

/** apko's stripURLScheme: drops one leading `https://`, then one leading `http://`. */
export function stripUrlScheme(url: string): string {
  const noHttps = url.startsWith('https://') ? url.slice('https://'.length) : url;
  return noHttps.startsWith('http://') ? noHttps.slice('http://'.length) : noHttps;
}

/** apko's RemoveLabel: drops leading `@tag ` labels. */
export function removeRepositoryLabel(entry: string): string {
  let rest = entry;
  while (rest.startsWith('@')) {
    const space = rest.indexOf(' ');
    if (space < 0) return rest;
    rest = rest.slice(space + 1);
  }
  return rest;
}

/**
 * Repository entries, arch by arch and, within an arch, in config order (as apko). The name is
 * apko's `RemoveLabel(stripURLScheme(repo/arch))`: the scheme is stripped before the label, so
 * a labelled `@tag https://…` repository keeps its `https://` in the name, as in apko.
 */
export function lockRepositoryEntries(
  repositories: readonly string[],
  archs: readonly string[],
): LockRepository[] {
  const out: LockRepository[] = [];
  for (const arch of archs) {
    for (const repository of repositories) {
      const uri = `${repository}/${arch}`;
      out.push({
        name: removeRepositoryLabel(stripUrlScheme(uri)),
        url: removeRepositoryLabel(`${uri}/APKINDEX.tar.gz`),
        architecture: arch,
      });
    }
  }
  return out;
}

/** A keyring entry: the config's entry as `url`, without scheme as `name`, PEM text as `content`. */
export function lockKeyringEntry(entry: string, content?: string): LockKeyring {
  return { name: stripUrlScheme(entry), url: entry, ...(content !== undefined && { content }) };
}

/** Keyring entries sorted by name, byte-wise like Go's string comparison. */
export function sortLockKeyring(keys: readonly LockKeyring[]): LockKeyring[] {
  return [...keys].sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
}

/** Everything a new lock holds (apko's LockCmd, after resolution). */
export interface NewLockInput {
  /** The config path as given to `larder lock` (apko writes `o.ImageConfigFile`). */
  readonly configName: string;
  readonly configChecksum: string;
  readonly keyring: readonly LockKeyring[];
  readonly buildRepositories: readonly LockRepository[];
  readonly runtimeRepositories: readonly LockRepository[];
  readonly repositories: readonly LockRepository[];
  /** Per arch in turn, in installation order. */
  readonly packages: readonly LockPackage[];
}

/** A lock in the current shape, keyring sorted by name as apko does before saving. */
export function createLock(input: NewLockInput): ApkoLock {
  return {
    version: 'v1',
    config: { name: input.configName, checksum: input.configChecksum },
    contents: {
      keyring: sortLockKeyring(input.keyring),
      buildRepositories: input.buildRepositories,
      runtimeRepositories: input.runtimeRepositories,
      repositories: input.repositories,
      packages: input.packages,
    },
  };
}
