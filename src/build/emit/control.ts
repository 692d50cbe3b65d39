import type { ApkPackageMeta, ApkScript } from '../../apk/index.js';
import type { MergedDependencies } from './dependencies.js';
import type { EmitPackageInput, EmitScriptlets } from './types.js';

/**
 * The `.PKGINFO` fields melange's `controlTemplate` writes (formats.md §1.5, §5.11): pkgver is
 * `<version>-r<epoch>`, origin the main package, maintainer only with a namespace, builddate
 * only when SOURCE_DATE_EPOCH is not 0, vendored provides as `# vendored =` comments, triggers
 * only with trigger paths. melange writes one
 * `license =` line per copyright entry and apk keeps the last; larder writes one expression
 * joining them with AND (compound ones in parentheses), so no licence is lost.
 */
export function controlMeta(input: EmitPackageInput, deps: MergedDependencies): ApkPackageMeta {
  const o = input.origin;
  const d = input.dependencies ?? {};
  const license = joinLicenses((o.copyright ?? []).map((c) => c.license).filter((l) => l !== ''));
  const epoch = input.sourceDateEpoch ?? 0;
  return {
    pkgname: input.package.name,
    pkgver: `${o.version}-r${o.epoch}`,
    arch: input.arch,
    origin: o.name,
    pkgdesc: input.description ?? '',
    url: input.url ?? '',
    commit: input.commit ?? '',
    ...(input.namespace !== undefined && input.namespace !== '' ? { maintainer: input.namespace } : {}),
    ...(epoch !== 0 ? { builddate: epoch } : {}),
    ...(license !== undefined ? { license } : {}),
    depend: deps.runtime,
    provides: deps.provides,
    replaces: [...(d.replaces ?? [])],
    install_if: [],
    ...(deps.vendored.length > 0 ? { vendored: deps.vendored } : {}),
    ...(d.providerPriority !== undefined ? { provider_priority: d.providerPriority } : {}),
    ...(d.replacesPriority !== undefined ? { replaces_priority: d.replacesPriority } : {}),
    triggers: [...(input.scriptlets?.trigger?.paths ?? [])],
    extra: [],
  };
}

function joinLicenses(licenses: readonly string[]): string | undefined {
  if (licenses.length === 0) return undefined;
  if (licenses.length === 1) return licenses[0];
  return licenses.map((l) => (/\s(AND|OR|WITH)\s/i.test(l) ? `(${l})` : l)).join(' AND ');
}

const SCRIPT_NAMES: ReadonlyArray<readonly [keyof Omit<EmitScriptlets, 'trigger'>, ApkScript['name']]> = [
  ['preInstall', '.pre-install'],
  ['postInstall', '.post-install'],
  ['preDeinstall', '.pre-deinstall'],
  ['postDeinstall', '.post-deinstall'],
  ['preUpgrade', '.pre-upgrade'],
  ['postUpgrade', '.post-upgrade'],
];

/** The non-empty scriptlets as control entries (`.pre-install`, …, `.trigger`). */
export function controlScripts(s: EmitScriptlets | undefined): ApkScript[] {
  if (s === undefined) return [];
  const out: ApkScript[] = [];
  for (const [key, name] of SCRIPT_NAMES) {
    const content = s[key];
    if (content !== undefined && content !== '') out.push({ name, content });
  }
  if (s.trigger?.script !== undefined && s.trigger.script !== '')
    out.push({ name: '.trigger', content: s.trigger.script });
  return out;
}
