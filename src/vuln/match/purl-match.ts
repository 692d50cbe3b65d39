// Package URL matching for VEX products (catalog.md §5.5, go-vex's rule): type, namespace and
// name equal; the version equal or absent in the statement's purl; every qualifier the
// statement's purl has present with the same value in the package's (extras on the package are
// fine). So `pkg:apk/wolfi/openssl` covers every version, arch and distro of openssl. Names and
// namespaces compare case-insensitively (PyPI also folding `_`/`.` to `-`).

/** A parsed purl; components percent-decoded. */
export interface PackageUrl {
  readonly type: string;
  readonly namespace: string;
  readonly name: string;
  readonly version?: string;
  readonly qualifiers: ReadonlyMap<string, string>;
}

function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** Parses `pkg:type/namespace/name@version?qualifiers#subpath`, or undefined when it is not a purl. */
export function parsePackageUrl(text: string): PackageUrl | undefined {
  const trimmed = text.trim();
  if (!/^pkg:/i.test(trimmed)) return undefined;
  let rest = trimmed.slice(4).replace(/^\/+/, '');
  const hash = rest.indexOf('#');
  if (hash >= 0) rest = rest.slice(0, hash);
  const qualifiers = new Map<string, string>();
  const question = rest.indexOf('?');
  if (question >= 0) {
    for (const pair of rest.slice(question + 1).split('&')) {
      if (pair === '') continue;
      const eq = pair.indexOf('=');
      const value = eq < 0 ? undefined : decode(pair.slice(eq + 1));
      if (value === undefined) return undefined;
      if (value !== '') qualifiers.set(pair.slice(0, eq).toLowerCase(), value);
    }
    rest = rest.slice(0, question);
  }
  const slash = rest.indexOf('/');
  if (slash <= 0) return undefined;
  const type = rest.slice(0, slash).toLowerCase();
  let path = rest.slice(slash + 1).replace(/\/+$/, '');
  let version: string | undefined;
  const at = path.lastIndexOf('@');
  if (at > path.lastIndexOf('/')) {
    version = decode(path.slice(at + 1));
    if (version === undefined) return undefined;
    path = path.slice(0, at);
  }
  const segments = path
    .split('/')
    .filter((s) => s !== '')
    .map(decode);
  if (segments.length === 0 || segments.some((s) => s === undefined)) return undefined;
  const name = segments.pop() as string;
  const purl = { type, namespace: segments.join('/'), name, qualifiers };
  return version === undefined || version === '' ? purl : { ...purl, version };
}

function fold(type: string, text: string): string {
  const lower = text.toLowerCase();
  return type === 'pypi' ? lower.replace(/[-_.]+/g, '-') : lower;
}

/** True when the statement's purl `pattern` covers the package purl `purl`. */
export function packageUrlCovers(pattern: PackageUrl, purl: PackageUrl): boolean {
  if (pattern.type !== purl.type) return false;
  if (fold(pattern.type, pattern.namespace) !== fold(purl.type, purl.namespace)) return false;
  if (fold(pattern.type, pattern.name) !== fold(purl.type, purl.name)) return false;
  if (pattern.version !== undefined) {
    const a = pattern.version;
    const b = purl.version;
    if (b === undefined || (a !== b && !(a.startsWith('sha256:') && a.toLowerCase() === b.toLowerCase())))
      return false;
  }
  for (const [key, value] of pattern.qualifiers) if (purl.qualifiers.get(key) !== value) return false;
  return true;
}

/** `packageUrlCovers` over purl strings; false when either is not a purl. */
export function purlTextCovers(pattern: string, purl: string): boolean {
  const p = parsePackageUrl(pattern);
  const q = parsePackageUrl(purl);
  return p !== undefined && q !== undefined && packageUrlCovers(p, q);
}
