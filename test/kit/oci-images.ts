import { join } from 'node:path';
import { writeTar } from '../../src/archive/index.js';
import {
  type ImageInput,
  type OCILayoutResult,
  platformFor,
  writeLayerBlob,
  writeOciLayout,
} from '../../src/oci/index.js';
import { sampleBytes } from '../unit/oci/helpers.js';

/**
 * One entry of a sample layer: a name ending in `/` is a directory (0755), any other a file (0644,
 * empty without `data`); mtime 0.
 */
export interface SampleFile {
  readonly name: string;
  readonly data?: Uint8Array;
}

export interface SampleLayoutOptions {
  /**
   * The size of `etc/noise`, the one file of the one layer of each platform:
   * `sampleBytes(noiseSize, arch.length)`. Default 3000.
   */
  readonly noiseSize?: number;
  /** Instead of that one layer: the layers of each platform, each a list of entries. */
  readonly layers?: (arch: string, index: number) => ReadonlyArray<readonly SampleFile[]>;
  /** The ref name of the image index in index.json. Default `src`. */
  readonly refName?: string;
}

export interface SampleLayout {
  /** `<dir>/layout`. */
  readonly layout: string;
  readonly written: OCILayoutResult;
}

/** The two platforms of a sample layout, in index order. */
export const SAMPLE_ARCHS = ['x86_64', 'aarch64'] as const;

/**
 * A small two-platform (x86_64, aarch64) OCI layout at `<dir>/layout` for the registry tests:
 * layer blobs staged in `<dir>/staging`, each config created 2024-01-01T00:00:00Z with Cmd
 * `/bin/sh`. Every byte is fixed by the options, so the digests are too.
 */
export async function writeSampleLayout(
  dir: string,
  options: SampleLayoutOptions = {},
): Promise<SampleLayout> {
  const { noiseSize = 3000, refName = 'src' } = options;
  const layersOf =
    options.layers ??
    ((arch: string) => [[{ name: 'etc/noise', data: sampleBytes(noiseSize, arch.length) }]]);
  const images: ImageInput[] = [];
  for (const [i, arch] of SAMPLE_ARCHS.entries()) {
    const layers = [];
    for (const files of layersOf(arch, i)) {
      const tar = writeTar(
        files.map(({ name, data }) =>
          name.endsWith('/')
            ? { entry: { name, type: 'directory', mode: 0o755, mtime: 0 } }
            : { entry: { name, type: 'file', mode: 0o644, mtime: 0 }, data: data ?? new Uint8Array() },
        ),
        { endBlocks: true },
      );
      const blob = await writeLayerBlob([tar], { blobsDir: join(dir, 'staging') });
      layers.push({ ...blob, blobPath: blob.path });
    }
    images.push({
      platform: platformFor(arch),
      config: { created: '2024-01-01T00:00:00Z', config: { Cmd: ['/bin/sh'] } },
      layers,
    });
  }
  const layout = join(dir, 'layout');
  return { layout, written: await writeOciLayout(layout, { images, refName }) };
}
