/**
 * apk dependency strings (formats.md §2.3): `[!]name[@tag][op version]`, as read by apk-tools
 * 2.14 `apk_blob_pull_dep`, written like `apk_blob_push_dep` and matched like
 * `apk_dep_is_provided`.
 */
import { LarderError, parseQ1Checksum } from '../core/index.js';
import { opFromRun, type VersionOp, versionOpMask } from './dependency-op.js';
import { apkVersionCompare, versionProblem } from './version.js';

export { VERSION_OPS, type VersionOp, versionOpMask } from './dependency-op.js';

/** A parsed dependency. Invariant: `version` is present exactly when `op` is not `any`. */
export interface Dependency {
  /** Package or virtual name (`so:libc.so.6`, `cmd:sh`, `/bin/sh` are plain names). */
  name: string;
  /** `!name`: the dependency forbids matching packages instead of requiring one. */
  conflict: boolean;
  /** Repository pin, without the `@`. */
  tag?: string;
  op: VersionOp;
  version?: string;
}

/** A `provides` entry: `name=version`, or a bare `name` (an unversioned provide). */
export interface Provide {
  name: string;
  version?: string;
}

const COMPARER = /[<>=~]/;
const COMPARER_CHARS = '<>=~';
const FORBIDDEN_IN_NAME = /[\p{Cc}\s@!]/u;

function invalid(text: string, why: string, cause?: LarderError): LarderError {
  const message = `invalid dependency '${text}': ${why}`;
  return new LarderError('DEPENDENCY_INVALID', message, cause === undefined ? {} : { cause });
}

/**
 * The shape of nearly every real dependency, matched by one native regex: printable ASCII
 * without `@`, a name free of operator characters and `!`, then optionally an operator run
 * and a version that starts with no operator character. Whatever it matches, the general
 * parser below would split the same way; everything else (and every error) goes there.
 */
const SIMPLE = /^!?[\x22-\x3b\x3f\x41-\x7d]+(?:[<>=~]+[\x21-\x3b\x3f\x41-\x7d][\x21-\x3f\x41-\x7e]*)?$/;

/**
 * Parses one dependency string. Throws LarderError('DEPENDENCY_INVALID') naming the string for
 * any problem; when the version fails apk's validation, the `cause` is the VERSION_INVALID error.
 * Besides apk's `name@tag=1.0`, apko's `name=1.0@tag` is accepted: a valid version cannot
 * contain `@`, so that order is unambiguous; it is not tried for `><`, whose checksum apk
 * leaves unvalidated. Stricter than apk: empty names, whitespace, control characters, `@` and
 * `!` inside names, and operators apk would print as `?` (`>~`, `<~`) are rejected.
 */
export function parseDependency(text: string): Dependency {
  // test() and search() rather than exec(): no match array and captures per string.
  if (SIMPLE.test(text)) {
    const start = text.charCodeAt(0) === 33 /* ! */ ? 1 : 0;
    const opAt = text.search(COMPARER);
    if (opAt < 0) return { name: text.slice(start), conflict: start === 1, op: 'any' };
    let runEnd = opAt + 1;
    while (runEnd < text.length && COMPARER_CHARS.includes(text.charAt(runEnd))) runEnd++;
    const op = opFromRun(text.slice(opAt, runEnd));
    const version = text.slice(runEnd);
    if (op !== undefined && (op === '><' || versionProblem(version) === undefined))
      return { name: text.slice(start, opAt), conflict: start === 1, op, version };
  }
  return parseGeneral(text);
}

/** The general parser: tags, unusual characters, and every error message. */
function parseGeneral(text: string): Dependency {
  if (/\s/.test(text)) throw invalid(text, 'contains whitespace');
  const conflict = text.startsWith('!');
  const body = conflict ? text.slice(1) : text;
  const opAt = body.search(COMPARER);
  let head = opAt < 0 ? body : body.slice(0, opAt);
  let op: VersionOp = 'any';
  let version: string | undefined;
  let tag: string | undefined;
  if (opAt >= 0) {
    const run = /^[<>=~]+/.exec(body.slice(opAt))?.[0] ?? '';
    const parsed = opFromRun(run);
    if (parsed === undefined) throw invalid(text, `operator '${run}' is not one of = < <= > >= ~ =~ ~= ><`);
    op = parsed;
    version = body.slice(opAt + run.length);
    if (op !== '><' && version.includes('@')) {
      if (head.includes('@')) throw invalid(text, 'repository tag given twice');
      const at = version.indexOf('@');
      head = `${head}${version.slice(at)}`;
      version = version.slice(0, at);
    }
    // apk's validator would accept an empty version; apk itself never gets one (it fails on
    // an operator at the end of the string), so neither do we.
    if (version === '') throw invalid(text, `operator '${run}' has no version`);
  }
  const at = head.indexOf('@');
  const name = at < 0 ? head : head.slice(0, at);
  if (at >= 0) {
    tag = head.slice(at + 1);
    if (tag === '' || tag.includes('@')) throw invalid(text, `bad repository tag '@${tag}'`);
  }
  if (name === '') throw invalid(text, 'empty package name');
  if (FORBIDDEN_IN_NAME.test(name)) throw invalid(text, `name '${name}' contains a forbidden character`);
  if (version !== undefined && op !== '><') {
    const problem = versionProblem(version);
    if (problem !== undefined) {
      const cause = new LarderError('VERSION_INVALID', `invalid version '${version}': ${problem}`);
      throw invalid(text, `version '${version}': ${problem}`, cause);
    }
  }
  const dep: Dependency = { name, conflict, op };
  if (tag !== undefined) dep.tag = tag;
  if (version !== undefined) dep.version = version;
  return dep;
}

/** Parses a space- or newline-separated list (a `D:` line, or `depend` values). */
export function parseDependencyList(text: string): Dependency[] {
  return text
    .split(/[ \n]+/)
    .filter((word) => word !== '')
    .map(parseDependency);
}

/** Writes a dependency the way apk-tools does: `[!]name[@tag]` op version. */
export function formatDependency(dep: Dependency): string {
  const head = `${dep.conflict ? '!' : ''}${dep.name}${dep.tag === undefined ? '' : `@${dep.tag}`}`;
  if (dep.op === 'any') {
    if (dep.version !== undefined) throw invalid(head, `version '${dep.version}' given without an operator`);
    return head;
  }
  if (dep.version === undefined) throw invalid(head, `operator '${dep.op}' has no version`);
  return `${head}${dep.op}${dep.version}`;
}

/** Parses a `provides` entry: `name=version` or bare `name`. Other operators are rejected. */
export function parseProvide(text: string): Provide {
  // The usual `name` or `name=version` directly, without a Dependency object in between.
  if (SIMPLE.test(text) && text.charCodeAt(0) !== 33 /* ! */) {
    const opAt = text.search(COMPARER);
    if (opAt < 0) return { name: text };
    const version = text.slice(opAt + 1);
    const single = text.charCodeAt(opAt) === 61 /* = */ && !COMPARER.test(version.charAt(0));
    if (single && versionProblem(version) === undefined) return { name: text.slice(0, opAt), version };
  }
  const dep = parseDependency(text);
  if (dep.conflict || dep.tag !== undefined || (dep.op !== '=' && dep.op !== 'any')) {
    throw invalid(text, "a provide is 'name' or 'name=version'");
  }
  return dep.version === undefined ? { name: dep.name } : { name: dep.name, version: dep.version };
}

/**
 * Whether a provider (a package name, or a name it provides, with its version) satisfies `dep`,
 * following apk's `apk_dep_is_provided`/`apk_dep_is_materialized`:
 * - a provider of another name is unrelated: the result is `dep.conflict`;
 * - `any` is satisfied by every provider, versioned or not (inverted for conflicts);
 * - an unversioned provide (`providerVersion` undefined) satisfies no versioned constraint;
 * - `~` uses the fuzzy comparison; the others test the comparison against the op's mask;
 * - `><` compares `providerChecksum` (`Q1…`/`X1…`) with the pinned checksum. As in apk, this
 *   result is NOT inverted for a conflict.
 * For a conflict `true` means "this provider does not violate it".
 */
export function dependencyMatches(
  dep: Dependency,
  providerName: string,
  providerVersion: string | undefined,
  providerChecksum?: string,
): boolean {
  if (dep.name !== providerName) return dep.conflict;
  switch (dep.op) {
    case 'any':
      return !dep.conflict;
    case '><':
      return checksumsEqual(dep.version, providerChecksum);
    case '=':
    case '<':
    case '<=':
    case '>':
    case '>=':
    case '~': {
      if (providerVersion === undefined || dep.version === undefined) return dep.conflict;
      const result = apkVersionCompare(providerVersion, dep.version, dep.op === '~');
      return (result & versionOpMask(dep.op)) !== 0 ? !dep.conflict : dep.conflict;
    }
  }
}

function checksumsEqual(pinned: string | undefined, actual: string | undefined): boolean {
  if (pinned === undefined || actual === undefined) return false;
  const a = parseQ1Checksum(pinned);
  const b = parseQ1Checksum(actual);
  return a !== undefined && b !== undefined && a.equals(b);
}
