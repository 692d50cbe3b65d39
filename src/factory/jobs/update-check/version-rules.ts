/**
 * From upstream names (tags, release-monitor versions) to package versions, as melange's
 * `update:` section describes: filters, `ignore-regex-patterns`, strip prefix/suffix,
 * `version-separator`, `version-transform`; prereleases only with `enable-prerelease-tags`.
 * The newest by apk version ordering wins.
 */
import { compareVersions, isValidVersion } from '../../../apk/index.js';
import { compileGoRegex, GoRegexError, goReplaceAll } from '../../../build/index.js';
import { LarderError } from '../../../core/index.js';
import { notRetryable } from '../../service.js';

export interface VersionRules {
  /** Keep only names starting with this / containing this. */
  readonly filterPrefix?: string;
  readonly filterContains?: string;
  readonly stripPrefix?: string;
  readonly stripSuffix?: string;
  /** A name or version matching any is skipped. */
  readonly ignore: readonly RegExp[];
  /** Replaced by `.` in the version (melange `version-separator`, e.g. `_` for `1_2_3`). */
  readonly separator?: string;
  readonly transforms: ReadonlyArray<{ readonly match: RegExp; readonly replace: string }>;
  /** Accept `_alpha`, `_beta`, `_pre`, `_rc` versions. */
  readonly prerelease: boolean;
}

/** Compiles the patterns; RECIPE_INVALID (not retryable) naming the file and the bad pattern. */
export function compilePatterns(file: string, field: string, patterns: readonly string[]): RegExp[] {
  return patterns.map((pattern, i) => {
    try {
      return compileGoRegex(pattern);
    } catch (err) {
      const why = err instanceof GoRegexError ? err.message : String(err);
      throw notRetryable(
        new LarderError('RECIPE_INVALID', `${file}: update.${field}[${i}] '${pattern}': ${why}`, {
          subject: file,
        }),
      );
    }
  });
}

const PRERELEASE = /_(alpha|beta|pre|rc)\d*/;

/** The package version an upstream name stands for, or undefined when the rules skip it. */
export function versionOf(name: string, rules: VersionRules): string | undefined {
  if (rules.filterPrefix !== undefined && !name.startsWith(rules.filterPrefix)) return undefined;
  if (rules.filterContains !== undefined && !name.includes(rules.filterContains)) return undefined;
  if (matchesAny(rules.ignore, name)) return undefined;
  let version = name;
  if (rules.stripPrefix !== undefined && version.startsWith(rules.stripPrefix))
    version = version.slice(rules.stripPrefix.length);
  if (rules.stripSuffix !== undefined && rules.stripSuffix !== '' && version.endsWith(rules.stripSuffix))
    version = version.slice(0, -rules.stripSuffix.length);
  if (rules.separator !== undefined && rules.separator !== '')
    version = version.replaceAll(rules.separator, '.');
  for (const t of rules.transforms) version = goReplaceAll(t.match, version, t.replace);
  if (version !== name && matchesAny(rules.ignore, version)) return undefined;
  // A package version starts with a digit (a tag's `v` must be stripped) and has no `-`.
  if (!/^\d/.test(version) || version.includes('-') || !isValidVersion(version)) return undefined;
  if (!rules.prerelease && PRERELEASE.test(version)) return undefined;
  return version;
}

/** The newest version the names stand for (apk ordering), with the name it came from. */
export function newestVersion(
  names: readonly string[],
  rules: VersionRules,
): { readonly version: string; readonly name: string } | undefined {
  let best: { version: string; name: string } | undefined;
  for (const name of names) {
    const version = versionOf(name, rules);
    if (version === undefined) continue;
    if (best === undefined || compareVersions(version, best.version) > 0) best = { version, name };
  }
  return best;
}

function matchesAny(patterns: readonly RegExp[], text: string): boolean {
  return patterns.some((re) => {
    re.lastIndex = 0;
    return re.test(text);
  });
}
