/**
 * A cache of solver results keyed by everything a resolution depends on (the exact indexes, the
 * arch and the world), so re-locking an unchanged config does not solve again. Values are JSON;
 * the file cache lives in `<stateDir>/cache/resolutions/<sha256>.json`, written atomically.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hexDigest, LarderError, writeFileAtomic } from '../../core/index.js';

/** Solver results by resolution key. A miss is `undefined`; a damaged entry counts as a miss. */
export interface ResolutionCache<V> {
  get(key: string): Promise<V | undefined>;
  put(key: string, value: V): Promise<void>;
}

/** What a resolution depends on. */
export interface ResolutionKeyInput {
  /** Digests of the index files used, in repository order (order can change the answer). */
  readonly indexDigests: readonly string[];
  readonly arch: string;
  /** The world as given to the solver, in order (the order of the result can depend on it). */
  readonly world: readonly string[];
}

/** Bumped when the meaning of a cached value changes, so old entries are no longer found. */
const KEY_SCHEMA = 'larder-resolution-v1';

/** SHA-256 (hex) of a canonical JSON document of the inputs, in a fixed key order. */
export function resolutionKey(input: ResolutionKeyInput): string {
  const canonical = JSON.stringify({
    schema: KEY_SCHEMA,
    arch: input.arch,
    indexDigests: [...input.indexDigests],
    world: [...input.world],
  });
  return hexDigest('sha256', canonical);
}

const KEY = /^[0-9a-f]{64}$/;

function checkKey(key: string): void {
  if (!KEY.test(key)) throw new LarderError('USAGE', `resolution cache key '${key}' is not a hex SHA-256`);
}

/** Options of {@link fileResolutionCache}. */
export interface FileResolutionCacheOptions<V> {
  /** Checks a value read back; return undefined to treat it as a miss. Default: accept. */
  readonly accept?: (value: unknown) => V | undefined;
}

/** The cache as files under `<stateDir>/cache/resolutions/`. */
export function fileResolutionCache<V>(
  stateDir: string,
  options: FileResolutionCacheOptions<V> = {},
): ResolutionCache<V> {
  const dir = join(stateDir, 'cache', 'resolutions');
  const accept = options.accept ?? ((value: unknown) => value as V);
  return {
    async get(key) {
      checkKey(key);
      let text: string;
      try {
        text = await readFile(join(dir, `${key}.json`), 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw new LarderError('IO', `cannot read resolution cache entry ${key}: ${(err as Error).message}`, {
          cause: err,
        });
      }
      try {
        return accept(JSON.parse(text));
      } catch {
        return undefined;
      }
    },
    async put(key, value) {
      checkKey(key);
      await writeFileAtomic(join(dir, `${key}.json`), `${JSON.stringify(value)}\n`);
    },
  };
}

/** An in-memory cache (for tests, and for one process locking many configs). */
export function memoryResolutionCache<V>(): ResolutionCache<V> {
  const entries = new Map<string, string>();
  return {
    async get(key) {
      const text = entries.get(key);
      return text === undefined ? undefined : (JSON.parse(text) as V);
    },
    async put(key, value) {
      entries.set(key, JSON.stringify(value));
    },
  };
}
