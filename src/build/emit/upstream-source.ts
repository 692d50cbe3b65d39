import { hexDigest } from '../../core/index.js';
import { formatPurl } from '../../sbom/index.js';
import type { EmitSource } from './types.js';

/** A top-level pipeline step as compiled: what it uses and its inputs with defaults applied. */
export interface SourceStepInput {
  readonly uses?: string;
  readonly with?: Readonly<Record<string, string>>;
}

/**
 * melange's `SBOMPackageForUpstreamSource`: the upstream source a `fetch` or `git-checkout`
 * step brings in, for the SBOM (`GENERATED_FROM`); undefined for other steps and for a
 * checkout with neither tag nor expected commit. `index` is the step's position in its
 * pipeline; `namespace` the distribution (melange `--namespace`); `license` the package's
 * licence expression, which melange declares for git sources.
 */
export function upstreamSource(
  step: SourceStepInput,
  index: number,
  namespace: string,
  license: string,
): EmitSource | undefined {
  const w = step.with ?? {};
  if (step.uses === 'fetch') {
    const uri = w.uri ?? '';
    const checksums: Record<string, string> = {};
    let checksum: string | undefined;
    if (w['expected-sha256']) {
      checksums.SHA256 = w['expected-sha256'];
      checksum = `sha256:${w['expected-sha256']}`;
    }
    if (w['expected-sha512']) {
      checksums.SHA512 = w['expected-sha512'];
      checksum = `sha512:${w['expected-sha512']}`;
    }
    const name = w['purl-name'] ?? '';
    const version = w['purl-version'] ?? '';
    return {
      idComponents: ['Source', name, version, String(index)],
      name,
      version,
      downloadLocation: uri,
      checksums,
      purl: formatPurl({ type: 'generic', name, version, qualifiers: { checksum, download_url: uri } }),
      namespace,
    };
  }
  if (step.uses === 'git-checkout') return gitSource(w, index, namespace, license);
  return undefined;
}

function gitSource(w: Readonly<Record<string, string>>, index: number, supplier: string, license: string) {
  const repo = w.repository ?? '';
  const tag = w.tag ?? '';
  const commit = w['expected-commit'] ?? '';
  const ref = commit !== '' ? commit : tag;
  if (ref === '') return undefined;
  const cleaned = repo.replace(/^https:\/\//, '').replace(/^http:\/\//, '');
  const idComponents = ['Source', cleaned, w.branch ?? '', tag, commit].filter((c) => c !== '');
  let url: URL | undefined;
  try {
    url = new URL(repo);
  } catch {
    url = undefined;
  }
  const path = (url?.pathname ?? '').replace(/^\//, '');
  const version = tag !== '' ? tag : commit;
  let namespace: string;
  let name: string;
  let downloadLocation: string;
  let purl: string;
  if (url?.host === 'github.com') {
    const [owner = '', rest = ''] = splitOnce(path, '/');
    namespace = owner;
    name = rest.replace(/\.git$/, '');
    downloadLocation = `${url.protocol.replace(/:$/, '')}://github.com/${owner}/${name}/archive/${ref}.tar.gz`;
    purl = formatPurl({ type: 'github', namespace, name, version });
  } else {
    namespace = supplier;
    name = path.replace(/\.git$/, '');
    downloadLocation = `https://tarballs.cgr.dev/${name.slice(0, 1)}/${hexDigest('sha256', name)}-${ref}.tar.gz`;
    const vcs = `${repo.startsWith('git') ? repo : `git+${repo}`}${commit !== '' ? `@${commit}` : ''}`;
    purl = formatPurl({ type: 'generic', name, version, qualifiers: { vcs_url: vcs } });
  }
  return {
    idComponents: [...idComponents, String(index)],
    name,
    version,
    downloadLocation,
    purl,
    namespace,
    licenseDeclared: license,
  } satisfies EmitSource;
}

function splitOnce(text: string, sep: string): [string, string] {
  const at = text.indexOf(sep);
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
}
