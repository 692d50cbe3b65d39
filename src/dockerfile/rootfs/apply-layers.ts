import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { LarderError } from '../../core/index.js';
import { type ApplyLayersOptions, LayerApplier } from './apply-tar.js';
import { type LayerSource, openLayerTar } from './layer-stream.js';

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

/**
 * Extracts OCI layers bottom-first into `root` (gzip, uncompressed, or zstd where Node has it),
 * applying whiteouts, opaque markers, hardlinks, symlinks, modes, owners (when root), mtimes and
 * device nodes (when root; otherwise skipped with a warning). When `root` does not exist the
 * layers go into a sibling temporary directory renamed into place at the end, so a failure
 * leaves no root at all; when it exists they are applied in place and a failure says the root
 * is left partly updated. Errors keep their code (TAR_*, GZIP_*, IO) and name the layer.
 */
export async function applyLayers(
  layers: readonly LayerSource[],
  root: string,
  options: ApplyLayersOptions = {},
): Promise<void> {
  const fresh = !(await exists(root));
  const target = fresh
    ? join(dirname(root), `.${basename(root)}.larder-layers-${randomBytes(6).toString('hex')}`)
    : root;
  if (fresh) await mkdir(target, { mode: 0o755 });
  try {
    for (const [i, layer] of layers.entries()) {
      try {
        await new LayerApplier(target, options).apply(await openLayerTar(layer));
      } catch (err) {
        const e =
          err instanceof LarderError
            ? err
            : new LarderError('IO', (err as Error).message, { cause: err, subject: layer.blobPath });
        const state = fresh ? `${root} was not created` : `${root} is left partly updated`;
        throw new LarderError(
          e.code,
          `layer ${i + 1} of ${layers.length} (${layer.blobPath}): ${e.message}; ${state}`,
          {
            cause: e,
            subject: layer.blobPath,
          },
        );
      }
    }
    if (fresh) await rename(target, root);
  } catch (err) {
    if (fresh) await rm(target, { recursive: true, force: true });
    throw err;
  }
}
