import { describe, expect, it } from 'vitest';
import { LarderError } from '../../../../src/core/index.js';
import {
  type GoBuildInfo,
  goPackages,
  parseGoModInfo,
  readGoBuildInfo,
} from '../../../../src/vuln/catalog/index.js';
import { writeElf } from './kit/elf-writer.js';
import { framedModinfo, inlineBlob, MAGIC, pointerBlob, SAMPLE_MODINFO, varint } from './kit/go-blob.js';

const code = (err: unknown) => (err instanceof LarderError ? err.code : String(err));

function goElf(blob: Buffer, options: { elfClass?: 32 | 64; little?: boolean } = {}) {
  return writeElf({
    ...options,
    sections: [
      { name: '.text', data: Buffer.alloc(64, 0x90), segmentFlags: 5 },
      { name: '.go.buildinfo', data: blob, segmentFlags: 6 },
    ],
  }).bytes;
}

describe('readGoBuildInfo: the inline layout (Go ≥ 1.18)', () => {
  it('reads version and modinfo from .go.buildinfo', () => {
    const info = readGoBuildInfo(goElf(inlineBlob('go1.22.3', SAMPLE_MODINFO)), 'tool');
    expect(info?.format).toBe('inline');
    expect(info?.goVersion).toBe('go1.22.3');
    expect(info?.modinfo.path).toBe('example.com/tool/cmd/tool');
    expect(info?.modinfo.main).toEqual({ path: 'example.com/tool', version: 'v1.4.0', sum: 'h1:abc=' });
    expect(info?.modinfo.deps).toEqual([
      { path: 'golang.org/x/net', version: 'v0.20.0', sum: 'h1:net=' },
      { path: 'example.com/local', version: 'v1.2.3', replace: { path: '../local', version: '(devel)' } },
      {
        path: 'github.com/old/mod',
        version: 'v1.0.0',
        sum: 'h1:old=',
        replace: { path: 'github.com/new/mod', version: 'v1.1.0', sum: 'h1:new=' },
      },
    ]);
    expect(info?.modinfo.settings).toContainEqual(['GOARCH', 'arm64']);
  });

  it('a modinfo of more than 127 bytes has a two-byte varint length (1349 → C5 0A)', () => {
    expect(varint(1349)).toEqual(Buffer.from([0xc5, 0x0a]));
    const long = `${SAMPLE_MODINFO}${'build\tX=y\n'.repeat(120)}`;
    const info = readGoBuildInfo(goElf(inlineBlob('go1.21.0', long)), 'tool');
    expect(info?.modinfo.settings.length).toBe(123);
  });

  it('without .go.buildinfo: the first writable, non-executable PT_LOAD, magic only at 16-byte alignment', () => {
    const blob = inlineBlob('go1.20.1', SAMPLE_MODINFO);
    // A decoy magic at offset 3 (misaligned) comes first; the real one sits at 48.
    const data = Buffer.concat([Buffer.alloc(3), MAGIC, Buffer.alloc(48 - 3 - MAGIC.length), blob]);
    const bytes = writeElf({
      sections: [
        { name: '.text', data: Buffer.alloc(32), segmentFlags: 5 },
        { name: '.data', data, segmentFlags: 6, unnamed: true },
      ],
    }).bytes;
    expect(readGoBuildInfo(bytes, 'x')?.goVersion).toBe('go1.20.1');
  });

  it('also in a non-ELF executable (PE, Mach-O): the inline blob found in the file', () => {
    const pe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(30), inlineBlob('go1.22.0', SAMPLE_MODINFO)]);
    expect(readGoBuildInfo(pe, 'tool.exe')?.modinfo.main?.version).toBe('v1.4.0');
  });

  it('modinfo without its sentinels counts as empty, as in Go', () => {
    const info = readGoBuildInfo(goElf(inlineBlob('go1.22.3', Buffer.from(SAMPLE_MODINFO))), 'x');
    expect(info?.goVersion).toBe('go1.22.3');
    expect(info?.modinfo).toEqual({ deps: [], settings: [] });
  });

  it('not a Go binary: undefined (no section, no magic, empty version)', () => {
    expect(
      readGoBuildInfo(writeElf({ sections: [{ name: '.text', data: Buffer.alloc(64) }] }).bytes),
    ).toBeUndefined();
    expect(readGoBuildInfo(goElf(inlineBlob('', SAMPLE_MODINFO)))).toBeUndefined();
    expect(readGoBuildInfo(Buffer.from('#!/bin/sh\necho hi\n'))).toBeUndefined();
  });

  it('a truncated blob is BINARY_INVALID naming the file', () => {
    const blob = inlineBlob('go1.22.3', SAMPLE_MODINFO);
    for (const cut of [33, 40, blob.length - 5]) {
      let err: unknown;
      try {
        // The cut blob is the section's whole content.
        readGoBuildInfo(goElf(blob.subarray(0, cut)), 'usr/bin/tool');
      } catch (e) {
        err = e;
      }
      expect(code(err)).toBe('BINARY_INVALID');
      expect((err as Error).message).toMatch(/^usr\/bin\/tool: Go build info is truncated/);
    }
    const runaway = Buffer.concat([inlineBlob('go1', '').subarray(0, 32), Buffer.alloc(11, 0xff)]);
    expect(() => readGoBuildInfo(goElf(runaway), 'x')).toThrow(/more than 10 bytes/);
  });
});

describe('readGoBuildInfo: the pointer layout (Go 1.13–1.17)', () => {
  for (const [ptrSize, bigEndian, elfClass] of [
    [8, false, 64],
    [4, true, 32],
    [4, false, 32],
  ] as const) {
    it(`${ptrSize}-byte pointers, ${bigEndian ? 'big' : 'little'}-endian`, () => {
      const dataAddr = 0x500000;
      const { header, data } = pointerBlob('go1.16.15', framedModinfo(SAMPLE_MODINFO), {
        ptrSize,
        bigEndian,
        dataAddr,
      });
      const bytes = writeElf({
        elfClass,
        little: !bigEndian,
        sections: [
          { name: '.go.buildinfo', data: header, segmentFlags: 6 },
          { name: '.rodata', data, addr: dataAddr },
        ],
      }).bytes;
      const info = readGoBuildInfo(bytes, 'old');
      expect(info?.format).toBe('pointer');
      expect(info?.goVersion).toBe('go1.16.15');
      expect(info?.modinfo.main?.path).toBe('example.com/tool');
    });
  }

  it('a pointer outside every segment is BINARY_INVALID; a bad pointer size is not Go', () => {
    const { header } = pointerBlob('go1.16', framedModinfo(SAMPLE_MODINFO), {
      ptrSize: 8,
      bigEndian: false,
      dataAddr: 0x900000,
    });
    expect(() => readGoBuildInfo(goElf(header), 'old')).toThrow(/outside the file/);
    const odd = Buffer.from(header);
    odd[14] = 3;
    expect(readGoBuildInfo(goElf(odd), 'old')).toBeUndefined();
  });
});

describe('parseGoModInfo', () => {
  it('a final line without a newline is ignored; unknown lines are skipped', () => {
    const info = parseGoModInfo('mod\tm\tv1.0.0\nwhat\tever\ndep\ta\tv1.0.0');
    expect(info.main?.version).toBe('v1.0.0');
    expect(info.deps).toEqual([]);
  });

  it('build settings with Go-quoted keys and values', () => {
    const info = parseGoModInfo(
      'build\t-ldflags="-X main.version=1.2.3 -s"\nbuild\t"odd key"=v\nbuild\tbroken\n',
    );
    expect(info.settings).toEqual([
      ['-ldflags', '-X main.version=1.2.3 -s'],
      ['odd key', 'v'],
    ]);
  });

  it('a replacement without a module before it, or with other than 3 columns, invalidates the text', () => {
    expect(() => parseGoModInfo('=>\t../x\t\t\n', 'bin')).toThrow(
      /bin: Go build info line 1: replacement with no module/,
    );
    expect(() => parseGoModInfo('dep\ta\tv1\n=>\t../x\n', 'bin')).toThrow(/line 2: expected 3 columns/);
    expect(() => parseGoModInfo('dep\ta\n', 'bin')).toThrow(/expected 2 or 3 columns/);
    expect(() => parseGoModInfo('dep\ta\tv1\n=>\tb\tv2\t\n=>\tc\tv3\t\n', 'bin')).toThrow(/no module/);
  });
});

function info(modinfo: string, goVersion = 'go1.22.3'): GoBuildInfo {
  return { goVersion, modinfo: parseGoModInfo(modinfo), format: 'inline' };
}

describe('goPackages', () => {
  it('main module, dependencies with replacements applied, and stdlib, with syft purls', () => {
    const pkgs = goPackages(info(SAMPLE_MODINFO), 'usr/bin/tool');
    expect(pkgs.map((p) => [p.name, p.version, p.purl, p.goMainModule ?? false])).toEqual([
      ['example.com/tool', 'v1.4.0', 'pkg:golang/example.com/tool@v1.4.0', true],
      ['golang.org/x/net', 'v0.20.0', 'pkg:golang/golang.org/x/net@v0.20.0', false],
      ['example.com/local', '(devel)', 'pkg:golang/example.com/local', false],
      ['github.com/new/mod', 'v1.1.0', 'pkg:golang/github.com/new/mod@v1.1.0', false],
      ['stdlib', 'go1.22.3', 'pkg:golang/stdlib@1.22.3', false],
    ]);
    expect(pkgs.every((p) => p.arch === 'arm64' && p.evidence === 'go-buildinfo')).toBe(true);
    expect(pkgs.every((p) => p.locations.join() === 'usr/bin/tool')).toBe(true);
  });

  it('a (devel) main module takes its version from -ldflags -X on a version variable of main or the module', () => {
    const base = 'path\texample.com/app\nmod\texample.com/app\t(devel)\t\n';
    const with_ = (ldflags: string) =>
      goPackages(info(`${base}build\t-ldflags="${ldflags}"\n`), 'app')[0]!.version;
    expect(with_('-X main.version=1.4.0')).toBe('v1.4.0');
    expect(with_('-s -w -X example.com/app/internal/build.GitVersion=v2.0.1-rc.1')).toBe('v2.0.1-rc.1');
    expect(with_("-X 'main.Tag=3.1.4'")).toBe('v3.1.4');
    expect(with_('-X main.commit=1.4.0')).toBe('(devel)');
    expect(with_('-X other.com/lib.version=1.4.0')).toBe('(devel)');
    expect(with_('-X main.version=dev')).toBe('(devel)');
  });

  it('else a pseudo-version from vcs.revision and vcs.time', () => {
    const text =
      'path\texample.com/app\nmod\texample.com/app\t(devel)\t\n' +
      'build\tvcs=git\nbuild\tvcs.revision=91533d04e894abcdef0123456789abcdef012345\nbuild\tvcs.time=2022-03-08T18:57:42Z\n';
    expect(goPackages(info(text), 'app')[0]!.version).toBe('v0.0.0-20220308185742-91533d04e894');
  });

  it('no mod line: the single (devel) dep is the main module; command-line-arguments builds have none', () => {
    const one = goPackages(
      info('path\texample.com/x/cmd/y\ndep\texample.com/x\t(devel)\t\ndep\tb\tv1.0.0\n'),
      'y',
    );
    expect(one.map((p) => [p.name, p.goMainModule ?? false])).toEqual([
      ['example.com/x', true],
      ['b', false],
      ['stdlib', false],
    ]);
    const cla = goPackages(
      info('path\tcommand-line-arguments\nmod\tcommand-line-arguments\t(devel)\t\n'),
      'z',
    );
    // `go build file.go` names no module: no main module package (syft would emit the pseudo-path).
    expect(cla.map((p) => [p.name, p.version, p.goMainModule ?? false])).toEqual([
      ['stdlib', 'go1.22.3', false],
    ]);
  });

  it('a dependency identical to the main module is skipped', () => {
    const pkgs = goPackages(info('mod\tm\tv1.0.0\t\ndep\tm\tv1.0.0\t\n'), 'm');
    expect(pkgs.map((p) => p.name)).toEqual(['m', 'stdlib']);
  });

  it('stdlib: the toolchain string is cut at the first space (X:boringcrypto); devel toolchains give none', () => {
    const boring = goPackages(info('', 'go1.21.4 X:boringcrypto'), 'b');
    expect(boring).toMatchObject([{ name: 'stdlib', version: 'go1.21.4', purl: 'pkg:golang/stdlib@1.21.4' }]);
    expect(goPackages(info('', 'go1.23rc1'), 'b')[0]?.purl).toBe('pkg:golang/stdlib@1.23rc1');
    expect(goPackages(info('', 'devel go1.23-abcdef Tue'), 'b')).toEqual([]);
  });
});
