/**
 * The glob patterns of `${VAR#p}`, `${VAR%p}` and `${VAR/p/r}` as BuildKit's shell lexer reads
 * them: `*` any run, `?` one character, `\` escapes `*`, `?` or `\` (and `}` or `/`, which then
 * are plain characters); everything else is literal (no bracket expressions).
 */

const REGEX_SPECIAL = /[.*+?^${}()|[\]\\/]/g;

/** The regular-expression source of a pattern; throws a plain Error on an invalid escape. */
export function shellPatternSource(pattern: string, greedy: boolean): string {
  const chars = Array.from(pattern);
  let out = '';
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] ?? '';
    if (ch === '*') out += greedy ? '.*' : '.*?';
    else if (ch === '?') out += '.';
    else if (ch === '\\') {
      const next = chars[++i];
      if (next === undefined || !'*?\\}/'.includes(next)) {
        throw new Error(`invalid pattern (${pattern}) in substitution: invalid escape '\\${next ?? ''}'`);
      }
      out += next.replace(REGEX_SPECIAL, '\\$&');
    } else out += ch.replace(REGEX_SPECIAL, '\\$&');
  }
  return out;
}

/** `${VAR#p}` (shortest) and `${VAR##p}` (longest): the value without a matching prefix. */
export function trimPrefix(value: string, pattern: string, longest: boolean): string {
  const whole = new RegExp(`^(?:${shellPatternSource(pattern, true)})$`, 'su');
  const points = Array.from(value);
  for (let k = 0; k <= points.length; k++) {
    const n = longest ? points.length - k : k;
    if (whole.test(points.slice(0, n).join(''))) return points.slice(n).join('');
  }
  return value;
}

/** `${VAR%p}` (shortest) and `${VAR%%p}` (longest): the value without a matching suffix. */
export function trimSuffix(value: string, pattern: string, longest: boolean): string {
  const whole = new RegExp(`^(?:${shellPatternSource(pattern, true)})$`, 'su');
  const points = Array.from(value);
  for (let k = 0; k <= points.length; k++) {
    const start = longest ? k : points.length - k;
    if (whole.test(points.slice(start).join(''))) return points.slice(0, start).join('');
  }
  return value;
}

/** `${VAR/p/r}` (first match) and `${VAR//p/r}` (every match), longest matches, `r` literal. */
export function replacePattern(value: string, pattern: string, replacement: string, all: boolean): string {
  const re = new RegExp(shellPatternSource(pattern, true), all ? 'gsu' : 'su');
  return value.replace(re, () => replacement);
}
