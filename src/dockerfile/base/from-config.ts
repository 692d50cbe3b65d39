import { LarderError } from '../../core/index.js';
import { buildImages, loadImageConfig } from '../../image/index.js';
import { composeImage, imageConfigFor } from '../../oci/index.js';
import { fetchBytes } from '../../repo/index.js';
import { resolveLocal, resolveRepositoryLine } from './local-paths.js';
import type { BaseOptions, StageBase } from './model.js';

/**
 * A stage base composed from an apko config in the build context (`larder:PATH`), exactly as
 * `larder image build PATH` composes it (its own layering kept), except that relative local
 * repositories and keyring paths are taken from the build context and written absolute (so the
 * image's `/etc/apk/repositories` and `/etc/apko.json` name them so; with URLs or absolute paths
 * the digest is `larder image build`'s). `apk add` later uses the config's repositories (build
 * repositories too) and keyring.
 *
 * @throws LarderError CONFIG_INVALID (every problem, with file:line) for a bad config or one
 *   whose archs leave out the stage's arch; the composer's errors otherwise.
 */
export async function stageFromConfig(path: string, spec: string, options: BaseOptions): Promise<StageBase> {
  const loaded = await loadImageConfig(path, { cwd: options.contextDir });
  if (!loaded.archs.includes(options.arch as (typeof loaded.archs)[number]))
    throw new LarderError(
      'CONFIG_INVALID',
      `FROM ${spec}: ${path} builds ${loaded.archs.join(', ')}, not ${options.arch}`,
      { subject: path },
    );
  const contents = loaded.config.contents;
  const local = (r: string) => resolveRepositoryLine(r, options.contextDir);
  const config = {
    ...loaded.config,
    contents: {
      ...contents,
      repositories: contents.repositories.map(local),
      buildRepositories: contents.buildRepositories.map(local),
      keyring: contents.keyring.map((k) => resolveLocal(k, options.contextDir)),
    },
  };
  const { images } = await buildImages({
    loaded: { ...loaded, config, archs: [options.arch as (typeof loaded.archs)[number]] },
    fetcher: options.fetcher,
    stateDir: options.stateDir,
    workDir: options.workDir,
    ...(options.sourceDateEpoch !== undefined ? { sourceDateEpoch: options.sourceDateEpoch } : {}),
    ...(options.onProgress !== undefined ? { onProgress: options.onProgress } : {}),
  });
  const built = images[0]!;
  const composed = composeImage(built.image);
  const keys = [];
  for (const url of config.contents.keyring) {
    const pem = (await fetchBytes(options.fetcher, url)).toString('utf8');
    keys.push({ name: url.slice(url.lastIndexOf('/') + 1), pem });
  }
  const repositories = [...config.contents.repositories, ...config.contents.buildRepositories];
  return {
    layers: built.image.layers,
    config: imageConfigFor(built.image),
    installed: built.installed,
    repositories,
    keys,
    digest: composed.manifest.digest,
    sources: built.sources,
    sbomPackages: built.packages,
  };
}
