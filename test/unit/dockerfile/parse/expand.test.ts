// expandWord/expandWords: BuildKit's shell lexer, cases from Docker's variable substitution docs.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Dockerfile text holds ${VAR} substitutions, not JS templates
import { describe, expect, it } from 'vitest';
import { isLarderError } from '../../../../src/core/index.js';
import { expandWord, expandWords, type VarLookup } from '../../../../src/dockerfile/parse/index.js';
import { prng } from '../../../kit/prng.js';

const VARS: Record<string, string> = {
  FOO: '/bar',
  EMPTY: '',
  NAME: 'world',
  FILE: 'archive.tar.gz',
  PATHS: 'a/b/c/d',
  PORTS: '80  443',
  SPACED: 'a b',
};
const lookup: VarLookup = (name) => (Object.hasOwn(VARS, name) ? VARS[name] : undefined);
const x = (raw: string) => expandWord(raw, lookup);

describe('expandWord', () => {
  it('substitutes $VAR and ${VAR}, unknown variables empty', () => {
    expect(x('$FOO')).toBe('/bar');
    expect(x('${FOO}/baz')).toBe('/bar/baz');
    expect(x('$FOO_x')).toBe('');
    expect(x('${FOO}_x')).toBe('/bar_x');
    expect(x('$UNSET-$NAME')).toBe('-world');
    expect(x('a$ b$')).toBe('a$ b$');
    expect(x('$1 $@ ${1}x')).toBe('  x');
  });

  it('removes quotes: single literal, double expanding', () => {
    expect(x(`'$FOO' "$FOO" "a 'b' c"`)).toBe(`$FOO /bar a 'b' c`);
    expect(x('"hello \\"you\\" \\$NAME \\x"')).toBe('hello "you" $NAME \\x');
    expect(x("'a\\b'")).toBe('a\\b');
    expect(x('a"b"c')).toBe('abc');
  });

  it('keeps an escaped $ literal and drops other escapes', () => {
    expect(x('\\$FOO')).toBe('$FOO');
    expect(x('\\${FOO}')).toBe('${FOO}');
    expect(x('a\\ b\\\\c')).toBe('a b\\c');
    expect(x('trailing\\')).toBe('trailing');
  });

  it('applies default and alternative values', () => {
    expect(x('${FOO:-word}')).toBe('/bar');
    expect(x('${UNSET:-word}')).toBe('word');
    expect(x('${EMPTY:-word}')).toBe('word');
    expect(x('${EMPTY-word}')).toBe('');
    expect(x('${UNSET-word}')).toBe('word');
    expect(x('${FOO:+word}')).toBe('word');
    expect(x('${EMPTY:+word}')).toBe('');
    expect(x('${EMPTY+word}')).toBe('word');
    expect(x('${UNSET+word}')).toBe('');
    expect(x('${UNSET:-$NAME and "${FOO}"}')).toBe('world and /bar');
    expect(x('${UNSET:-${ALSO:-nested}}')).toBe('nested');
  });

  it('requires variables with ? and names them', () => {
    expect(x('${FOO:?}')).toBe('/bar');
    expect(x('${EMPTY?}')).toBe('');
    const error = (raw: string) => {
      try {
        x(raw);
      } catch (err) {
        expect(isLarderError(err, 'DOCKERFILE_INVALID')).toBe(true);
        return (err as Error).message;
      }
      throw new Error(`${raw} expanded`);
    };
    expect(error('${UNSET:?}')).toBe('failed to process "${UNSET:?}": UNSET: is not allowed to be unset');
    expect(error('${EMPTY:?}')).toBe('failed to process "${EMPTY:?}": EMPTY: is not allowed to be empty');
    expect(error('${UNSET?set it}')).toBe('failed to process "${UNSET?set it}": UNSET: set it');
  });

  it('removes prefixes and suffixes with glob patterns', () => {
    expect(x('${FILE%.*}')).toBe('archive.tar');
    expect(x('${FILE%%.*}')).toBe('archive');
    expect(x('${FILE#*.}')).toBe('tar.gz');
    expect(x('${FILE##*.}')).toBe('gz');
    expect(x('${PATHS#*/}')).toBe('b/c/d');
    expect(x('${PATHS##*/}')).toBe('d');
    expect(x('${PATHS%/*}')).toBe('a/b/c');
    expect(x('${PATHS%%/*}')).toBe('a');
    expect(x('${FILE#arch?ve}')).toBe('.tar.gz');
    expect(x('${FILE%nomatch}')).toBe('archive.tar.gz');
    expect(x('${UNSET#x}')).toBe('');
    expect(x('${FILE%\\*}')).toBe('archive.tar.gz');
  });

  it('replaces patterns, first or all', () => {
    expect(x('${PATHS/\\//-}')).toBe('a-b/c/d');
    expect(x('${PATHS//\\//-}')).toBe('a-b-c-d');
    expect(x('${FILE/a*r/X}')).toBe('X.gz');
    expect(x('${NAME//o/$}')).toBe('w$rld');
    expect(x('${UNSET/a/b}')).toBe('');
  });

  it('uses the backtick escape when asked', () => {
    expect(expandWord('`$FOO c:\\dir', lookup, '`')).toBe('$FOO c:\\dir');
  });

  it('refuses broken substitutions', () => {
    expect(() => x('${FILE%\\.gz}')).toThrow(
      'failed to process "${FILE%\\.gz}": invalid pattern (\\.gz) in substitution: invalid escape \'\\.\'',
    );
    for (const raw of [
      '${FOO',
      '${}',
      '${:-a}',
      '${FOO:#x}',
      '${FOO!}',
      '"open',
      "'open",
      '${FOO/a',
      '${FOO#\\x}',
    ]) {
      expect(() => x(raw), raw).toThrow(/^failed to process/);
    }
  });
});

describe('expandWords', () => {
  it('splits on unquoted whitespace, also inside unquoted variable values', () => {
    expect(expandWords('80/tcp $PORTS "$SPACED" \'x y\'', lookup)).toEqual([
      '80/tcp',
      '80',
      '443',
      'a b',
      'x y',
    ]);
    expect(expandWords('  a\\ b   c  ', lookup)).toEqual(['a b', 'c']);
    expect(expandWords('$UNSET "" a', lookup)).toEqual(['a']);
    expect(expandWords('', lookup)).toEqual([]);
  });
});

describe('fuzzing the lexer', () => {
  it('expands or refuses with DOCKERFILE_INVALID, for 2,000 random words', () => {
    const random = prng(7);
    const pieces = [
      '$',
      '{',
      '}',
      ':',
      '-',
      '+',
      '?',
      '#',
      '%',
      '/',
      '//',
      '"',
      "'",
      '\\',
      '`',
      ' ',
      'FOO',
      'FILE',
      'x',
      '*',
      '.',
    ];
    let refused = 0;
    for (let i = 0; i < 2000; i++) {
      let raw = '';
      for (let n = Math.floor(random() * 14); n > 0; n--) raw += pieces[Math.floor(random() * pieces.length)];
      const escapeChar = random() < 0.2 ? '`' : '\\';
      try {
        expect(typeof expandWord(raw, lookup, escapeChar)).toBe('string');
        expect(Array.isArray(expandWords(raw, lookup, escapeChar))).toBe(true);
      } catch (err) {
        if (!isLarderError(err, 'DOCKERFILE_INVALID'))
          throw new Error(`input ${JSON.stringify(raw)}: ${String(err)}`);
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(100);
  });
});
