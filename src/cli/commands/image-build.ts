import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { dirname, join, resolve as resolvePath } from 'node:path';
import type { Command } from 'commander';
import { IGNORE_PROGRESS, LarderError, type ProgressListener, writeFileAtomic } from '../../core/index.js';
import {
  type BuiltImage,
  buildImages,
  imageAnnotations,
  imageSboms,
  type LoadedConfig,
  readLockFile,
} from '../../image/index.js';
import { writeDockerArchive, writeOciLayout } from '../../oci/index.js';
import { createFetcher } from '../../repo/index.js';
import { formatJson } from '../../sbom/index.js';
import { loadConfigWithOptions } from '../config-options.js';
import { sourceDateEpoch } from '../environment.js';
import { PACKAGE_VERSION } from '../package-version.js';
import { globalsOf } from '../program.js';
import { progressRenderer } from '../progress.js';

export interface ImageBuildOptions {
  readonly output: string;
  readonly arch?: string[];
  readonly tag?: string;
  readonly lockfile?: string;
  readonly format?: string;
  readonly sbomDir?: string;
  readonly repositoryAppend?: string[];
  readonly keyringAppend?: string[];
  readonly packageAppend?: string[];
  readonly allowUntrusted?: boolean;
  readonly offline?: boolean;
}

const FORMATS = ['oci', 'docker', 'rootfs'] as const;

/**
 * `larder image build CONFIG -o OUT [--arch A,B] [--tag REF] [--lockfile F] [--format oci|docker|rootfs] [--sbom-dir D]`:
 * writes OUT atomically and prints its digest (the image index for `oci`, the manifest for
 * `docker`, the gzipped tarball for `rootfs`).
 */
export async function imageBuildCommand(
  configPath: string,
  raw: Record<string, unknown>,
  cmd: Command,
): Promise<void> {
  const o = raw as unknown as ImageBuildOptions;
  const format = o.format ?? 'oci';
  if (!(FORMATS as readonly string[]).includes(format))
    throw new LarderError('USAGE', `--format '${format}': use ${FORMATS.join(', ')}`);
  const globals = globalsOf(cmd);
  const progress = progressRenderer(process.stderr, { quiet: globals.quiet });
  try {
    const { digest } = await buildToOutput(
      configPath,
      o,
      globals.stateDir,
      format as (typeof FORMATS)[number],
      progress.listener,
    );
    process.stdout.write(`${digest}\n`);
  } finally {
    progress.close();
  }
}

/** What {@link buildToOutput} made: the printed digest, and what went into it. */
export interface BuiltOutput {
  readonly digest: string;
  readonly loaded: LoadedConfig;
  readonly images: readonly BuiltImage[];
}

/** Builds and writes OUT; shared with `image publish`. */
export async function buildToOutput(
  configPath: string,
  o: ImageBuildOptions,
  stateDir: string,
  format: (typeof FORMATS)[number],
  onProgress: ProgressListener = IGNORE_PROGRESS,
): Promise<BuiltOutput> {
  const loaded = await loadConfigWithOptions(configPath, o);
  if (format !== 'oci' && loaded.archs.length !== 1) {
    throw new LarderError(
      'USAGE',
      `--format ${format} writes one image: pick one arch with --arch (the config has ${loaded.archs.join(', ')})`,
    );
  }
  const lock = o.lockfile ? await readLockFile(o.lockfile) : undefined;
  const epoch = process.env.SOURCE_DATE_EPOCH ? sourceDateEpoch() : undefined;
  const out = resolvePath(o.output);
  const workDir = await mkdtemp(join(dirname(out), '.larder-build-'));
  const fetcher = createFetcher({ stateDir, offline: o.offline === true, onProgress });
  try {
    const { images, warnings } = await buildImages({
      loaded,
      fetcher,
      stateDir,
      workDir,
      allowUntrusted: o.allowUntrusted === true,
      onProgress,
      ...(epoch !== undefined ? { sourceDateEpoch: epoch } : {}),
      ...(lock ? { lock } : {}),
      ...(format === 'rootfs' ? { singleLayer: true } : {}),
    });
    for (const w of warnings) process.stderr.write(`larder: warning: ${w}\n`);
    const only = images[0]!;
    let digest: string;
    switch (format) {
      case 'oci': {
        const result = await writeOciLayout(out, {
          images: images.map((i) => i.image),
          indexAnnotations: imageAnnotations(
            loaded.config,
            isoTime(Math.max(...images.map((i) => i.created))),
          ),
          ...(o.tag ? { refName: o.tag } : {}),
        });
        digest = result.index.digest;
        break;
      }
      case 'docker':
        digest = (
          await writeDockerArchive(out, only.image, { repoTags: o.tag ? [o.tag] : [], mtime: epoch ?? 0 })
        ).manifestDigest;
        break;
      case 'rootfs': {
        // The layer blob is the gzipped root filesystem tarball (apko's build-minirootfs).
        const layer = only.layers[0]!;
        await writeFileAtomic(out, createReadStream(layer.path) as AsyncIterable<Uint8Array>);
        digest = layer.digest;
        break;
      }
    }
    if (o.sbomDir)
      await writeSboms(o.sbomDir, loaded.path, images, format === 'oci' ? digest : undefined, o.tag);
    return { digest, loaded, images };
  } finally {
    await fetcher.close();
    await rm(workDir, { recursive: true, force: true });
  }
}

async function writeSboms(
  dir: string,
  name: string,
  images: readonly BuiltImage[],
  indexDigest: string | undefined,
  ref: string | undefined,
): Promise<void> {
  const sboms = imageSboms({
    name,
    images,
    ...(indexDigest !== undefined ? { indexDigest } : {}),
    ...(ref ? { ref } : {}),
    toolVersion: PACKAGE_VERSION,
  });
  for (const sbom of sboms) await writeFileAtomic(join(dir, sbom.fileName), formatJson(sbom.document));
}

/** Seconds since the epoch as the RFC 3339 time apko writes (`1970-01-01T00:00:00Z`). */
function isoTime(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.000Z$/, 'Z');
}
