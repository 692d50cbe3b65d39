// Reading package URLs (https://github.com/package-url/purl-spec) back into packages: the purl
// types larder catalogues, with apk's `arch`, `distro` and `upstream` qualifiers.
import { LarderError } from '../../../core/index.js';
import type { Ecosystem } from '../../model.js';
import type { PackageDraft } from '../package-draft.js';
import { normalizePythonName } from '../python/metadata.js';

/** A purl split into its decoded parts. */
export interface ParsedPurl {
  readonly type: string;
  readonly namespace?: string;
  readonly name: string;
  readonly version?: string;
  readonly qualifiers: ReadonlyMap<string, string>;
  readonly subpath?: string;
}

/**
 * Parses a purl. @throws LarderError SBOM_INVALID naming `where` for text that is not a purl
 * (no `pkg:` scheme, no type or name, bad percent-encoding).
 */
export function parsePurl(text: string, where: string): ParsedPurl {
  const fail = (why: string): never => {
    throw new LarderError('SBOM_INVALID', `${where}: purl ${JSON.stringify(text)} ${why}`, {
      subject: where,
    });
  };
  const decode = (part: string): string => {
    try {
      return decodeURIComponent(part);
    } catch {
      return fail(`has bad percent-encoding in ${JSON.stringify(part)}`);
    }
  };
  if (!text.toLowerCase().startsWith('pkg:')) fail('does not start with pkg:');
  let rest = text.slice(4).replace(/^\/+/, '');
  let subpath: string | undefined;
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    subpath = decode(rest.slice(hash + 1));
    rest = rest.slice(0, hash);
  }
  const qualifiers = new Map<string, string>();
  const question = rest.indexOf('?');
  if (question >= 0) {
    for (const pair of rest.slice(question + 1).split('&')) {
      if (pair === '') continue;
      const eq = pair.indexOf('=');
      if (eq <= 0) fail(`has a qualifier without a value: ${JSON.stringify(pair)}`);
      const value = decode(pair.slice(eq + 1));
      if (value !== '') qualifiers.set(pair.slice(0, eq).toLowerCase(), value);
    }
    rest = rest.slice(0, question);
  }
  const slash = rest.indexOf('/');
  if (slash <= 0) fail('has no type and name');
  const type = rest.slice(0, slash).toLowerCase();
  let path = rest.slice(slash + 1).replace(/\/+$/, '');
  let version: string | undefined;
  const at = path.lastIndexOf('@');
  if (at >= 0 && at > path.lastIndexOf('/')) {
    version = decode(path.slice(at + 1));
    path = path.slice(0, at);
  }
  const segments = path
    .split('/')
    .filter((s) => s !== '')
    .map(decode);
  const name = segments.pop();
  if (name === undefined || name === '') fail('has no name');
  const namespace = segments.join('/');
  return {
    type,
    ...(namespace === '' ? {} : { namespace }),
    name: name!,
    ...(version === undefined || version === '' ? {} : { version }),
    qualifiers,
    ...(subpath === undefined ? {} : { subpath }),
  };
}

const ECOSYSTEMS: Readonly<Record<string, Ecosystem>> = {
  apk: 'apk',
  golang: 'go',
  pypi: 'pypi',
  npm: 'npm',
  maven: 'maven',
  cargo: 'cargo',
};

/**
 * The package a purl names, for the purl types larder catalogues; undefined for other types
 * (`pkg:oci`, `pkg:generic`, ...) and for purls without a version. An apk purl's origin is its
 * `upstream` qualifier (`name` or `name@version`), else `origin` when the SBOM says so, else
 * the package name.
 */
export function draftFromPurl(purl: ParsedPurl, text: string, origin?: string): PackageDraft | undefined {
  const ecosystem = ECOSYSTEMS[purl.type];
  if (ecosystem === undefined || purl.version === undefined) return undefined;
  const ns = purl.namespace;
  const base = { ecosystem, version: purl.version, purl: text, locations: [], evidence: 'sbom' } as const;
  switch (ecosystem) {
    case 'apk': {
      const upstream = purl.qualifiers.get('upstream')?.split('@')[0];
      const arch = purl.qualifiers.get('arch');
      return {
        ...base,
        name: purl.name,
        origin: upstream || origin || purl.name,
        ...(arch === undefined ? {} : { arch }),
      };
    }
    case 'go':
      if (purl.name === 'stdlib' && ns === undefined) {
        return {
          ...base,
          name: 'stdlib',
          version: purl.version.startsWith('go') ? purl.version : `go${purl.version}`,
        };
      }
      return { ...base, name: ns === undefined ? purl.name : `${ns}/${purl.name}` };
    case 'pypi':
      return { ...base, name: normalizePythonName(purl.name) };
    case 'npm':
      return { ...base, name: ns === undefined ? purl.name : `${ns}/${purl.name}` };
    case 'maven':
      return { ...base, name: `${ns ?? purl.name}:${purl.name}` };
    case 'cargo':
      return { ...base, name: purl.name };
  }
}
