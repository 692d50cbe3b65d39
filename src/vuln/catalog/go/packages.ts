// From build info to packages, as syft's go-module cataloger does (catalog.md §3.3): the main
// module (with syft's fallbacks for builds without a `mod` line), every dependency with its
// replacement applied, and the toolchain as a `stdlib` package.
import { formatPurl } from '../../../sbom/index.js';
import type { PackageDraft } from '../package-draft.js';
import type { GoBuildInfo } from './buildinfo.js';
import type { GoModule } from './modinfo.js';

const DEVEL = '(devel)';
const VERSION_VAR = /(([rR]elease)?([gG]it)?([bB]uild)?[vV]er(sion)?|[tT]ag)$/;
const SEMVER_VALUE = /^v?\d+\.\d+\.\d+([-+][0-9A-Za-z.+-]+)?$/;
const STDLIB_VERSION = /^go\d+(\.\d+)?(\.\d+)?\w*/;

/**
 * The packages one Go binary at `location` holds: its main module (`goMainModule`), its
 * dependencies and `stdlib`. A dependency replaced by a local directory keeps its own path and
 * takes the replacement's version (Go records `(devel)` or nothing there); any other replacement
 * gives path and version. A main module at `(devel)` takes a version from `-ldflags -X` on a
 * version-like variable of package main (or of the module), else a pseudo-version from the VCS
 * settings, else stays `(devel)`. A build of bare files (`command-line-arguments`) has no main
 * module package: that name is no module.
 */
export function goPackages(info: GoBuildInfo, location: string): PackageDraft[] {
  const settings = new Map(info.modinfo.settings);
  const arch = settings.get('GOARCH');
  const draft = (name: string, version: string, main: boolean): PackageDraft => ({
    ecosystem: 'go',
    name,
    version,
    purl: goModulePurl(name, version),
    ...(arch === undefined ? {} : { arch }),
    locations: [location],
    evidence: 'go-buildinfo',
    ...(main ? { goMainModule: true } : {}),
  });

  const out: PackageDraft[] = [];
  let deps = [...info.modinfo.deps];
  let main = info.modinfo.main;
  if ((main === undefined || main.path === 'command-line-arguments') && info.modinfo.path !== undefined) {
    const devel = deps.filter((d) => d.version === DEVEL);
    if (devel.length === 1) {
      main = devel[0];
      deps = deps.filter((d) => d !== main);
    } else {
      main = { path: info.modinfo.path, version: DEVEL };
    }
  }
  if (main !== undefined && main.path !== 'command-line-arguments') {
    out.push(draft(main.path, mainVersion(main, settings), true));
  }
  for (const dep of deps) {
    if (main !== undefined && dep.path === main.path && dep.version === main.version) continue;
    const { path, version } = resolved(dep);
    out.push(draft(path, version, false));
  }
  const toolchain = info.goVersion.split(' ')[0]!;
  if (STDLIB_VERSION.test(toolchain)) {
    out.push({
      ecosystem: 'go',
      name: 'stdlib',
      version: toolchain,
      purl: formatPurl({ type: 'golang', name: 'stdlib', version: toolchain.slice(2) }),
      ...(arch === undefined ? {} : { arch }),
      locations: [location],
      evidence: 'go-buildinfo',
    });
  }
  return out;
}

/** `pkg:golang/<path up to the last slash>/<last element>@<version>`; no version when unknown. */
export function goModulePurl(path: string, version: string): string {
  const slash = path.lastIndexOf('/');
  return formatPurl({
    type: 'golang',
    ...(slash < 0 ? {} : { namespace: path.slice(0, slash) }),
    name: slash < 0 ? path : path.slice(slash + 1),
    ...(version === '' || version === DEVEL ? {} : { version }),
  });
}

function resolved(mod: GoModule): { path: string; version: string } {
  const r = mod.replace;
  if (r === undefined) return { path: mod.path, version: mod.version };
  if (r.path.startsWith('.') || r.path.startsWith('/')) return { path: mod.path, version: r.version };
  return { path: r.path, version: r.version };
}

function mainVersion(main: GoModule, settings: ReadonlyMap<string, string>): string {
  if (main.version !== DEVEL && main.version !== '') return main.version;
  const fromLdflags = ldflagsVersion(settings.get('-ldflags') ?? '', main.path);
  if (fromLdflags !== undefined) return fromLdflags;
  const revision = settings.get('vcs.revision');
  const time = settings.get('vcs.time');
  const when = time === undefined ? Number.NaN : Date.parse(time);
  if (revision !== undefined && /^[0-9a-f]{12,}$/.test(revision) && !Number.isNaN(when)) {
    const stamp = new Date(when).toISOString().replace(/[-:T]/g, '').slice(0, 14);
    if (/^\d{14}$/.test(stamp)) return `v0.0.0-${stamp}-${revision.slice(0, 12)}`;
  }
  return main.version === '' ? DEVEL : main.version;
}

/** A version set with `-X pkg.var=value` on package main or the main module's packages. */
export function ldflagsVersion(ldflags: string, modulePath: string): string | undefined {
  for (const m of ldflags.matchAll(/-X(?:\s+|=)['"]?([^'"\s=]+)=['"]?([^'"\s]+)/g)) {
    const target = m[1]!;
    const dot = target.lastIndexOf('.');
    if (dot <= 0) continue;
    const pkg = target.slice(0, dot);
    const variable = target.slice(dot + 1);
    const ours = pkg === 'main' || pkg === modulePath || pkg.startsWith(`${modulePath}/`);
    if (!ours || !VERSION_VAR.test(variable) || !SEMVER_VALUE.test(m[2]!)) continue;
    return m[2]!.startsWith('v') ? m[2]! : `v${m[2]}`;
  }
  return undefined;
}
