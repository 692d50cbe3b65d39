// .dockerignore: moby's ignorefile + patternmatcher semantics, cases from Docker's documentation.
import { describe, expect, it } from 'vitest';
import { isLarderError } from '../../../../src/core/index.js';
import { createIgnoreMatcher, parseDockerignore } from '../../../../src/dockerfile/parse/index.js';
import { prng } from '../../../kit/prng.js';

const matcher = (text: string) => createIgnoreMatcher(parseDockerignore(text, '.dockerignore'));
const ignoredFiles = (text: string, paths: readonly string[]) => {
  const m = matcher(text);
  return paths.filter((p) => m.ignores(p, false));
};

describe('parseDockerignore', () => {
  it('skips comments and blank lines, trims, cleans paths and keeps line numbers', () => {
    const parsed = parseDockerignore(
      '\uFEFF# comment\n\n  *.log  \n!./keep.log\r\n/abs/path/\na//b/../c\n ! spaced\n #not a comment\n',
      '.dockerignore',
    );
    expect(parsed).toEqual({
      file: '.dockerignore',
      patterns: [
        { pattern: '*.log', exclusion: false, line: 3 },
        { pattern: 'keep.log', exclusion: true, line: 4 },
        { pattern: 'abs/path', exclusion: false, line: 5 },
        { pattern: 'a/c', exclusion: false, line: 6 },
        { pattern: 'spaced', exclusion: true, line: 7 },
        { pattern: '#not a comment', exclusion: false, line: 8 },
      ],
    });
  });

  it('refuses a lone ! and malformed globs at file:line', () => {
    for (const [text, message] of [
      ['a\n!\n', '.dockerignore:2: illegal exclusion pattern: "!"'],
      ['[abc\n', '.dockerignore:1: syntax error in pattern: "[abc"'],
      ['x\n\nfoo\\\n', '.dockerignore:3: syntax error in pattern: "foo\\"'],
      ['[z-a]\n', '.dockerignore:1: syntax error in pattern: "[z-a]"'],
    ] as const) {
      let caught: unknown;
      try {
        matcher(text);
      } catch (err) {
        caught = err;
      }
      expect(isLarderError(caught, 'DOCKERFILE_INVALID'), text).toBe(true);
      expect((caught as Error).message.startsWith(message), (caught as Error).message).toBe(true);
    }
  });
});

describe('createIgnoreMatcher', () => {
  it("follows the documentation's example", () => {
    const text = '# comment\n*/temp*\n*/*/temp*\ntemp?\n';
    const paths = [
      'somedir/temporary.txt',
      'somedir/temp/x',
      'somedir/subdir/temporary.txt',
      'tempa',
      'tempb',
      'temp',
      'temporary.txt',
      'a/b/c/temp.txt',
    ];
    expect(ignoredFiles(text, paths)).toEqual([
      'somedir/temporary.txt',
      'somedir/temp/x',
      'somedir/subdir/temporary.txt',
      'tempa',
      'tempb',
    ]);
  });

  it('matches ** across any number of directories, the root included', () => {
    const paths = ['main.go', 'a/b/c.go', 'a/go', 'x.gox'];
    expect(ignoredFiles('**/*.go\n', paths)).toEqual(['main.go', 'a/b/c.go']);
    expect(ignoredFiles('a/**/z\n', ['a/z', 'a/b/z', 'a/b/c/z', 'b/z', 'a/zz'])).toEqual([
      'a/z',
      'a/b/z',
      'a/b/c/z',
    ]);
    expect(ignoredFiles('vendor/**\n', ['vendor/a', 'vendor/b/c', 'vendors'])).toEqual([
      'vendor/a',
      'vendor/b/c',
    ]);
    expect(ignoredFiles('**\n!src\n', ['a', 'src/b', 'src'])).toEqual(['a']);
  });

  it('lets the last matching pattern win', () => {
    const paths = ['a.md', 'README.md', 'README-secret.md', 'docs/x.md'];
    expect(ignoredFiles('*.md\n!README.md\n', paths)).toEqual(['a.md', 'README-secret.md']);
    expect(ignoredFiles('*.md\n!README*.md\nREADME-secret.md\n', paths)).toEqual([
      'a.md',
      'README-secret.md',
    ]);
    expect(ignoredFiles('*.md\nREADME-secret.md\n!README*.md\n', paths)).toEqual(['a.md']);
  });

  it('matches everything under a matching directory, with leading slashes and ./ cleaned', () => {
    const paths = ['foo/bar', 'foo/bar/baz.txt', 'foo/barn', 'x/foo/bar'];
    expect(ignoredFiles('/foo/bar\n', paths)).toEqual(['foo/bar', 'foo/bar/baz.txt']);
    expect(ignoredFiles('./foo/bar/\n', paths)).toEqual(['foo/bar', 'foo/bar/baz.txt']);
    expect(matcher('foo\n').ignores('./foo//x/../y', false)).toBe(true);
    expect(matcher('*\n').ignores('.', true)).toBe(false);
  });

  it('reads ?, character classes and escapes as filepath.Match', () => {
    expect(ignoredFiles('file[0-9].txt\n', ['file1.txt', 'filex.txt', 'file12.txt'])).toEqual(['file1.txt']);
    expect(ignoredFiles('file[^0-9].txt\n', ['file1.txt', 'filex.txt'])).toEqual(['filex.txt']);
    expect(ignoredFiles('a?c\n', ['abc', 'a/c', 'ac'])).toEqual(['abc']);
    expect(ignoredFiles('\\*.txt\n', ['*.txt', 'a.txt'])).toEqual(['*.txt']);
    expect(ignoredFiles('a.b\n', ['a.b', 'axb'])).toEqual(['a.b']);
    expect(ignoredFiles('\\d[\\d]\n', ['dd', '11', 'd1'])).toEqual(['dd']);
    expect(ignoredFiles('[]x]\n', [']', 'x', 'y'])).toEqual([']', 'x']);
    expect(ignoredFiles('(x)+|y$\n', ['(x)+|y$', 'xx'])).toEqual(['(x)+|y$']);
  });

  it('lets a walk skip a directory only when no exception can match under it', () => {
    const m = matcher('build\n!build/keep\nlogs\ntmp/**/cache\n!tmp/**/cache/important\n');
    expect(m.ignores('build', true)).toBe(false);
    expect(m.ignores('build/other', false)).toBe(true);
    expect(m.ignores('build/keep', false)).toBe(false);
    expect(m.ignores('build/sub', true)).toBe(true);
    expect(m.ignores('logs', true)).toBe(true);
    expect(m.ignores('tmp/a/cache', true)).toBe(false);
    expect(m.ignores('tmp/a/cache/x', false)).toBe(true);
    expect(m.ignores('tmp/a/cache/important', false)).toBe(false);
    expect(m.ignores('src', true)).toBe(false);
    // An exception starting with ** could match under any directory.
    const deep = matcher('build\n!**/keep\n');
    expect(deep.ignores('build', true)).toBe(false);
    expect(deep.ignores('build/a/keep', false)).toBe(false);
    expect(deep.ignores('build/a/other', false)).toBe(true);
  });

  it('ignores nothing without patterns', () => {
    expect(matcher('').ignores('Dockerfile', false)).toBe(false);
    expect(matcher('# nothing\n').ignores('a/b', true)).toBe(false);
  });
});

describe('fuzzing .dockerignore', () => {
  it('parses or refuses with DOCKERFILE_INVALID, and the matcher never throws, for 2,000 files', () => {
    const random = prng(9);
    const pieces = [
      '*',
      '**',
      '?',
      '[',
      ']',
      '^',
      '-',
      '\\',
      '!',
      '/',
      './',
      '..',
      '#',
      ' ',
      '\n',
      'a',
      'b.c',
      '(',
      '$',
    ];
    const paths = ['a', 'a/b.c', 'b.c', 'x/a/b', '[a]', '.', 'a/../b'];
    let refused = 0;
    for (let i = 0; i < 2000; i++) {
      let text = '';
      for (let n = Math.floor(random() * 12); n > 0; n--)
        text += pieces[Math.floor(random() * pieces.length)];
      try {
        const m = matcher(text);
        for (const p of paths)
          for (const isDir of [false, true]) expect(typeof m.ignores(p, isDir)).toBe('boolean');
      } catch (err) {
        if (!isLarderError(err, 'DOCKERFILE_INVALID'))
          throw new Error(`input ${JSON.stringify(text)}: ${String(err)}`);
        expect(err.message).toMatch(/^\.dockerignore:\d+: /);
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(50);
  });
});
