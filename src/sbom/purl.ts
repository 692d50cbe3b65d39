// Package URLs (https://github.com/package-url/purl-spec): apk packages and OCI artifacts.
import type { SbomOs, SbomPackage } from './model.js';

/** The parts of a purl before encoding. Qualifiers with undefined or empty values are left out. */
export interface PurlParts {
  type: string;
  namespace?: string;
  name: string;
  version?: string;
  qualifiers?: Record<string, string | undefined>;
}

const UNRESERVED = /[A-Za-z0-9.\-_~:]/;

/**
 * Percent-encodes one purl component: everything but ASCII letters, digits, `.-_~` and `:`
 * becomes `%XX` of its UTF-8 bytes (so `libstdc++` is `libstdc%2B%2B`). packageurl-js keeps `:`
 * too; Go's packageurl-go (apko, syft) leaves `+` bare, which decodes to the same purl.
 */
export function encodePurlComponent(text: string): string {
  let out = '';
  for (const ch of text) {
    if (UNRESERVED.test(ch)) {
      out += ch;
      continue;
    }
    for (const byte of Buffer.from(ch, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Writes a purl in canonical form: qualifier keys lower-cased and sorted. */
export function formatPurl(parts: PurlParts): string {
  let out = `pkg:${parts.type.toLowerCase()}/`;
  if (parts.namespace !== undefined && parts.namespace !== '') {
    out += `${parts.namespace.split('/').map(encodePurlComponent).join('/')}/`;
  }
  out += encodePurlComponent(parts.name);
  if (parts.version !== undefined && parts.version !== '') out += `@${encodePurlComponent(parts.version)}`;
  const qualifiers = Object.entries(parts.qualifiers ?? {})
    .filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '')
    .map(([key, value]) => [key.toLowerCase(), value] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (qualifiers.length > 0) {
    out += `?${qualifiers.map(([key, value]) => `${key}=${encodePurlComponent(value)}`).join('&')}`;
  }
  return out;
}

/**
 * `pkg:apk/<os-id>/<name>@<version>?arch=<arch>&distro=<id>-<versionId>&upstream=<origin>`.
 * The apk purl type wants namespace and name in lower case. `distro` is written when the OS
 * version is known and `upstream` when the origin differs from the name, as syft does: scanners
 * match vulnerabilities by origin.
 */
export function apkPurl(pkg: Pick<SbomPackage, 'name' | 'version' | 'arch' | 'origin'>, os: SbomOs): string {
  return formatPurl({
    type: 'apk',
    namespace: os.id.toLowerCase(),
    name: pkg.name.toLowerCase(),
    version: pkg.version,
    qualifiers: {
      arch: pkg.arch,
      distro: os.versionId === undefined || os.versionId === '' ? undefined : `${os.id}-${os.versionId}`,
      upstream: pkg.origin === pkg.name ? undefined : pkg.origin,
    },
  });
}

/** The name and repository of an image reference: `reg/org/img:tag` → `img`, `reg/org/img`. */
export function splitImageRef(ref: string): { name: string; repository: string; tag?: string } {
  const at = ref.indexOf('@');
  let repository = at >= 0 ? ref.slice(0, at) : ref;
  let tag: string | undefined;
  const colon = repository.lastIndexOf(':');
  if (colon > repository.lastIndexOf('/')) {
    tag = repository.slice(colon + 1);
    repository = repository.slice(0, colon);
  }
  const name = repository.slice(repository.lastIndexOf('/') + 1).toLowerCase() || 'image';
  return tag === undefined ? { name, repository } : { name, repository, tag };
}

/** apk arch → OCI platform architecture (and variant), for `pkg:oci` qualifiers. */
export function ociArch(apkArch: string): string {
  return OCI_ARCH[apkArch] ?? apkArch;
}

const OCI_ARCH: Readonly<Record<string, string>> = {
  x86_64: 'amd64',
  aarch64: 'arm64',
  armv7: 'arm',
  armhf: 'arm',
  x86: '386',
  loongarch64: 'loong64',
};

/** What an OCI purl is made from. `arch` is an apk arch; it also implies `os=linux`. */
export interface OciPurlInput {
  /** Image name or reference; its last path segment names the purl. */
  name: string;
  /** `sha256:<hex>`, the purl's version. */
  digest?: string;
  /** Where it is published: gives the `repository_url` and `tag` qualifiers. */
  ref?: string;
  mediaType?: string;
  arch?: string;
}

/** `pkg:oci/<name>@sha256:<hex>?arch=amd64&os=linux&repository_url=...`, as apko writes it. */
export function ociPurl(input: OciPurlInput): string {
  const ref = input.ref === undefined ? undefined : splitImageRef(input.ref);
  return formatPurl({
    type: 'oci',
    name: splitImageRef(input.name).name,
    ...(input.digest === undefined ? {} : { version: input.digest }),
    qualifiers: {
      arch: input.arch === undefined ? undefined : ociArch(input.arch),
      os: input.arch === undefined ? undefined : 'linux',
      repository_url: ref?.repository,
      tag: ref?.tag,
      mediaType: input.mediaType,
    },
  });
}
