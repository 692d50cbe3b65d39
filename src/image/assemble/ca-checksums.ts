import { createHash } from 'node:crypto';
import { LarderError } from '../../core/index.js';
import { CA_BUNDLE_PATHS, JAVA_TRUSTSTORE_PATHS } from './certificates.js';
import type { RootTree } from './tree.js';
import { fileData, realPath, writeFile } from './tree-files.js';

/**
 * apko `writeCABundleChecksums`, run for every image right after the certificates: next to each
 * CA bundle and Java truststore that exists, a read-only (0444) `sha256sum -c` line
 * `<hex>  <basename>\n` named `.<basename>.sha256` (e.g. `etc/ssl/certs/.ca-certificates.crt.sha256`),
 * so tools can check later that the stores were not changed after the build. A sidecar that a
 * package shipped keeps its mode. Files get `time` as mtime.
 *
 * @throws LarderError PACKAGE_INVALID when a store path leads to something that is not a file.
 */
export function writeCaBundleChecksums(tree: RootTree, time: number): void {
  for (const path of [...CA_BUNDLE_PATHS, ...JAVA_TRUSTSTORE_PATHS]) {
    const real = realPath(tree, path);
    if (real === undefined) continue;
    const data = fileData(tree, real);
    if (data === undefined) throw new LarderError('PACKAGE_INVALID', `${path}: not a regular file`);
    const slash = path.lastIndexOf('/');
    const base = path.slice(slash + 1);
    const line = `${createHash('sha256').update(data).digest('hex')}  ${base}\n`;
    const sidecar = tree.resolveParent(`${path.slice(0, slash)}/.${base}.sha256`, path);
    if (tree.get(sidecar)?.type === 'directory')
      throw new LarderError(
        'PACKAGE_INVALID',
        `${sidecar}: is a directory, cannot write the checksum of ${path}`,
      );
    writeFile(tree, sidecar, line, { mode: 0o444 }, time);
  }
}
