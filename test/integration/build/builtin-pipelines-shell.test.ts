import { execFileSync } from 'node:child_process';
import { chmod, lstat, mkdir, readdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../kit/paths.js';
import { pipelineScripts, runPipelineScripts } from '../../kit/pipeline-script.js';

// The shell of the most used built-in pipelines, run with bash on the host (no sandbox) over
// tiny trees, with the substitutions the compiler makes.

let home: string;
beforeEach(async () => {
  home = await tempDir('larder-pipeline-');
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

async function put(path: string, text: string): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, text);
}

const exists = (path: string): Promise<boolean> =>
  lstat(path).then(
    () => true,
    () => false,
  );

function sections(file: string): string {
  return execFileSync('readelf', ['-S', '-W', file], { encoding: 'utf8' });
}

describe('split/dev', () => {
  it('moves headers, pkg-config files, static archives and .so links into the subpackage', async () => {
    const dest = join(home, 'melange-out', 'foo');
    await put(join(dest, 'usr/include/foo/foo.h'), 'int foo(void);\n');
    await put(join(dest, 'usr/lib/libfoo.so.1.2'), 'ELF');
    await symlink('libfoo.so.1.2', join(dest, 'usr/lib/libfoo.so.1'));
    await symlink('libfoo.so.1', join(dest, 'usr/lib/libfoo.so'));
    await put(join(dest, 'usr/lib/libfoo.a'), 'ar');
    await put(join(dest, 'usr/lib/pkgconfig/foo.pc'), 'Name: foo\n');
    await put(join(dest, 'usr/bin/foo-config'), '#!/bin/sh\n');
    await put(join(dest, 'usr/bin/foo'), '#!/bin/sh\n');

    await runPipelineScripts(pipelineScripts('split/dev', { home, packageName: 'foo', context: 'foo-dev' }));

    const dev = join(home, 'melange-out', 'foo-dev');
    for (const moved of [
      'usr/include/foo/foo.h',
      'usr/lib/libfoo.a',
      'usr/lib/pkgconfig/foo.pc',
      'usr/bin/foo-config',
    ]) {
      expect(await exists(join(dev, moved)), moved).toBe(true);
      expect(await exists(join(dest, moved)), moved).toBe(false);
    }
    expect(await readlink(join(dev, 'usr/lib/libfoo.so'))).toBe('libfoo.so.1');
    expect(await exists(join(dest, 'usr/lib/libfoo.so'))).toBe(false);
    // the runtime library and its SONAME link stay
    expect(await exists(join(dest, 'usr/lib/libfoo.so.1.2'))).toBe(true);
    expect(await exists(join(dest, 'usr/lib/libfoo.so.1'))).toBe(true);
    expect(await exists(join(dest, 'usr/bin/foo'))).toBe(true);
  });

  it('refuses to split a package into itself', async () => {
    await mkdir(join(home, 'melange-out', 'foo'), { recursive: true });
    await expect(
      runPipelineScripts(pipelineScripts('split/dev', { home, packageName: 'foo', context: 'foo' })),
    ).rejects.toThrow(/cannot be split into itself/);
  });
});

describe('split/manpages', () => {
  it('moves usr/share/man and usr/man into the subpackage', async () => {
    const dest = join(home, 'melange-out', 'foo');
    await put(join(dest, 'usr/share/man/man1/foo.1'), '.TH FOO 1\n');
    await put(join(dest, 'usr/man/man5/foo.conf.5'), '.TH FOO 5\n');
    await runPipelineScripts(
      pipelineScripts('split/manpages', { home, packageName: 'foo', context: 'foo-doc' }),
    );
    const doc = join(home, 'melange-out', 'foo-doc');
    expect(await exists(join(doc, 'usr/share/man/man1/foo.1'))).toBe(true);
    expect(await exists(join(doc, 'usr/share/man/man5/foo.conf.5'))).toBe(true);
    expect(await exists(join(dest, 'usr/share/man'))).toBe(false);
    expect(await exists(join(dest, 'usr/man'))).toBe(false);
  });
});

describe('strip', () => {
  it('strips debug information from a gcc-built executable and shared object', async () => {
    const dest = join(home, 'melange-out', 'hello');
    await put(join(home, 'hello.c'), '#include <stdio.h>\nint main(void){puts("hi");return 0;}\n');
    await put(join(home, 'lib.c'), 'int answer(void){return 42;}\n');
    await mkdir(join(dest, 'usr/bin'), { recursive: true });
    await mkdir(join(dest, 'usr/lib'), { recursive: true });
    execFileSync('gcc', ['-g', '-O0', '-o', join(dest, 'usr/bin/hello'), join(home, 'hello.c')]);
    execFileSync('gcc', [
      '-g',
      '-shared',
      '-fPIC',
      '-o',
      join(dest, 'usr/lib/libanswer.so'),
      join(home, 'lib.c'),
    ]);
    await put(join(dest, 'usr/share/doc/readme'), 'not ELF\n');
    expect(sections(join(dest, 'usr/bin/hello'))).toContain('.debug_info');
    expect(sections(join(dest, 'usr/lib/libanswer.so'))).toContain('.debug_info');

    await runPipelineScripts(pipelineScripts('strip', { home, packageName: 'hello' }));

    expect(sections(join(dest, 'usr/bin/hello'))).not.toContain('.debug_info');
    expect(sections(join(dest, 'usr/lib/libanswer.so'))).not.toContain('.debug_info');
    // -g keeps the symbol table
    expect(sections(join(dest, 'usr/bin/hello'))).toContain('.symtab');
    expect(execFileSync(join(dest, 'usr/bin/hello'), { encoding: 'utf8' })).toBe('hi\n');
    expect(await readFile(join(dest, 'usr/share/doc/readme'), 'utf8')).toBe('not ELF\n');
  });
});

describe('split/debug', () => {
  it('moves debug information into usr/lib/debug and links the stripped object to it', async () => {
    const dest = join(home, 'melange-out', 'lib');
    await put(join(home, 'lib.c'), 'int answer(void){return 42;}\n');
    await mkdir(join(dest, 'usr/lib'), { recursive: true });
    const so = join(dest, 'usr/lib/libanswer.so.1');
    execFileSync('gcc', ['-g', '-shared', '-fPIC', '-o', so, join(home, 'lib.c')]);
    await runPipelineScripts(
      pipelineScripts('split/debug', { home, packageName: 'lib', context: 'lib-dbg' }),
    );
    const debug = join(home, 'melange-out', 'lib-dbg', 'usr/lib/debug/usr/lib/libanswer.so.1.debug');
    expect(sections(debug)).toContain('.debug_info');
    expect(sections(so)).not.toContain('.debug_info');
    expect(sections(so)).toContain('.gnu_debuglink');
    expect((await readdir(dest)).sort()).toEqual(['usr']);
  });
});

describe('patch', () => {
  const original = 'one\ntwo\nthree\n';
  const diff = '--- a/file.txt\n+++ b/file.txt\n@@ -1,3 +1,3 @@\n one\n-two\n+TWO\n three\n';

  it('applies the listed patches with -p1', async () => {
    await put(join(home, 'file.txt'), original);
    await put(join(home, 'fix.patch'), diff);
    await runPipelineScripts(pipelineScripts('patch', { home, packageName: 'p' }, { patches: 'fix.patch' }));
    expect(await readFile(join(home, 'file.txt'), 'utf8')).toBe('one\nTWO\nthree\n');
  });

  it('applies a series file, skipping comments, and fails on a patch that does not apply', async () => {
    await put(join(home, 'file.txt'), original);
    await put(join(home, 'fix.patch'), diff);
    await put(join(home, 'series'), '# ours\nfix.patch\n\n');
    await runPipelineScripts(pipelineScripts('patch', { home, packageName: 'p' }, { series: 'series' }));
    expect(await readFile(join(home, 'file.txt'), 'utf8')).toBe('one\nTWO\nthree\n');
    // applied already: applying again must fail, not pass silently
    await expect(
      runPipelineScripts(pipelineScripts('patch', { home, packageName: 'p' }, { patches: 'fix.patch' })),
    ).rejects.toThrow();
  });

  it('rejects a non-numeric strip-components', async () => {
    await put(join(home, 'fix.patch'), diff);
    await expect(
      runPipelineScripts(
        pipelineScripts(
          'patch',
          { home, packageName: 'p' },
          { patches: 'fix.patch', 'strip-components': 'x' },
        ),
      ),
    ).rejects.toThrow(/strip-components must be a non-negative integer/);
  });
});

describe('git-am', () => {
  it('applies mailbox patches as commits', async () => {
    const git = (...args: string[]): string =>
      execFileSync('git', ['-C', home, '-c', 'user.name=T', '-c', 'user.email=t@example.com', ...args], {
        encoding: 'utf8',
        env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
      });
    git('init', '-q', '-b', 'main');
    git('config', 'user.name', 'T');
    git('config', 'user.email', 't@example.com');
    await put(join(home, 'file.txt'), 'one\n');
    git('add', 'file.txt');
    git('commit', '-q', '-m', 'one');
    await put(join(home, 'file.txt'), 'two\n');
    git('commit', '-q', '-a', '-m', 'make it two');
    const patch = git('format-patch', '-1', '--stdout');
    git('reset', '-q', '--hard', 'HEAD~1');
    await put(join(home, '0001-two.patch'), patch);
    await runPipelineScripts(
      pipelineScripts('git-am', { home, packageName: 'p' }, { patches: '0001-two.patch' }),
    );
    expect(await readFile(join(home, 'file.txt'), 'utf8')).toBe('two\n');
    expect(git('log', '-1', '--format=%s').trim()).toBe('make it two');
  });
});

describe('autoconf/configure + make + make-install', () => {
  it('configures, builds and installs a small C project into the package, dropping .la files', async () => {
    // A hand-written configure script: records the options it was given into the Makefile.
    await put(
      join(home, 'configure'),
      [
        '#!/bin/sh',
        'prefix=/usr/local',
        'for arg; do case "$arg" in --prefix=*) prefix=$(echo "$arg" | cut -d= -f2-) ;; esac; done',
        'echo "$@" > configure.args',
        'printf "PREFIX = %s\\n" "$prefix" > Makefile',
        'cat Makefile.in >> Makefile',
        '',
      ].join('\n'),
    );
    await chmod(join(home, 'configure'), 0o755);
    await put(
      join(home, 'Makefile.in'),
      [
        'all: hello',
        'hello: hello.c',
        '\t$(CC) -o $@ hello.c',
        'install: hello',
        '\tmkdir -p $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib',
        '\tcp hello $(DESTDIR)$(PREFIX)/bin/hello',
        '\techo "libtool" > $(DESTDIR)$(PREFIX)/lib/libhello.la',
        '',
      ].join('\n'),
    );
    await put(join(home, 'hello.c'), '#include <stdio.h>\nint main(void){puts("hello");return 0;}\n');
    const vars = { home, packageName: 'hello' };
    await runPipelineScripts([
      ...pipelineScripts('autoconf/configure', vars, { opts: '--disable-nls' }),
      ...pipelineScripts('autoconf/make', vars),
      ...pipelineScripts('autoconf/make-install', vars),
    ]);
    const args = await readFile(join(home, 'configure.args'), 'utf8');
    expect(args).toContain('--prefix=/usr');
    expect(args).toContain('--libdir=/usr/lib');
    expect(args).toContain('--disable-nls');
    expect(args).toMatch(/--host=\S+-pc-linux-gnu/);
    const installed = join(home, 'melange-out', 'hello', 'usr/bin/hello');
    expect(execFileSync(installed, { encoding: 'utf8' })).toBe('hello\n');
    expect(await exists(join(home, 'melange-out', 'hello', 'usr/lib/libhello.la'))).toBe(false);
  });
});
