// Go module and toolchain versions (catalog.md §5.3). Modules use semver with a required-in-
// practice `v` (optional here: OSV records drop it) and Go's shorthands `v1`, `v1.2`; build
// metadata such as `+incompatible` does not count. Toolchain versions name the stdlib:
// `go1.22.3`, `go1.22` (= 1.22.0), `go1.21rc2` (= 1.21.0-rc.2, before 1.21.0), as govulndb
// writes them. A pseudo-version is an ordinary pre-release: v0.0.0-2022...-abc < v0.0.1.
import { compareSemver, parseSemver, type SemVer, semverProblem } from './semver.js';
import { invalidVersion, stripZeros, type VersionOrder } from './version-order.js';

const TOOLCHAIN = /^go([0-9]+)(?:\.([0-9]+))?(?:\.([0-9]+))?(?:(beta|rc)([0-9]+))?$/;
const SHORTHAND = /^v?([0-9]+)(?:\.([0-9]+))?$/;
const PSEUDO =
  /^v[0-9]+\.(?:0\.0-|[0-9]+\.[0-9]+-(?:[^+]*\.)?0\.)[0-9]{14}-[A-Za-z0-9]+(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

/** `go1.21rc2` → `1.21.0-rc.2`; undefined when `version` is not a Go toolchain version. */
export function goToolchainToSemver(version: string): string | undefined {
  const m = TOOLCHAIN.exec(version);
  if (m === null) return undefined;
  const core = `${stripZeros(m[1] as string)}.${stripZeros(m[2] ?? '0')}.${stripZeros(m[3] ?? '0')}`;
  return m[4] === undefined ? core : `${core}-${m[4]}.${stripZeros(m[5] as string)}`;
}

/**
 * True for Go pseudo-versions (`v0.0.0-20220308185742-91533d04e894`,
 * `v1.2.4-0.20191109021931-daa7c04131f5`, `v1.2.3-pre.0.2019...-abc`), as cmd/go recognises them.
 */
export function isGoPseudoVersion(version: string): boolean {
  return PSEUDO.test(version) && parseSemver(version) !== undefined;
}

/** Parses a Go module or toolchain version into semver, or throws VERSION_INVALID. */
export function parseGoVersion(raw: string): SemVer {
  // `go1.22.3 X:boringcrypto`: the experiment list after the first space is not version (T18).
  const version = raw.trim().split(/\s/, 1)[0] ?? '';
  if (version === '' || version.startsWith('(devel)') || version === 'devel') {
    throw invalidVersion('go', raw, 'no version (a development build)');
  }
  const toolchain = goToolchainToSemver(version);
  if (toolchain !== undefined) return parseSemver(toolchain)!;
  if (version.startsWith('go'))
    throw invalidVersion('go', raw, 'not a Go release (goMAJOR[.MINOR[.PATCH]][rcN|betaN])');
  const short = SHORTHAND.exec(version);
  if (short !== null) {
    const parsed = parseSemver(`${short[1]}.${short[2] ?? '0'}.0`);
    if (parsed !== undefined) return parsed;
  }
  // `+incompatible+dirty` is one build-metadata string in Go's eyes.
  const plus = version.indexOf('+');
  const normalized =
    plus < 0 ? version : `${version.slice(0, plus + 1)}${version.slice(plus + 1).replaceAll('+', '.')}`;
  const parsed = parseSemver(normalized);
  if (parsed === undefined) throw invalidVersion('go', raw, semverProblem(normalized));
  return parsed;
}

/** The Go order: semver precedence over module versions and toolchain (stdlib) versions. */
export const goOrder: VersionOrder<SemVer> = {
  name: 'go',
  parse: parseGoVersion,
  compare: compareSemver,
};
