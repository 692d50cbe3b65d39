import type { ProgressListener } from '../../core/index.js';
import { repositoryScope } from './challenge.js';
import type { RegistryRequest, RegistryTransport } from './transport.js';

/** A repository in a registry; an `ImageReference` is one. */
export interface RepositoryName {
  /** `host[:port]`; `docker.io` for Docker Hub. */
  readonly registry: string;
  readonly repository: string;
}

/** What the client's operations share (internal to the registry folder). */
export interface ClientContext {
  readonly transport: RegistryTransport;
  readonly insecure: boolean;
  readonly chunkSize: number;
  readonly onProgress: ProgressListener;
}

const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\]|::1)$/i;

/** True for `localhost`, `127.x.x.x` and `[::1]`, with or without a port. */
export function isLoopbackRegistry(registry: string): boolean {
  const host = registry.startsWith('[')
    ? registry.slice(0, registry.indexOf(']') + 1)
    : registry.replace(/:\d+$/, '');
  return LOOPBACK.test(host);
}

/**
 * `http(s)://host/v2/<path>`: plain http for loopback registries (as docker does) or when
 * `insecure`; Docker Hub's API host is `registry-1.docker.io`.
 */
export function registryUrl(ctx: ClientContext, registry: string, path: string): string {
  const host = registry === 'docker.io' ? 'registry-1.docker.io' : registry;
  const scheme = ctx.insecure || isLoopbackRegistry(registry) ? 'http' : 'https';
  return `${scheme}://${host}/v2/${path}`;
}

/** `127.0.0.1:5000/team/app`, and with a reference `…:tag` or `…@sha256:…`. */
export function describe(repo: RepositoryName, reference?: string): string {
  const name = `${repo.registry}/${repo.repository}`;
  if (reference === undefined) return name;
  return reference.includes(':') ? `${name}@${reference}` : `${name}:${reference}`;
}

/** A request against one repository, with the scopes for reading or writing it. */
export function repoRequest(
  ctx: ClientContext,
  repo: RepositoryName,
  init: Omit<RegistryRequest, 'registry' | 'scopes' | 'url'> & {
    readonly path: string;
    readonly push?: boolean;
    readonly extraScopes?: readonly string[];
  },
): RegistryRequest {
  const { path, push, extraScopes, ...rest } = init;
  return {
    ...rest,
    registry: repo.registry,
    url: registryUrl(ctx, repo.registry, `${repo.repository}/${path}`),
    scopes: [repositoryScope(repo.repository, push === true ? 'pull,push' : 'pull'), ...(extraScopes ?? [])],
  };
}
