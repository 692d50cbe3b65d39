import { lstat, readlink } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { readElfDynamic } from '../../image/index.js';
import { readElfRegions } from './elf-file.js';
import type { ScaFindings, ScaPackageDir } from './types.js';
import { isInDir, resolveInTree, type TreeNode } from './walk.js';

/** Directories whose shared objects are provided (melange `sca.LibDirs`). */
export const LIB_DIRS: readonly string[] = ['lib/', 'usr/lib/', 'lib64/', 'usr/lib64/'];

/** Libraries the host's NVIDIA driver injects: never depended on nor provided. */
const HOST_LIBRARIES = new Set(
  [
    'EGL_nvidia',
    'GLESv1_CM_nvidia',
    'GLESv2_nvidia',
    'GLX_nvidia',
    'cuda',
    'cudadebugger',
    'nvcuvid',
    'nvidia-allocator',
    'nvidia-cfg',
    'nvidia-eglcore',
    'nvidia-encode',
    'nvidia-fbc',
    'nvidia-glcore',
    'nvidia-glsi',
    'nvidia-glvkspirv',
    'nvidia-gpucomp',
    'nvidia-ml',
    'nvidia-ngx',
    'nvidia-nvvm',
    'nvidia-opencl',
    'nvidia-opticalflow',
    'nvidia-pkcs11-openssl3',
    'nvidia-pkcs11',
    'nvidia-ptxjitcompiler',
    'nvidia-rtcore',
    'nvidia-tls',
    'nvoptix',
  ].map((n) => `lib${n}.so.1`),
);

/** Context shared by the shared-object generator for one package. */
export interface SharedObjectScan {
  readonly pkg: ScaPackageDir;
  readonly relatives: readonly ScaPackageDir[];
  readonly fullVersion: string;
  /** LIB_DIRS plus the `ld.so.conf.d` paths of the whole build. */
  readonly libDirs: readonly string[];
}

/**
 * melange's `generateSharedObjectNameDeps`: for each regular file and symlink, the ELF
 * interpreter (`so:<basename>`, `ld-musl` read as `libc.musl`), every `DT_NEEDED` holding
 * `.so.` (`so:<lib>`), and the SONAMEs of libraries as `so:<soname>=<libver>` plus
 * `so-ver:<soname>=<fullVersion>` provides (vendored outside the library dirs). A `.so`
 * symlink also depends on the SONAME of the library it names, found in any relative package.
 */
export async function scanSharedObjects(nodes: readonly TreeNode[], s: SharedObjectScan, out: ScaFindings) {
  for (const node of nodes) {
    let file: string | undefined;
    if (node.kind === 'symlink') {
      await symlinkSoname(node, s, out);
      file = await resolveInTree(s.pkg.dir, node.path);
    } else if (node.kind === 'file') file = node.path;
    if (file === undefined) continue;
    const bytes = await readElfRegions(join(s.pkg.dir, file));
    const elf = bytes && elfOrUndefined(bytes, node.path);
    if (elf === undefined) continue;
    if (elf.interpreter !== '')
      out.runtime.push(`so:${posix.basename(elf.interpreter)}`.replaceAll('so:ld-musl', 'so:libc.musl'));
    for (const lib of elf.needed) {
      if (!HOST_LIBRARIES.has(lib) && lib.includes('.so.')) out.runtime.push(`so:${lib}`);
    }
    const base = posix.basename(node.path);
    // Executables carry no SONAME, except objects meant as libraries too (libc, libcap).
    if (elf.interpreter !== '' && !base.includes('.so.') && !base.endsWith('.so')) continue;
    if (elf.sonames.length === 0) out.warnings.push(`library ${node.path} lacks SONAME`);
    const provided = isInDir(node.path, s.libDirs);
    for (const soname of elf.sonames) {
      if (HOST_LIBRARIES.has(soname)) continue;
      const list = provided ? out.provides : out.vendored;
      list.push(`so:${soname}=${sonameLibver(soname)}`, `so-ver:${soname}=${s.fullVersion}`);
    }
  }
}

/** `processSymlinkSo`: a `.so` link depends on the SONAME of its target in any relative. */
async function symlinkSoname(node: TreeNode, s: SharedObjectScan, out: ScaFindings): Promise<void> {
  if (!node.path.includes('.so')) return;
  const target = posix.basename(await readlink(node.abs).catch(() => ''));
  if (target === '') return;
  for (const rel of s.relatives) {
    for (const dir of s.libDirs) {
      const candidate = join(rel.dir, dir, target);
      if ((await lstat(candidate).catch(() => undefined)) === undefined) continue;
      const bytes = await readElfRegions(candidate);
      const elf = bytes && elfOrUndefined(bytes, candidate);
      if (elf === undefined) return;
      if (elf.sonames.length === 0) out.warnings.push(`library ${node.path} lacks SONAME`);
      for (const soname of elf.sonames) if (!HOST_LIBRARIES.has(soname)) out.runtime.push(`so:${soname}`);
      return;
    }
  }
}

function elfOrUndefined(bytes: Buffer, who: string) {
  try {
    return readElfDynamic(bytes, who);
  } catch {
    // Scripts, data and broken objects are simply not shared objects, as in melange.
    return undefined;
  }
}

/** melange's `sonameLibver`: the digits and dots after `.so.`, else `0`. */
export function sonameLibver(soname: string): string {
  const at = soname.indexOf('.so.');
  if (at < 0) return '0';
  const rest = soname.slice(at + 4).split('.so.')[0] ?? '';
  return /^[\d.]*$/.test(rest) ? rest : '0';
}
