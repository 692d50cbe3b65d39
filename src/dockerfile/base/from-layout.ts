import { join } from 'node:path';
import { LarderError } from '../../core/index.js';
import {
  isOciLayout,
  type LayerInput,
  type LayoutImage,
  type OCILayoutContents,
  platformFor,
  readOciLayout,
} from '../../oci/index.js';
import { readImageApkState } from './image-files.js';
import type { StageBase } from './model.js';

/** Options of {@link stageFromLayout}. */
export interface LayoutBaseOptions {
  readonly dir: string;
  readonly arch: string;
  /** The `org.opencontainers.image.ref.name` to take; without it the layout's only entry (or any with the arch). */
  readonly tag?: string;
  /** How the FROM line named it, for messages. */
  readonly spec: string;
}

/**
 * A stage base from an OCI layout: the entry named by `tag` (or every entry), the image whose
 * platform is the arch's (from an index) or the single manifest, every blob verified; its apk
 * state read from the layers.
 *
 * @throws LarderError NOT_FOUND for a missing layout, DOCKERFILE_INVALID when the tag or the
 *   arch is not there, CONFIG_INVALID for a broken layout.
 */
export async function stageFromLayout(options: LayoutBaseOptions): Promise<StageBase> {
  const { dir, spec } = options;
  if (!(await isOciLayout(dir)))
    throw new LarderError(
      'NOT_FOUND',
      `FROM ${spec}: ${dir} is not an OCI image layout (no oci-layout file)`,
      {
        subject: dir,
      },
    );
  const layout = await readOciLayout(dir);
  const image = pickImage(layout, options);
  const diffIds = image.config.rootfs.diff_ids;
  if (diffIds.length !== image.manifest.layers.length)
    throw new LarderError(
      'CONFIG_INVALID',
      `FROM ${spec}: ${image.descriptor.digest} has ${diffIds.length} diff_ids for ${image.manifest.layers.length} layers`,
      { subject: dir },
    );
  const layers = image.manifest.layers.map(
    (l, i): LayerInput => ({
      mediaType: l.mediaType,
      digest: l.digest,
      size: l.size,
      diffId: diffIds[i]!,
      blobPath: join(dir, 'blobs', ...l.digest.split(':')),
      ...(l.annotations !== undefined ? { annotations: l.annotations } : {}),
    }),
  );
  const state = await readImageApkState(layers, spec);
  return { layers, config: image.config, ...state, digest: image.descriptor.digest, sources: [] };
}

function pickImage(layout: OCILayoutContents, options: LayoutBaseOptions): LayoutImage {
  const { spec, tag } = options;
  let entries = layout.entries;
  if (tag !== undefined) {
    entries = entries.filter((e) => e.refName === tag);
    if (entries.length === 0) {
      const tags = layout.entries.flatMap((e) => (e.refName !== undefined ? [e.refName] : []));
      throw new LarderError(
        'DOCKERFILE_INVALID',
        `FROM ${spec}: no image tagged ${JSON.stringify(tag)} in ${options.dir} (it has ${tags.join(', ') || 'no tags'})`,
        { subject: options.dir },
      );
    }
  }
  const platform = platformFor(options.arch);
  const images = entries.flatMap((e) => e.images);
  const matches = (i: LayoutImage): boolean => {
    const p = i.descriptor.platform;
    if (p !== undefined) return p.architecture === platform.architecture && p.os === platform.os;
    return i.config.architecture === platform.architecture && i.config.os === platform.os;
  };
  const found = images.find(matches);
  if (found === undefined) {
    const has = [...new Set(images.map((i) => `${i.config.os}/${i.config.architecture}`))].join(', ');
    throw new LarderError(
      'DOCKERFILE_INVALID',
      `FROM ${spec}: no ${platform.os}/${platform.architecture} image for ${options.arch} in ${options.dir} (it has ${has || 'no image'})`,
      { subject: options.dir },
    );
  }
  return found;
}
