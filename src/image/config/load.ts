/**
 * Loading an apko config from disk: `include:` chains merged underneath (formats.md §4.1), the
 * config checksum apko writes into locks, then the append options (`--repository-append` …)
 * and `--arch`. Every problem in every file is reported in one CONFIG_INVALID error.
 */
import { createHash, type Hash } from 'node:crypto';
import { access, readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { inFile, LarderError } from '../../core/index.js';
import { applyOptions, optionIssues } from './append.js';
import { ALL_IMAGE_ARCHS, type ImageArch } from './archs.js';
import { type ConfigIssue, configInvalid } from './issues.js';
import { mergeImageConfig } from './merge.js';
import type { ImageConfig } from './model.js';
import { mergedConfigIssues, parseImageConfig } from './parse.js';
import { issueAt, nodeAt } from './yaml-source.js';

/** Options of {@link loadImageConfig}; the first five mirror apko's command-line flags. */
export interface LoadImageConfigOptions {
  /** `--repository-append`: repositories added after the merge (skipping ones already listed). */
  readonly repositoryAppend?: readonly string[];
  /** `--build-repository-append`. */
  readonly buildRepositoryAppend?: readonly string[];
  /** `--keyring-append`. */
  readonly keyringAppend?: readonly string[];
  /** `--package-append`: extra world entries, each a dependency string. */
  readonly packageAppend?: readonly string[];
  /** `--arch`: overrides the config's archs; `all`, `host`, apk names or OCI names. */
  readonly archs?: readonly string[];
  /** `--include-paths`: more directories to look for `include:` files in. */
  readonly includePaths?: readonly string[];
  /** Where relative `include:` paths are looked up first, as apko does; default process.cwd(). */
  readonly cwd?: string;
}

/** A loaded config: merged, extended by the options, with apko's config checksum. */
export interface LoadedConfig {
  /** The main file, as named to the loader. */
  readonly path: string;
  readonly config: ImageConfig;
  /** The archs to build or lock: `--arch`, else the config's, else every arch (as apko). */
  readonly archs: readonly ImageArch[];
  /** `sha256-<base64>` over the raw bytes of every file read, in load order (the lock's). */
  readonly checksum: string;
  /** The files read, main file first, then each include in load order. */
  readonly files: readonly string[];
}

interface LoadState {
  readonly hash: Hash;
  readonly files: string[];
  readonly issues: ConfigIssue[];
  readonly options: LoadImageConfigOptions;
}

/**
 * Loads an apko image config. Throws LarderError CONFIG_INVALID listing every problem (each
 * `file:line:column: path: message`; the issues are also the error's `cause`), or NOT_FOUND/IO
 * when the main file cannot be read.
 */
export async function loadImageConfig(
  path: string,
  options: LoadImageConfigOptions = {},
): Promise<LoadedConfig> {
  const state: LoadState = { hash: createHash('sha256'), files: [], issues: [], options };
  const main: Located = { display: path, absolute: resolve(options.cwd ?? '.', path) };
  const merged = await loadFile(main, await readConfigFile(main), [main.absolute], state);
  state.issues.push(...optionIssues(options));
  const extended = merged === undefined ? undefined : applyOptions(merged, options);
  if (extended === undefined || state.issues.length > 0) throw configInvalid(path, state.issues);
  return {
    path,
    config: extended.config,
    archs: extended.archs ?? (extended.config.archs.length > 0 ? extended.config.archs : ALL_IMAGE_ARCHS),
    checksum: `sha256-${state.hash.digest('base64')}`,
    files: state.files,
  };
}

/** A file as messages name it and where it really is. */
interface Located {
  readonly display: string;
  readonly absolute: string;
}

async function readConfigFile({ display: path, absolute }: Located): Promise<Buffer> {
  try {
    return await readFile(absolute);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new LarderError('NOT_FOUND', `${path}: no such image config`, { subject: path, cause: err });
    }
    throw inFile(path, err);
  }
}

async function loadFile(
  located: Located,
  bytes: Buffer,
  chain: readonly string[],
  state: LoadState,
): Promise<ImageConfig | undefined> {
  // apko hashes each file's raw bytes before parsing it, then follows its include.
  state.hash.update(bytes);
  state.files.push(located.display);
  const parsed = parseImageConfig(bytes.toString('utf8'), located.display);
  state.issues.push(...parsed.issues);
  let included: ImageConfig | undefined;
  if (parsed.include !== undefined) {
    // Followed even when this file has problems, so the included file's are reported too.
    const at = nodeAt(parsed.source, ['include']);
    const found = await findInclude(parsed.include, located, state.options);
    if (found === undefined) {
      state.issues.push(issueAt(parsed.source, at, ['include'], `cannot find '${parsed.include}'`));
      return undefined;
    }
    if (chain.includes(found.absolute)) {
      const message = `include cycle: ${[...chain, found.absolute].join(' -> ')}`;
      state.issues.push(issueAt(parsed.source, at, ['include'], message));
      return undefined;
    }
    included = await loadFile(found, await readConfigFile(found), [...chain, found.absolute], state);
    if (included === undefined) return undefined;
  }
  if (parsed.config === undefined) return undefined;
  let config = included === undefined ? parsed.config : mergeImageConfig(included, parsed.config);
  config = trimRepositories(config);
  state.issues.push(...mergedConfigIssues(config, parsed.source));
  return config;
}

/**
 * apko looks in the working directory, then in each include path; larder then also tries the
 * including file's directory, so configs can include their neighbours from anywhere.
 */
async function findInclude(
  include: string,
  includer: Located,
  options: LoadImageConfigOptions,
): Promise<Located | undefined> {
  const cwd = resolve(options.cwd ?? '.');
  const candidates: Located[] = isAbsolute(include)
    ? [{ display: include, absolute: include }]
    : [
        { display: include, absolute: resolve(cwd, include) },
        ...(options.includePaths ?? []).map((dir) => ({
          display: join(dir, include),
          absolute: resolve(cwd, dir, include),
        })),
        {
          display: join(dirname(includer.display), include),
          absolute: resolve(dirname(includer.absolute), include),
        },
      ];
  for (const candidate of candidates) {
    if (await exists(candidate.absolute)) return candidate;
  }
  return undefined;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** apko trims trailing `/` from every repository list after each merge. */
function trimRepositories(config: ImageConfig): ImageConfig {
  const trim = (list: readonly string[]) => list.map((repo) => repo.replace(/\/+$/, ''));
  const c = config.contents;
  return {
    ...config,
    contents: {
      ...c,
      repositories: trim(c.repositories),
      buildRepositories: trim(c.buildRepositories),
      runtimeRepositories: trim(c.runtimeRepositories),
    },
  };
}
