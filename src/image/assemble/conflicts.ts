import { dependencyMatches, parseDependency } from '../../apk/index.js';
import { LarderError } from '../../core/index.js';

/** What the overwrite rules need to know about a package. */
export interface OwnerInfo {
  readonly name: string;
  readonly version: string;
  readonly origin?: string;
  readonly replaces: readonly string[];
  readonly replacesPriority: number;
}

/** apk-tools `apk_pkg_replaces_file` verdicts. */
export type ReplaceVerdict = 'yes' | 'no' | 'conflict';

/**
 * apk-tools 2.14 `apk_pkg_replaces_file(old, new)`: same name or same origin → overwrite; the
 * package with the higher replaces priority among those whose `replaces` names the other wins
 * (old wins only when strictly higher); new overwrites when its `replaces` names the old one;
 * otherwise it is a conflict.
 */
export function replacesFile(old: OwnerInfo, incoming: OwnerInfo): ReplaceVerdict {
  if (old.name === incoming.name) return 'yes';
  if (old.origin !== undefined && old.origin === incoming.origin) return 'yes';
  const oldPrio = names(old.replaces, incoming) ? old.replacesPriority : -1;
  const newPrio = names(incoming.replaces, old) ? incoming.replacesPriority : -1;
  if (oldPrio > newPrio) return 'no';
  if (newPrio >= 0) return 'yes';
  return 'conflict';
}

function names(replaces: readonly string[], pkg: OwnerInfo): boolean {
  return replaces.some((word) => {
    const dep = parseDependency(word);
    return !dep.conflict && dependencyMatches(dep, pkg.name, pkg.version);
  });
}

/**
 * Decides what happens when `incoming` writes a non-directory path `old` already owns: true to
 * overwrite, false to keep the old file. Identical content (same SHA-1) is no conflict, as in
 * apk-tools; anything else throws PACKAGE_INVALID naming both packages and the path.
 */
export function overwrites(
  path: string,
  old: OwnerInfo,
  oldSha1: string | undefined,
  incoming: OwnerInfo,
  newSha1: string | undefined,
): boolean {
  const verdict = replacesFile(old, incoming);
  if (verdict === 'yes') return true;
  if (verdict === 'no') return false;
  if (oldSha1 !== undefined && oldSha1 === newSha1) return true;
  throw new LarderError(
    'PACKAGE_INVALID',
    `file conflict: ${incoming.name}-${incoming.version} is trying to overwrite ${path} owned by ` +
      `${old.name}-${old.version} (add "replaces = ${old.name}" to ${incoming.name} if intended)`,
    { subject: path },
  );
}
