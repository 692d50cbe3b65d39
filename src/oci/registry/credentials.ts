import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { LarderError, type ProgressListener } from '../../core/index.js';

/** What a registry is told about who we are. */
export type RegistryCredentials =
  | { readonly kind: 'basic'; readonly username: string; readonly password: string }
  /** An OAuth2 refresh token (`identitytoken` in docker's config), traded at the token realm. */
  | { readonly kind: 'identity-token'; readonly token: string }
  /** A bearer token sent as it is (`registrytoken`). */
  | { readonly kind: 'registry-token'; readonly token: string };

/**
 * Credentials for a registry host (`host[:port]`, `docker.io` for Docker Hub), or none.
 * `source` (optional) names where they come from, for error messages.
 */
export type CredentialsProvider = ((registry: string) => Promise<RegistryCredentials | undefined>) & {
  readonly source?: string;
};

export interface DockerConfigOptions {
  /** The config file; default `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`. */
  readonly path?: string;
  /** Told (once per host) when a credential helper would be needed; larder does not run them. */
  readonly onProgress?: ProgressListener;
}

const HUB_KEYS = ['https://index.docker.io/v1/', 'index.docker.io', 'docker.io', 'registry-1.docker.io'];

/** The default config file path, as the docker CLI finds it. */
export function dockerConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.DOCKER_CONFIG ?? join(homedir(), '.docker'), 'config.json');
}

/**
 * Credentials from a docker CLI `config.json`: `auths.<host>.auth` (base64 `user:password`,
 * split at the first `:`), the legacy `username`/`password`, `identitytoken` and
 * `registrytoken`. Keys may be URLs (`https://host/v1/`): they match on host[:port]. Docker Hub
 * is stored under `https://index.docker.io/v1/`. `credHelpers`/`credsStore` are not run: a
 * `warn` event says so and the host is treated as anonymous. A missing file means anonymous;
 * an unreadable or malformed one is CONFIG_INVALID.
 */
export function dockerConfigCredentials(options: DockerConfigOptions = {}): CredentialsProvider {
  const path = options.path ?? dockerConfigPath();
  let loaded: Promise<DockerConfig | undefined> | undefined;
  const warned = new Set<string>();
  const provider = async (registry: string): Promise<RegistryCredentials | undefined> => {
    loaded ??= loadDockerConfig(path);
    const config = await loaded;
    if (config === undefined) return undefined;
    const keys = registry === 'docker.io' ? HUB_KEYS : [registry];
    const helper = keys.map((k) => config.credHelpers?.[k]).find((h) => h !== undefined) ?? config.credsStore;
    const entry = findAuth(config, keys);
    if (helper !== undefined && entry === undefined && !warned.has(registry)) {
      warned.add(registry);
      options.onProgress?.({
        kind: 'warn',
        message: `${path} names credential helper docker-credential-${helper} for ${registry}; larder does not run credential helpers, so it connects anonymously (add an "auths" entry instead)`,
        subject: path,
      });
    }
    return entry === undefined ? undefined : toCredentials(entry, path, registry);
  };
  return Object.assign(provider, { source: path });
}

interface AuthEntry {
  readonly auth?: string;
  readonly username?: string;
  readonly password?: string;
  readonly identitytoken?: string;
  readonly registrytoken?: string;
}

interface DockerConfig {
  readonly auths?: Readonly<Record<string, AuthEntry>>;
  readonly credHelpers?: Readonly<Record<string, string>>;
  readonly credsStore?: string;
}

async function loadDockerConfig(path: string): Promise<DockerConfig | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new LarderError('CONFIG_INVALID', `${path}: cannot read: ${(err as Error).message}`, {
      cause: err,
      subject: path,
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new LarderError('CONFIG_INVALID', `${path}: not JSON (${(err as Error).message})`, {
      cause: err,
      subject: path,
    });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new LarderError('CONFIG_INVALID', `${path}: expected a JSON object`, { subject: path });
  }
  return value as DockerConfig;
}

function hostOf(key: string): string {
  if (!key.includes('://')) return key.replace(/\/.*$/, '');
  try {
    return new URL(key).host;
  } catch {
    return key;
  }
}

function findAuth(config: DockerConfig, keys: readonly string[]): AuthEntry | undefined {
  const auths = config.auths ?? {};
  for (const key of keys) if (auths[key] !== undefined) return auths[key];
  const hosts = new Set(keys.map(hostOf));
  for (const [key, entry] of Object.entries(auths)) if (hosts.has(hostOf(key))) return entry;
  return undefined;
}

function toCredentials(entry: AuthEntry, path: string, registry: string): RegistryCredentials | undefined {
  if (typeof entry.identitytoken === 'string' && entry.identitytoken !== '') {
    return { kind: 'identity-token', token: entry.identitytoken };
  }
  if (typeof entry.registrytoken === 'string' && entry.registrytoken !== '') {
    return { kind: 'registry-token', token: entry.registrytoken };
  }
  if (typeof entry.auth === 'string' && entry.auth !== '') {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) {
      throw new LarderError(
        'CONFIG_INVALID',
        `${path}: auths entry for ${registry}: "auth" is not base64 of user:password`,
        { subject: path },
      );
    }
    return { kind: 'basic', username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  if (typeof entry.username === 'string' && typeof entry.password === 'string') {
    return { kind: 'basic', username: entry.username, password: entry.password };
  }
  return undefined;
}

/**
 * Fixed credentials per registry host (e.g. from CLI options), falling back to `next` (such as
 * {@link dockerConfigCredentials}) for other hosts. Never answers for a host not listed, so
 * credentials are not sent where they were not meant to go.
 */
export function staticCredentials(
  byRegistry: Readonly<Record<string, RegistryCredentials>>,
  next?: CredentialsProvider,
): CredentialsProvider {
  const provider = async (registry: string): Promise<RegistryCredentials | undefined> =>
    byRegistry[registry] ?? (next === undefined ? undefined : next(registry));
  return next?.source === undefined ? provider : Object.assign(provider, { source: next.source });
}
