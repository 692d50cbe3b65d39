import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LarderError } from '../../../src/core/index.js';
import {
  formatRepository,
  parseRepositoriesFile,
  parseRepository,
  readRepositoriesFile,
  repositoryIndexUrl,
  repositoryPackageUrl,
} from '../../../src/repo/index.js';
import { tempDir } from '../../kit/paths.js';

function errorOf(fn: () => unknown): LarderError {
  try {
    fn();
  } catch (err) {
    if (err instanceof LarderError) return err;
    throw err;
  }
  throw new Error('expected a LarderError');
}

describe('repositories file', () => {
  it('reads URLs, @tag lines, comments and blank lines, trimming trailing slashes', () => {
    const text = [
      '# Wolfi',
      'https://packages.wolfi.dev/os/',
      '',
      '   @local   /work/packages//  ',
      '\t#indented comment',
      'file:///srv/repo',
      './relative/repo',
      '',
    ].join('\n');
    expect(parseRepositoriesFile(text, 'repositories')).toEqual([
      { url: 'https://packages.wolfi.dev/os' },
      { url: '/work/packages', tag: 'local' },
      { url: 'file:///srv/repo' },
      { url: './relative/repo' },
    ]);
  });

  it('accepts CRLF line ends', () => {
    expect(parseRepositoriesFile('https://a.test/x\r\n@t https://b.test/y\r\n', 'f')).toEqual([
      { url: 'https://a.test/x' },
      { url: 'https://b.test/y', tag: 't' },
    ]);
  });

  it('reports every bad line with file:line and the value', () => {
    const text = [
      'https://ok.test/a',
      '@edge',
      'https://a.test b',
      '@bad!tag https://x.test',
      'ftp://old.test/r',
    ].join('\n');
    const err = errorOf(() => parseRepositoriesFile(text, '/etc/apk/repositories'));
    expect(err.code).toBe('REPOSITORY_INVALID');
    expect(err.subject).toBe('/etc/apk/repositories');
    expect(err.message).toContain("/etc/apk/repositories:2: '@edge': a tag needs a URL after it");
    expect(err.message).toContain(
      "/etc/apk/repositories:3: 'https://a.test b': expected 'URL' or '@tag URL'",
    );
    expect(err.message).toContain(
      "/etc/apk/repositories:4: '@bad!tag https://x.test': invalid tag '@bad!tag'",
    );
    expect(err.message).toMatch(
      /\/etc\/apk\/repositories:5: 'ftp:\/\/old.test\/r': unsupported URL scheme 'ftp:'/,
    );
    expect(err.message).not.toContain(':1:');
  });

  it('rejects malformed http URLs and a lone slash', () => {
    expect(errorOf(() => parseRepositoriesFile('http://\n', 'f')).message).toContain(
      "f:1: 'http://': not a valid URL",
    );
    expect(errorOf(() => parseRepositoriesFile('/\n', 'f')).message).toContain("f:1: '/': empty URL");
  });

  it('reads a file from disk and names an unreadable one', async () => {
    const dir = await tempDir();
    const file = join(dir, 'repositories');
    await writeFile(file, '@main https://r.test/main/\n');
    expect(await readRepositoriesFile(file)).toEqual([{ url: 'https://r.test/main', tag: 'main' }]);
    await expect(readRepositoriesFile(join(dir, 'missing'))).rejects.toMatchObject({
      code: 'IO',
      subject: join(dir, 'missing'),
    });
  });
});

describe('--repository values', () => {
  it('takes one entry, optionally tagged, exactly as a file line', () => {
    expect(parseRepository('https://r.test/os/')).toEqual({ url: 'https://r.test/os' });
    expect(parseRepository('@local ./packages')).toEqual({ url: './packages', tag: 'local' });
  });

  it('names the option and the value when bad', () => {
    const err = errorOf(() => parseRepository('a b c'));
    expect(err.code).toBe('REPOSITORY_INVALID');
    expect(err.message).toBe("--repository: 'a b c': expected 'URL' or '@tag URL'");
    expect(errorOf(() => parseRepository('', '--repository-append')).message).toBe(
      "--repository-append: '' names no repository",
    );
    expect(errorOf(() => parseRepository('# x')).message).toContain('names no repository');
  });

  it('formats back to the file syntax', () => {
    expect(formatRepository({ url: 'https://r.test/os' })).toBe('https://r.test/os');
    expect(formatRepository({ url: '/p', tag: 'local' })).toBe('@local /p');
  });
});

describe('URL layout', () => {
  it('puts the index and packages under the arch directory', () => {
    const repo = { url: 'https://r.test/os' };
    expect(repositoryIndexUrl(repo, 'aarch64')).toBe('https://r.test/os/aarch64/APKINDEX.tar.gz');
    // noarch packages live in the arch directory too: the record's arch is not used.
    expect(repositoryPackageUrl(repo, 'x86_64', { name: 'ca-certs', version: '1-r0' })).toBe(
      'https://r.test/os/x86_64/ca-certs-1-r0.apk',
    );
  });
});
