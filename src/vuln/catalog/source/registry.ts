// An image in a registry: pulled (every digest verified) into a temporary OCI layout, catalogued
// from there, and the temporary layout removed.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LarderError } from '../../../core/index.js';
import {
  dockerConfigCredentials,
  formatImageReference,
  type ImageReference,
  pullToOciLayout,
  RegistryClient,
} from '../../../oci/index.js';
import type { Catalog } from '../../model.js';
import { catalogOciLayout, type ImageCatalogOptions } from './oci-layout.js';

/** How to reach registries. */
export interface RegistryAccess {
  /** The client to pull with (kept open); otherwise one with docker's credentials is made. */
  readonly client?: RegistryClient;
  /** Plain http for a registry that is not on loopback. */
  readonly insecure?: boolean;
}

/**
 * Catalogues the image `ref` names. `target` is the text the user gave (kept in the catalog).
 * @throws LarderError FETCH_* when the pull fails, TARGET_INVALID when the pulled image is bad.
 */
export async function catalogRegistryImage(
  ref: ImageReference,
  target: string,
  options: ImageCatalogOptions & { readonly registry?: RegistryAccess },
): Promise<Catalog> {
  const client =
    options.registry?.client ??
    new RegistryClient({
      auth: dockerConfigCredentials(),
      ...(options.registry?.insecure === true ? { insecure: true } : {}),
    });
  const dir = await mkdtemp(join(tmpdir(), 'larder-catalog-'));
  try {
    await pullToOciLayout(ref, join(dir, 'layout'), { client });
    const catalog = await catalogOciLayout(join(dir, 'layout'), target, options, { kind: 'registry' });
    // The temporary layout names the image by its bare tag; the reference says more.
    return { ...catalog, source: { ...catalog.source, names: [formatImageReference(ref)] } };
  } catch (err) {
    if (err instanceof LarderError && err.code === 'TARGET_INVALID') {
      throw new LarderError('TARGET_INVALID', `${target}: ${err.message}`, { cause: err, subject: target });
    }
    throw err;
  } finally {
    if (options.registry?.client === undefined) await client.close();
    await rm(dir, { recursive: true, force: true });
  }
}
