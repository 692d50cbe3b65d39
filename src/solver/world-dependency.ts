/**
 * World constraints. apk's grammar (`apk_blob_pull_dep`: `[<,<=,<~,=,~,>~,>=,>,><]`) also has the
 * fuzzy range operators `<~` and `>~` ("less than or fuzzy-equal"), which the apk module's
 * `parseDependency` rejects as unprintable (apk prints their mask as `?`). `apk add 'busybox<~1.36'`
 * works, so world arguments accept them here; package dependencies never use them.
 */
import {
  apkVersionCompare,
  type Dependency,
  dependencyMatches,
  formatDependency,
  parseDependency,
  VERSION_EQUAL,
  VERSION_GREATER,
  VERSION_LESS,
} from '../apk/index.js';

/** `name<~ver` / `name>~ver`: the comparison is fuzzy (prefix) and EQUAL also matches. */
export type FuzzyRangeDependency = Omit<Dependency, 'op' | 'version'> & { op: '<~' | '>~'; version: string };

/** A dependency as `apk add` accepts it. */
export type WorldDependency = Dependency | FuzzyRangeDependency;

const FUZZY_RANGE = /^(!?[^<>=~]+)([<>])~([^<>=~]+)$/;

/**
 * Parses an `apk add` argument: everything `parseDependency` accepts, plus `<~` and `>~`.
 * @throws LarderError `DEPENDENCY_INVALID` (from the apk module) naming the string.
 */
export function parseWorldDependency(text: string): WorldDependency {
  const m = FUZZY_RANGE.exec(text);
  if (m === null) return parseDependency(text);
  // Validate name, tag and version through the apk parser with the plain operator.
  const plain = parseDependency(`${m[1]}${m[2]}${m[3]}`);
  const { op: _op, version: _version, ...rest } = plain;
  return { ...rest, op: m[2] === '<' ? '<~' : '>~', version: plain.version ?? '' };
}

function isFuzzyRange(dep: WorldDependency): dep is FuzzyRangeDependency {
  return dep.op === '<~' || dep.op === '>~';
}

/** `apk_dep_is_provided` for a provider of `dep.name` (see the apk module's `dependencyMatches`). */
export function worldDependencyMatches(
  dep: WorldDependency,
  version: string | undefined,
  checksum: string | undefined,
): boolean {
  if (!isFuzzyRange(dep)) return dependencyMatches(dep, dep.name, version, checksum);
  if (version === undefined) return dep.conflict;
  const mask = (dep.op === '<~' ? VERSION_LESS : VERSION_GREATER) | VERSION_EQUAL;
  return (apkVersionCompare(version, dep.version, true) & mask) !== 0 ? !dep.conflict : dep.conflict;
}

/** apk `apk_dep_snprintf` without a database: no `@tag`, and `?` for the fuzzy range masks. */
export function worldDependencyText(dep: WorldDependency): string {
  const { name, conflict } = dep;
  if (isFuzzyRange(dep)) return `${conflict ? '!' : ''}${name}?${dep.version}`;
  return formatDependency(
    dep.version === undefined
      ? { name, conflict, op: dep.op }
      : { name, conflict, op: dep.op, version: dep.version },
  );
}
