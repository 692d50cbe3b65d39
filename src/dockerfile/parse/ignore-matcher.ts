import type { IgnorePattern, IgnorePatterns } from './dockerignore.js';
import { cleanPath } from './dockerignore.js';
import { invalidAt } from './errors.js';

/** Decides which context paths a `.dockerignore` excludes. */
export interface IgnoreMatcher {
  /**
   * For a file: whether it is excluded. For a directory: whether the walk can skip it whole
   * (it is excluded and no `!` exception can match anything under it); an excluded directory
   * holding exceptions answers false, and its entries are then asked one by one.
   */
  ignores(relPath: string, isDir: boolean): boolean;
}

const REGEX_SPECIAL = /[.+(){}|^$/]/;

/** An escaped character as a literal (`\d` is the letter d, as in Go's filepath.Match). */
const literal = (ch: string): string => (/[\p{L}\p{N}_]/u.test(ch) ? ch : `\\${ch}`);

/** patternmatcher's translation of a cleaned pattern into an anchored regular expression. */
function patternRegex(pattern: string): string {
  let out = '^';
  const chars = Array.from(pattern);
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] ?? '';
    if (ch === '*') {
      if (chars[i + 1] === '*') {
        i++;
        if (chars[i + 1] === '/') i++;
        out += i + 1 >= chars.length ? '.*' : '(.*/)?';
      } else out += '[^/]*';
    } else if (ch === '?') out += '[^/]';
    else if (ch === '\\') {
      const next = chars[++i];
      out += next === undefined ? '\\\\' : literal(next);
    } else if (ch === '[') {
      // A class is copied as written (Go's and JavaScript's classes agree: ranges, `^`, `\`).
      let j = i + 1;
      let cls = '[';
      if (chars[j] === '^') cls += chars[j++];
      for (let first = true; j < chars.length && (chars[j] !== ']' || first); j++, first = false) {
        const c = chars[j] ?? '';
        cls += c === '\\' ? literal(chars[++j] ?? '\\') : c === ']' ? '\\]' : c;
      }
      out += `${cls}]`;
      i = j;
    } else if (ch === ']') out += '\\]';
    else out += REGEX_SPECIAL.test(ch) ? `\\${ch}` : ch;
  }
  return `${out}$`;
}

interface Compiled {
  readonly exclusion: boolean;
  readonly whole: RegExp;
  /** One expression per path segment before the first one holding `**` (any depth). */
  readonly segments: readonly RegExp[];
  readonly anyDepth: boolean;
}

function compile(p: IgnorePattern, file: string): Compiled {
  try {
    const parts = p.pattern.split('/');
    const deep = parts.findIndex((s) => s.includes('**'));
    const fixed = deep < 0 ? parts : parts.slice(0, deep);
    return {
      exclusion: p.exclusion,
      whole: new RegExp(patternRegex(p.pattern), 's'),
      segments: fixed.map((s) => new RegExp(patternRegex(s), 's')),
      anyDepth: deep >= 0,
    };
  } catch (err) {
    throw invalidAt(file, p.line, `syntax error in pattern: "${p.pattern}": ${(err as Error).message}`);
  }
}

/** Whether an exception pattern could match a path strictly under `dirSegs`. */
function couldMatchBeneath(c: Compiled, dirSegs: readonly string[]): boolean {
  if (!c.anyDepth && c.segments.length <= dirSegs.length) return false;
  // Segments past the fixed ones (after a `**`) can match anything.
  return dirSegs.every((seg, i) => c.segments[i]?.test(seg) ?? true);
}

/** Builds the matcher of a parsed `.dockerignore` (see IgnoreMatcher). */
export function createIgnoreMatcher(p: IgnorePatterns): IgnoreMatcher {
  const compiled = p.patterns.map((pattern) => compile(pattern, p.file));
  const exceptions = compiled.filter((c) => c.exclusion);
  const matches = (path: string): boolean => {
    const segs = path.split('/');
    const parents = segs.slice(0, -1).map((_, i) => segs.slice(0, i + 1).join('/'));
    let matched = false;
    for (const c of compiled) {
      // An inclusion cannot change a match, nor an exception a non-match.
      if (c.exclusion !== matched) continue;
      if (c.whole.test(path) || parents.some((parent) => c.whole.test(parent))) matched = !c.exclusion;
    }
    return matched;
  };
  return {
    ignores(relPath: string, isDir: boolean): boolean {
      let path = cleanPath(relPath);
      if (path.startsWith('/')) path = path.slice(1);
      if (path === '.' || path === '') return false;
      if (!matches(path)) return false;
      if (!isDir) return true;
      const segs = path.split('/');
      return !exceptions.some((c) => couldMatchBeneath(c, segs));
    },
  };
}
