import { chmod, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzePackage, parsePkgConfig, shebangInterpreter, sonameLibver } from '../../src/build/index.js';
import { readElfRegions } from '../../src/build/sca/elf-file.js';
import { readElfDynamic } from '../../src/image/index.js';
import { type GccBuildTree, HOST_INTERPRETER, makeGccBuildTree } from '../kit/gcc-package-tree.js';
import { own, tempDir } from '../kit/paths.js';

// Automatic dependencies (formats.md §5.12) over real objects compiled with the host's gcc.
let tree: GccBuildTree;
const V = '1.2.3-r4';

beforeAll(async () => {
  tree = await makeGccBuildTree(await tempDir('larder-sca-'));
});
afterAll(async () => {
  await rm(tree.root, { recursive: true, force: true });
});

const relatives = () => [
  { name: 'libfoo', dir: tree.main },
  { name: 'libfoo-dev', dir: tree.dev },
];

describe('ELF reading for SCA', () => {
  it('reads the interpreter, DT_NEEDED and SONAME of gcc output', async () => {
    const { readFile } = await import('node:fs/promises');
    const prog = readElfDynamic(await readFile(join(tree.main, 'usr/bin/hello')), 'hello');
    expect(prog.interpreter).toMatch(new RegExp(`/${HOST_INTERPRETER.replaceAll('.', '\\.')}$`));
    expect(prog.needed).toEqual(['libfoo.so.1', 'libc.so.6']);
    expect(prog.sonames).toEqual([]);
    const lib = readElfDynamic(await readFile(join(tree.main, 'usr/lib/libfoo.so.1.2.3')), 'lib');
    expect(lib).toMatchObject({ interpreter: '', type: 3, sonames: ['libfoo.so.1'], needed: [] });
    expect(() => readElfDynamic(Buffer.from('#!/bin/sh\n'), 'script')).toThrow(
      /script: not a usable ELF file/,
    );
  });
});

describe('sparse ELF loading', () => {
  it('gives the parser the same answers as reading whole files', async () => {
    const { readFile, readdir, stat } = await import('node:fs/promises');
    const files = [join(tree.main, 'usr/bin/hello'), join(tree.main, 'usr/lib/libfoo.so.1.2.3')];
    // Large host objects too, when there are any (gcc's own binaries, libc).
    for (const dir of ['/usr/bin', '/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu']) {
      const names = await readdir(dir).catch(() => [] as string[]);
      for (const name of names.sort().slice(0, 400)) {
        const st = await stat(join(dir, name)).catch(() => undefined);
        if (st?.isFile() && st.size > 1 << 20 && files.length < 24) files.push(join(dir, name));
      }
    }
    let elves = 0;
    for (const file of files) {
      const whole = await readFile(file);
      const sparse = await readElfRegions(file, 0);
      if (whole.readUInt32BE(0) !== 0x7f454c46) {
        expect(sparse).toBeUndefined();
        continue;
      }
      elves++;
      expect(sparse?.length).toBe(whole.length);
      expect(parseOrError(sparse ?? Buffer.alloc(0), file), file).toEqual(parseOrError(whole, file));
    }
    expect(elves).toBeGreaterThanOrEqual(2);
    // Broken objects (test/fixtures/bad/elf-*): the same verdict, whichever way they are read.
    const bad = own('bad');
    for (const name of (await readdir(bad)).filter((n) => /^elf(32)?-/.test(n))) {
      const whole = await readFile(join(bad, name));
      const sparse = await readElfRegions(join(bad, name), 0);
      if (whole.length < 4 || whole.readUInt32BE(0) !== 0x7f454c46) expect(sparse, name).toBeUndefined();
      else expect(parseOrError(sparse ?? Buffer.alloc(0), name), name).toEqual(parseOrError(whole, name));
    }
    expect(await readElfRegions(join(tree.main, 'usr/bin/greet'), 0)).toBeUndefined();
  });
});

describe('analyzePackage', () => {
  it('finds so:, cmd:, pc: and shebang dependencies as melange does', async () => {
    const r = await analyzePackage({ package: relatives()[0]!, fullVersion: V, relatives: relatives() });
    expect(r.provides).toEqual([
      `cmd:greet=${V}`,
      `cmd:hello=${V}`,
      `cmd:run-sh=${V}`,
      `pc:foo=${V}`,
      `so-ver:libfoo.so.1=${V}`,
      'so:libfoo.so.1=1',
    ]);
    expect(r.runtime).toEqual([
      'cmd:perl',
      'pc:libbar',
      'pc:zlib',
      `so:${HOST_INTERPRETER}`,
      'so:libc.so.6',
      'so:libfoo.so.1',
    ]);
    expect(r.vendored).toEqual([]);
  });

  it('gives a dev package the SONAME of the library its .so link names in a sibling', async () => {
    const r = await analyzePackage({ package: relatives()[1]!, fullVersion: V, relatives: relatives() });
    expect(r).toMatchObject({ provides: [], runtime: ['so:libfoo.so.1'] });
    const alone = await analyzePackage({ package: relatives()[1]!, fullVersion: V });
    expect(alone.runtime).toEqual([]);
  });

  it('honours no-commands, no-depends and no-provides', async () => {
    const base = { package: relatives()[0]!, fullVersion: V, relatives: relatives() };
    const noCmd = await analyzePackage({ ...base, options: { noCommands: true } });
    expect([...noCmd.provides, ...noCmd.runtime].filter((d) => d.startsWith('cmd:'))).toEqual([]);
    expect(noCmd.provides).toContain('so:libfoo.so.1=1');
    expect(noCmd.runtime).toContain('so:libc.so.6');
    const noDeps = await analyzePackage({ ...base, options: { noDepends: true } });
    expect(noDeps.runtime).toEqual([]);
    expect(noDeps.provides).toHaveLength(6);
    const noProv = await analyzePackage({ ...base, options: { noProvides: true } });
    expect(noProv.provides).toEqual([]);
    expect(noProv.runtime).toHaveLength(6);
  });

  it('vendors libraries and .pc files outside the standard dirs, unless ld.so.conf.d names them', async () => {
    const root = await tempDir('larder-sca-vendored-');
    try {
      const dir = join(root, 'pkg');
      await mkdir(join(dir, 'opt/foo/lib'), { recursive: true });
      await mkdir(join(dir, 'opt/foo/pkgconfig'), { recursive: true });
      const { copyFile } = await import('node:fs/promises');
      await copyFile(join(tree.main, 'usr/lib/libfoo.so.1.2.3'), join(dir, 'opt/foo/lib/libfoo.so.1.2.3'));
      await writeFile(join(dir, 'opt/foo/pkgconfig/foo.pc'), 'Name: foo\n');
      const pkg = { name: 'vend', dir };
      const r = await analyzePackage({ package: pkg, fullVersion: V });
      expect(r.vendored).toEqual([`pc:foo=${V}`, `so-ver:libfoo.so.1=${V}`, 'so:libfoo.so.1=1']);
      expect(r.provides).toEqual([]);
      await mkdir(join(dir, 'etc/ld.so.conf.d'), { recursive: true });
      await writeFile(join(dir, 'etc/ld.so.conf.d/foo.conf'), '# comment\n/opt/foo/lib\n');
      const conf = await analyzePackage({ package: pkg, fullVersion: V });
      expect(conf.provides).toEqual([`so-ver:libfoo.so.1=${V}`, 'so:libfoo.so.1=1']);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('warns about and skips a broken .pc file and an unreadable env shebang', async () => {
    const root = await tempDir('larder-sca-bad-');
    try {
      await mkdir(join(root, 'usr/lib/pkgconfig'), { recursive: true });
      await mkdir(join(root, 'usr/bin'), { recursive: true });
      await writeFile(join(root, 'usr/lib/pkgconfig/bad.pc'), 'Name: bad\nthis is not pkg-config\n');
      await writeFile(join(root, 'usr/bin/odd'), '#!/usr/bin/env -i foo bar\n');
      await chmod(join(root, 'usr/bin/odd'), 0o755);
      await symlink('odd', join(root, 'usr/bin/odd-link'));
      const r = await analyzePackage({ package: { name: 'bad', dir: root }, fullVersion: V });
      expect(r.provides).toEqual([`cmd:odd=${V}`]);
      expect(r.runtime).toEqual([]);
      expect(r.warnings.join('\n')).toMatch(/bad\.pc.*line 2/);
      expect(r.warnings.join('\n')).toMatch(
        /usr\/bin\/odd: a shbang of only '\/usr\/bin\/env' with multiple/,
      );
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('SCA parsers', () => {
  it('reads shebangs as melange getShbang does', () => {
    const sb = (s: string) => shebangInterpreter(Buffer.from(s));
    expect(sb('#!/usr/bin/perl -w\n')).toBe('/usr/bin/perl');
    expect(sb('#!/usr/bin/env -S ruby --jit\n')).toBe('ruby');
    expect(sb('#!/bin/sh\n')).toBe('');
    expect(sb('#!/usr/bin/env python3\n')).toBe('');
    expect(sb('#!   \n')).toBe('');
    expect(sb('#')).toBe('');
    expect(sb('ELF')).toBe('');
    expect(() => sb('#!/usr/bin/env\n')).toThrow(/only/);
    expect(() => sb('#!/usr/bin/env -S -x\n')).toThrow(/multiple arguments/);
  });

  it('reads pkg-config requires with versions, variables and broken lines', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: pkg-config variable syntax
    expect(parsePkgConfig('v=bar\nRequires: a >= 1, b,c\nRequires.private: ${v} < 2\nRequires: d\n')).toEqual(
      {
        requires: ['d'],
        requiresPrivate: ['bar'],
        requiresInternal: [],
      },
    );
    expect(() => parsePkgConfig('Requires: a >=\n')).toThrow(/line 1: 'a >=' has no version/);
    expect(() => parsePkgConfig('Requires: $x\n')).toThrow(/line 1: '\$x' is not a module name/);
    expect(() => parsePkgConfig('junk\n')).toThrow(/line 1/);
  });

  it('reads the library version of a SONAME', () => {
    expect(sonameLibver('libfoo.so.1.2')).toBe('1.2');
    expect(sonameLibver('libfoo.so')).toBe('0');
    expect(sonameLibver('libfoo.so.1a')).toBe('0');
  });
});

function parseOrError(bytes: Uint8Array, who: string) {
  try {
    return readElfDynamic(bytes, who);
  } catch (err) {
    return (err as Error).message;
  }
}
