import { open } from 'node:fs/promises';
import { posix } from 'node:path';
import type { ScaFindings } from './types.js';
import { isInDir, type TreeNode } from './walk.js';

/** Directories whose executables provide `cmd:` names (melange `sca.BinDirs`). */
export const BIN_DIRS: readonly string[] = ['bin/', 'sbin/', 'usr/bin/', 'usr/sbin/'];

/** `generateCmdProviders`: a regular file with r-x for everyone directly in a bin dir. */
export function scanCommands(nodes: readonly TreeNode[], fullVersion: string, out: ScaFindings): void {
  for (const n of nodes) {
    if (n.kind === 'file' && (n.perm & 0o555) === 0o555 && isInDir(n.path, BIN_DIRS))
      out.provides.push(`cmd:${posix.basename(n.path)}=${fullVersion}`);
  }
}

/**
 * Interpreters melange never depends on: `sh` and `python3` are symlinks nothing provides as
 * a command, and luajit has several incompatible providers.
 */
const IGNORED = new Set(['python3', 'python', 'sh', 'awk', 'luajit']);

/**
 * `getShbang`: the interpreter named by the first 80 bytes (`#!/usr/bin/env foo` and
 * `#!/usr/bin/env -S foo` name `foo`), '' when there is none or it is ignored. Throws a plain
 * Error for an `env` line melange cannot read; the caller records it as a warning.
 */
export function shebangInterpreter(head: Uint8Array): string {
  if (head.length < 2 || head[0] !== 0x23 || head[1] !== 0x21) return '';
  let line = Buffer.from(head.subarray(2, 80)).toString('latin1');
  const nl = line.indexOf('\n');
  if (nl >= 0) line = line.slice(0, nl);
  const toks = line.split(/[\t\n\v\f\r ]+/).filter((t) => t !== '');
  let bin = toks[0];
  if (bin === undefined) return '';
  if (bin === '/usr/bin/env') {
    const [, first, second] = toks;
    if (first === undefined) throw new Error("a shbang of only '/usr/bin/env'");
    if (toks.length === 2) bin = first;
    else if (first === '-S' && second !== undefined && !second.startsWith('-')) bin = second;
    else
      throw new Error(
        `a shbang of only '/usr/bin/env' with multiple arguments (${toks.length} ${toks.join(' ')})`,
      );
  }
  return IGNORED.has(posix.basename(bin)) ? '' : bin;
}

/**
 * `generateShbangDeps`: every file that is not a symlink or directory under `usr/bin/`,
 * `usr/local/bin/` or `usr/local/sbin/` (at any depth) with a shebang gives `cmd:<basename>`.
 */
export async function scanShebangs(nodes: readonly TreeNode[], out: ScaFindings): Promise<void> {
  for (const n of nodes) {
    if (n.kind === 'symlink' || n.kind === 'dir') continue;
    if (!/^(usr\/bin|usr\/local\/bin|usr\/local\/sbin)\//.test(n.path)) continue;
    const head = await readHead(n.abs);
    if (head === undefined) continue;
    try {
      const bin = shebangInterpreter(head);
      if (bin !== '') out.runtime.push(`cmd:${posix.basename(bin)}`);
    } catch (err) {
      out.warnings.push(`Error reading shbang from ${n.path}: ${(err as Error).message}`);
    }
  }
}

async function readHead(abs: string): Promise<Uint8Array | undefined> {
  const handle = await open(abs, 'r').catch(() => undefined);
  if (handle === undefined) return undefined;
  try {
    const buf = Buffer.alloc(80);
    const { bytesRead } = await handle.read(buf, 0, 80, 0);
    return buf.subarray(0, bytesRead);
  } catch {
    return undefined;
  } finally {
    await handle.close();
  }
}
