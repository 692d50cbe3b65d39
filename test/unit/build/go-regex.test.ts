// biome-ignore-all lint/suspicious/noTemplateCurlyInString: melange substitutions and Go replacement templates
import { describe, expect, it } from 'vitest';
import { compileGoRegex, goReplaceAll } from './recipe-kit.js';

const replace = (src: string, pattern: string, template: string) =>
  goReplaceAll(compileGoRegex(pattern), src, template);

describe('Go regexp ReplaceAllString in JavaScript', () => {
  it('expands $1, ${1}, $name and ${name}', () => {
    expect(replace('1.2.3', '^(\\d+)\\.(\\d+)\\.(\\d+)$', '${1}_${2}_$3')).toBe('1_2_3');
    // Go reads `$1_` as the group named `1_`, which does not exist
    expect(replace('1.2.3', '^(\\d+)\\.(\\d+)\\.(\\d+)$', '$1_${2}_$3')).toBe('2_3');
    expect(replace('1.2.3', '^(?P<major>\\d+)\\.(?P<minor>\\d+)', '${minor}-$major')).toBe('2-1.3');
  });

  it('reads $1x as the group named 1x (empty) and $$ as $', () => {
    expect(replace('ab', '(a)(b)', '$1x|$2')).toBe('|b');
    expect(replace('ab', '(a)(b)', '$$1')).toBe('$1');
    expect(replace('ab', '(a)', '${1}x')).toBe('axb');
  });

  it('keeps a malformed $ as text and a missing group empty', () => {
    expect(replace('ab', 'a', '$')).toBe('$b');
    expect(replace('ab', 'a', '${1')).toBe('${1b');
    expect(replace('ab', 'a', '$9')).toBe('b');
  });

  it('skips empty matches right after a match, as Go does', () => {
    expect(replace('baaac', 'a*', 'X')).toBe('XbXcX');
    expect(replace('abc', '', '-')).toBe('-a-b-c-');
  });

  it('replaces every match', () => {
    expect(replace('1.2.3', '\\.', '_')).toBe('1_2_3');
  });

  it('translates RE2 syntax: \\z, \\A, \\Q..\\E, POSIX classes, flags, ASCII \\s', () => {
    expect(replace('a.b\na', 'a\\z', 'X')).toBe('a.b\nX');
    expect(replace('aa', '\\Aa', 'X')).toBe('Xa');
    expect(replace('a.b', '\\Q.\\E', '-')).toBe('a-b');
    expect(replace('ab12', '[[:digit:]]+', '#')).toBe('ab#');
    expect(replace('ABc', '(?i)abc', 'x')).toBe('x');
    expect(replace('a\u00a0b c', '\\s', '_')).toBe('a\u00a0b_c');
  });

  it('rejects what RE2 rejects', () => {
    expect(() => compileGoRegex('(a)\\1')).toThrow(/invalid escape sequence/);
    expect(() => compileGoRegex('a(?=b)')).toThrow(/unsupported Perl syntax/);
    expect(() => compileGoRegex('(a')).toThrow(/error parsing regexp/);
    expect(() => compileGoRegex('[a')).toThrow(/missing closing \]/);
  });
});
