import type { ScaPackageDir } from './types.js';
import { readIfPossible, walkTree } from './walk.js';

/**
 * `getLdSoConfDLibPaths`: the absolute lines of every regular `*.conf` file under
 * `etc/ld.so.conf.d` in any package of the build, without their leading slash; shared objects
 * there are provided as if in `usr/lib`.
 */
export async function ldSoConfLibDirs(relatives: readonly ScaPackageDir[]): Promise<string[]> {
  const dirs: string[] = [];
  for (const rel of relatives) {
    const nodes = await walkTree(`${rel.dir}/etc/ld.so.conf.d`);
    for (const n of nodes) {
      if (n.kind !== 'file' || !n.path.endsWith('.conf')) continue;
      const text = (await readIfPossible(n.abs))?.toString('utf8') ?? '';
      for (const line of text.split('\n')) if (line.startsWith('/')) dirs.push(line.slice(1));
    }
  }
  return dirs;
}
