import { dirname, resolve } from 'node:path';
import { LarderError } from '../../core/index.js';
import type { ImageInput, OCIHistory } from '../../oci/index.js';
import type { LoadedConfig } from '../config/load.js';
import { type BaseImage, readBaseImage } from './read-base-image.js';

/**
 * The base image of a config for one arch, or undefined without `contents.baseimage`. Relative
 * `image` and `apkindex` paths are taken from the directory of the config file.
 *
 * @throws LarderError CONFIG_INVALID when `image` or `apkindex` is missing; see readBaseImage.
 */
export async function loadBaseImage(loaded: LoadedConfig, arch: string): Promise<BaseImage | undefined> {
  const base = loaded.config.contents.baseimage;
  if (base === undefined) return undefined;
  const dir = dirname(resolve(loaded.path));
  const path = (field: 'image' | 'apkindex'): string => {
    const value = base[field];
    if (value === undefined || value === '')
      throw new LarderError('CONFIG_INVALID', `${loaded.path}: contents.baseimage.${field} is required`, {
        subject: loaded.path,
      });
    return resolve(dir, value);
  };
  return readBaseImage({ image: path('image'), apkindex: path('apkindex'), arch });
}

/** apko's world additions for a base image: `name=version` for each package it holds. */
export function basePins(base: BaseImage | undefined): string[] {
  return (base?.installed ?? []).map((p) => `${p.record.name}=${p.record.version}`);
}

/**
 * Puts an image on top of its base, as apko's `mutate.Append(base, layers...)`: the base's layers
 * first (same blobs, same digests), then the image's; the base's container config under the
 * image's own settings; the base's history followed by the image's (dropped when the base's
 * history does not account for its layers, since a history must match the layers).
 */
export function stackOnBase(base: BaseImage | undefined, image: ImageInput): ImageInput {
  if (base === undefined) return image;
  const own = image.config ?? {};
  const baseHistory: readonly OCIHistory[] = base.config.history ?? [];
  const counted = baseHistory.filter((h) => h.empty_layer !== true).length === base.layers.length;
  const history = counted && own.history !== undefined ? [...baseHistory, ...own.history] : undefined;
  const { history: _, ...rest } = own;
  return {
    ...image,
    config: {
      ...rest,
      config: { ...base.config.config, ...own.config },
      ...(history !== undefined ? { history } : {}),
    },
    layers: [...base.layers, ...image.layers],
  };
}
