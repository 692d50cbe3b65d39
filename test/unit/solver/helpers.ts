/**
 * Test helpers for the solver: small in-memory indexes from APKINDEX-like text, the real
 * Alpine 3.17 index, and compact views of results.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadKeyring, parseApkIndexText, readApkIndex } from '../../../src/apk/index.js';
import {
  buildUniverse,
  fromIndexRecord,
  parseWorldDependency,
  type SolveResult,
  type SolverPackage,
  type SolverRepository,
  type SolverUniverse,
  solve,
} from '../../../src/solver/index.js';
import { shared } from '../../kit/paths.js';

let checksumSeq = 0;

/** A well-formed `Q1…` checksum derived from `seed`. */
export function fakeChecksum(seed: string): string {
  return `Q1${createHash('sha1').update(seed).digest('base64')}`;
}

/**
 * Packages from APKINDEX-like text. `C:`, `S:` and `I:` may be left out: a unique checksum and
 * `I:1` are filled in (I:0 would make the package a "virtual meta" package, solver.md T14).
 */
export function pkgs(text: string): SolverPackage[] {
  const body = text
    .trim()
    .split(/\n\s*\n/)
    .map((block) => {
      const lines = block
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '');
      if (!lines.some((l) => l.startsWith('C:'))) lines.unshift(`C:${fakeChecksum(String(++checksumSeq))}`);
      if (!lines.some((l) => l.startsWith('I:'))) lines.push('I:1');
      return lines.join('\n');
    })
    .join('\n\n');
  return parseApkIndexText(`${body}\n\n`).map(fromIndexRecord);
}

/**
 * One package from a compact spec: `name version [L:v1,v2 ...]` where `L` is an APKINDEX letter
 * (`D`, `p`, `i`, `k`, `I`, `C`), e.g. `a 3 D:b,c,d>1.5` or `libfoo 2 p:so:foo.so.2=1.0 k:1`.
 */
export function spec(text: string): SolverPackage {
  const [name, version, ...fields] = text.trim().split(/\s+/);
  const lines = [`P:${name}`, `V:${version}`];
  for (const f of fields) lines.push(`${f.slice(0, 2)}${f.slice(2).split(',').join(' ')}`);
  const [pkg] = pkgs(lines.join('\n'));
  return pkg!;
}

/** A repository from compact specs (see {@link spec}); `tag` without `@`. */
export function specRepo(specs: readonly string[], tag?: string): SolverRepository {
  const packages = specs.map(spec);
  return tag === undefined ? { packages } : { tag, packages };
}

/** A repository from text; `tag` without `@`. */
export function repo(text: string, tag?: string): SolverRepository {
  return tag === undefined ? { packages: pkgs(text) } : { tag, packages: pkgs(text) };
}

/** Solves `args` (apk add argument strings). */
export function solveArgs(u: SolverUniverse, args: string, base?: string): SolveResult {
  const world = args
    .split(/\s+/)
    .filter((a) => a !== '')
    .map(parseWorldDependency);
  if (base === undefined) return solve(u, world);
  return solve(u, world, {
    baseWorld: base
      .split(/\s+/)
      .filter((a) => a !== '')
      .map(parseWorldDependency),
  });
}

/** `name-version[@tag]` per installed package, in install order. */
export function installed(r: SolveResult): string[] {
  return r.install.map((p, i) => {
    const tag = r.installTags[i] ?? '';
    return `${p.name}${tag === '' ? '' : `@${tag}`}-${p.version}`;
  });
}

let alpine: SolverUniverse | undefined;

/** The real Alpine 3.17 aarch64 index (5,004 packages), verified with the Alpine keys. */
export async function alpineUniverse(): Promise<SolverUniverse> {
  if (alpine !== undefined) return alpine;
  const keys = shared('keys', 'alpine');
  const keyring = await loadKeyring([join(keys, 'alpine-devel@lists.alpinelinux.org-616ae350.rsa.pub')]);
  const bytes = readFileSync(shared('index', 'alpine-317-aarch64', 'APKINDEX.tar.gz'));
  const index = readApkIndex(bytes, { keyring });
  alpine = buildUniverse([{ packages: index.records.map(fromIndexRecord) }]);
  return alpine;
}
