import { execFileSync } from 'node:child_process';
import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The glibc dynamic loader gcc links against on this machine's arch. */
export const HOST_INTERPRETER = process.arch === 'arm64' ? 'ld-linux-aarch64.so.1' : 'ld-linux-x86-64.so.2';

/** The staged trees of one build: `libfoo` (library, program, script, .pc) and `libfoo-dev`. */
export interface GccBuildTree {
  readonly root: string;
  readonly main: string;
  readonly dev: string;
}

async function put(path: string, content: string, mode = 0o644): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, content);
  await chmod(path, mode);
}

/**
 * Compiles with the host's gcc, into `<root>/out/libfoo` (a destdir) and
 * `<root>/out/libfoo-dev` (a subpkgdir): `usr/lib/libfoo.so.1.2.3` (SONAME `libfoo.so.1`) with
 * its `libfoo.so.1` link, `usr/bin/hello` linking it, `usr/bin/greet` (`#!/usr/bin/env perl`),
 * `usr/bin/run-sh` (`#!/bin/sh`), `usr/lib/pkgconfig/foo.pc` requiring zlib and libbar, a
 * non-executable `usr/bin/README`, and in the dev package `usr/lib/libfoo.so` → the library.
 */
export async function makeGccBuildTree(root: string): Promise<GccBuildTree> {
  const src = join(root, 'src');
  const main = join(root, 'out', 'libfoo');
  const dev = join(root, 'out', 'libfoo-dev');
  await put(join(src, 'foo.c'), 'int foo(void) { return 42; }\n');
  await put(
    join(src, 'hello.c'),
    '#include <stdio.h>\nint foo(void);\nint main(void) { printf("%d\\n", foo()); return 0; }\n',
  );
  await mkdir(join(main, 'usr', 'lib', 'pkgconfig'), { recursive: true });
  await mkdir(join(main, 'usr', 'bin'), { recursive: true });
  await mkdir(join(dev, 'usr', 'lib'), { recursive: true });
  const lib = join(main, 'usr', 'lib', 'libfoo.so.1.2.3');
  const gcc = (args: string[]) => execFileSync('gcc', args, { cwd: src, stdio: 'pipe' });
  gcc(['-shared', '-fPIC', '-Wl,-soname,libfoo.so.1', '-o', lib, 'foo.c']);
  await symlink('libfoo.so.1.2.3', join(main, 'usr', 'lib', 'libfoo.so.1'));
  await symlink(lib, join(src, 'libfoo.so'));
  gcc(['-o', join(main, 'usr', 'bin', 'hello'), 'hello.c', '-L.', '-lfoo']);
  await chmod(join(main, 'usr', 'bin', 'hello'), 0o755);
  await put(join(main, 'usr', 'bin', 'greet'), '#!/usr/bin/env perl\nprint "hi\\n";\n', 0o755);
  await put(join(main, 'usr', 'bin', 'run-sh'), '#!/bin/sh\necho hi\n', 0o755);
  await put(join(main, 'usr', 'bin', 'README'), 'not a command\n', 0o644);
  await put(
    join(main, 'usr', 'lib', 'pkgconfig', 'foo.pc'),
    // biome-ignore lint/suspicious/noTemplateCurlyInString: pkg-config variable syntax
    'prefix=/usr\nlibdir=${prefix}/lib\n\nName: foo\nVersion: 1.2.3\nDescription: Foo\nRequires: zlib >= 1.2\nRequires.private: libbar\nLibs: -L${libdir} -lfoo\n',
  );
  await symlink('libfoo.so.1.2.3', join(dev, 'usr', 'lib', 'libfoo.so'));
  return { root, main, dev };
}
