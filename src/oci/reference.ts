import { LarderError } from '../core/index.js';

/** A parsed image reference, normalised as docker does (`alpine` → `docker.io/library/alpine`). */
export interface ImageReference {
  /** Host and optional port: `docker.io`, `localhost:5000`, `127.0.0.1:5000`, `[::1]:5000`. */
  readonly registry: string;
  /** The repository path: `library/alpine`, `team/app`. */
  readonly repository: string;
  readonly tag?: string;
  /** `algorithm:encoded`, e.g. `sha256:<64 hex>`. */
  readonly digest?: string;
}

export const DOCKER_HUB = 'docker.io';
export const DEFAULT_TAG = 'latest';

// distribution/reference's grammar (reference/regexp.go).
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const HOST_LABEL = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = new RegExp(`^(?:${HOST_LABEL}(?:\\.${HOST_LABEL})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?$`);
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
const MAX_NAME = 255;

/**
 * Parses `[registry/]repository[:tag][@digest]` with docker's normalisation: the first
 * component is a registry only when it has a `.` or `:`, is `localhost`, or has capitals;
 * otherwise the registry is docker.io, where single-component names get `library/`, and
 * `index.docker.io` means docker.io. No tag is added: see {@link withDefaultTag}.
 * Throws USAGE naming the value and what is wrong.
 */
export function parseImageReference(text: string): ImageReference {
  const fail = (why: string): never => {
    throw new LarderError('USAGE', `invalid image reference ${JSON.stringify(text)}: ${why}`);
  };
  if (text === '') fail('it is empty');
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) fail(`digest ${JSON.stringify(digest)} is not algorithm:hex`);
    if (digest.startsWith('sha256:') && !/^sha256:[0-9a-f]{64}$/.test(digest)) {
      fail('a sha256 digest needs 64 lowercase hex digits');
    }
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) fail(`tag ${JSON.stringify(tag)} must match [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`);
  }
  if (rest.length > MAX_NAME) fail(`the name is longer than ${MAX_NAME} characters`);
  let registry = DOCKER_HUB;
  let repository = rest;
  const slash = rest.indexOf('/');
  if (slash >= 0) {
    const first = rest.slice(0, slash);
    if (/[.:]/.test(first) || first === 'localhost' || first !== first.toLowerCase()) {
      registry = first;
      repository = rest.slice(slash + 1);
      if (!DOMAIN.test(registry)) fail(`registry ${JSON.stringify(registry)} is not a host[:port]`);
    }
  }
  if (registry === 'index.docker.io') registry = DOCKER_HUB;
  if (repository === '') fail('the repository name is empty');
  if (repository !== repository.toLowerCase()) fail('the repository name must be lowercase');
  for (const component of repository.split('/')) {
    if (!COMPONENT.test(component)) {
      fail(
        `path component ${JSON.stringify(component)} must be lowercase letters and digits joined by . _ __ or -`,
      );
    }
  }
  if (registry === DOCKER_HUB && !repository.includes('/')) repository = `library/${repository}`;
  return {
    registry,
    repository,
    ...(tag === undefined ? {} : { tag }),
    ...(digest === undefined ? {} : { digest }),
  };
}

/** The reference with tag `latest` when it has neither tag nor digest (docker's TagNameOnly). */
export function withDefaultTag(ref: ImageReference): ImageReference {
  return ref.tag === undefined && ref.digest === undefined ? { ...ref, tag: DEFAULT_TAG } : ref;
}

/** The full form: `docker.io/library/alpine:3.20@sha256:…`. */
export function formatImageReference(ref: ImageReference): string {
  return `${ref.registry}/${ref.repository}${suffix(ref)}`;
}

/** The short form docker prints and writes in RepoTags: `alpine:3.20`, `team/app:1`. */
export function familiarImageReference(ref: ImageReference): string {
  if (ref.registry !== DOCKER_HUB) return formatImageReference(ref);
  // Only `library/<one component>` loses its prefix: `library/a/b` stays as it is.
  const short = /^library\/[^/]+$/.test(ref.repository) ? ref.repository.slice(8) : ref.repository;
  return `${short}${suffix(ref)}`;
}

function suffix(ref: ImageReference): string {
  return `${ref.tag === undefined ? '' : `:${ref.tag}`}${ref.digest === undefined ? '' : `@${ref.digest}`}`;
}
