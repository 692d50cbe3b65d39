import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ApkArch } from '../../apk/index.js';
import { type BuiltImage, type OsRelease, parseOsRelease, sbomPackageOf } from '../../image/index.js';
import { platformFor } from '../../oci/index.js';
import { readRootApkState } from '../apk-add/index.js';
import { finalConfig, type StageState } from './stage-state.js';

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR')
      return undefined;
    throw err;
  }
}

async function osReleaseOf(root: string): Promise<OsRelease | undefined> {
  for (const path of ['etc/os-release', 'usr/lib/os-release']) {
    const text = await readOptional(join(root, path));
    if (text !== undefined) return parseOsRelease(text);
  }
  return undefined;
}

/**
 * The target stage as the composer's builds are described: its layers and image input, and
 * what is installed in it (read back from its root: packages of the base, of `RUN apk add`
 * and of anything a RUN installed), the packages fetched for it, and its os-release.
 */
export async function finishImage(
  state: StageState,
  o: { readonly arch: ApkArch; readonly created: string; readonly epoch: number | undefined },
): Promise<BuiltImage> {
  // The database as the finished root holds it (a RUN may have changed it).
  const { installed } = await readRootApkState(state.root);
  const names = new Set(installed.map((p) => `${p.record.name}=${p.record.version}`));
  const sources = state.sources.filter((s) => names.has(`${s.name}=${s.version}`));
  const osRelease = await osReleaseOf(state.root);
  return {
    arch: o.arch,
    layers: state.built,
    image: {
      platform: platformFor(o.arch),
      config: {
        created: o.created,
        ...(state.author !== undefined ? { author: state.author } : {}),
        config: finalConfig(state),
        history: state.history,
      },
      layers: state.layers,
    },
    installed,
    ...(osRelease ? { osRelease } : {}),
    created: Math.floor(Date.parse(o.created) / 1000),
    packages: installed.map((p) => sbomPackageOf(p, o.arch)),
    sources,
  };
}
