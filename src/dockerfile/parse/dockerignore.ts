import { invalidAt } from './errors.js';

/**
 * `.dockerignore` files with moby's ignorefile + patternmatcher semantics: one pattern a line,
 * `#` in the first column starts a comment, surrounding whitespace trimmed, `!` makes an
 * exception, paths cleaned (`./a`, `/a`, `a//b/`, `a/../b`), Go `filepath.Match` globs (`*`, `?`,
 * `[...]`, `\` escapes) plus `**` for any number of directories. The last matching pattern
 * wins, and a pattern matching a directory matches everything under it.
 */

export interface IgnorePattern {
  /** The cleaned pattern, without `!`. */
  readonly pattern: string;
  readonly exclusion: boolean;
  /** 1-based line in the file. */
  readonly line: number;
}

export interface IgnorePatterns {
  readonly file: string;
  readonly patterns: readonly IgnorePattern[];
}

/** Go's `path.Clean` for relative and absolute slash paths. */
export function cleanPath(path: string): string {
  const absolute = path.startsWith('/');
  const out: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length > 0 && out.at(-1) !== '..') out.pop();
      else if (!absolute) out.push('..');
      continue;
    }
    out.push(seg);
  }
  const joined = out.join('/');
  if (absolute) return `/${joined}`;
  return joined === '' ? '.' : joined;
}

/** Whether brackets are balanced and no `\` ends the pattern (Go's ErrBadPattern cases). */
function isWellFormed(pattern: string): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern.charAt(i);
    if (ch === '\\') {
      if (i + 1 >= pattern.length) return false;
      i++;
    } else if (ch === '[') {
      let j = i + 1;
      if (pattern.charAt(j) === '^') j++;
      let first = true;
      for (; j < pattern.length; j++) {
        const c = pattern.charAt(j);
        if (c === ']' && !first) break;
        if (c === '\\') j++;
        first = false;
      }
      if (j >= pattern.length) return false;
      i = j;
    }
  }
  return true;
}

/** Parses a `.dockerignore`; a lone `!` or a malformed glob is DOCKERFILE_INVALID at file:line. */
export function parseDockerignore(text: string, file: string): IgnorePatterns {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const patterns: IgnorePattern[] = [];
  source.split('\n').forEach((rawLine, index) => {
    const line = index + 1;
    if (rawLine.startsWith('#')) return;
    let pattern = rawLine.trim();
    if (pattern === '') return;
    const exclusion = pattern.startsWith('!');
    if (exclusion) {
      pattern = pattern.slice(1).trim();
      if (pattern === '') throw invalidAt(file, line, 'illegal exclusion pattern: "!"');
    }
    pattern = cleanPath(pattern);
    if (pattern.length > 1 && pattern.startsWith('/')) pattern = pattern.slice(1);
    if (!isWellFormed(pattern)) throw invalidAt(file, line, `syntax error in pattern: "${rawLine.trim()}"`);
    patterns.push({ pattern, exclusion, line });
  });
  return { file, patterns };
}
