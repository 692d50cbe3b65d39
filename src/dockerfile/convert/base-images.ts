/**
 * Which larder/Wolfi-style base replaces a `FROM` image. Distribution images (Debian, Ubuntu,
 * Alpine, Fedora, UBI, ...) become `ORG/wolfi-base:latest` (a shell and apk, runs as root);
 * language images keep their name and the numeric part of their tag (`python:3.12-slim` →
 * `ORG/python:3.12`), with `-dev` appended when the stage runs shell commands, since only the
 * `-dev` variants have a shell and apk. Anything else is not a known base and stays as written.
 */

/** A known base image: the larder image that replaces it and whether it is a whole distribution. */
interface BaseRule {
  readonly image: string;
  readonly distro: boolean;
}

const DISTRO: BaseRule = { image: 'wolfi-base', distro: true };
const lang = (image: string): BaseRule => ({ image, distro: false });

/** Repository paths (Docker Hub's `library/` and registry hosts removed) → rule. */
const BASES: Readonly<Record<string, BaseRule>> = {
  debian: DISTRO,
  ubuntu: DISTRO,
  alpine: DISTRO,
  fedora: DISTRO,
  centos: DISTRO,
  rockylinux: DISTRO,
  'rockylinux/rockylinux': DISTRO,
  almalinux: DISTRO,
  amazonlinux: DISTRO,
  oraclelinux: DISTRO,
  'redhat/ubi8': DISTRO,
  'redhat/ubi9': DISTRO,
  'redhat/ubi8-minimal': DISTRO,
  'redhat/ubi9-minimal': DISTRO,
  'registry.access.redhat.com/ubi8': DISTRO,
  'registry.access.redhat.com/ubi9': DISTRO,
  'registry.access.redhat.com/ubi8/ubi': DISTRO,
  'registry.access.redhat.com/ubi9/ubi': DISTRO,
  'registry.access.redhat.com/ubi8/ubi-minimal': DISTRO,
  'registry.access.redhat.com/ubi9/ubi-minimal': DISTRO,
  'registry.fedoraproject.org/fedora': DISTRO,
  'buildpack-deps': DISTRO,
  python: lang('python'),
  node: lang('node'),
  golang: lang('go'),
  ruby: lang('ruby'),
  php: lang('php'),
  rust: lang('rust'),
  openjdk: lang('jdk'),
  'eclipse-temurin': lang('jdk'),
  amazoncorretto: lang('jdk'),
  maven: lang('maven'),
  gradle: lang('gradle'),
  nginx: lang('nginx'),
  redis: lang('redis'),
  postgres: lang('postgres'),
  gcc: lang('gcc-glibc'),
};

/** Registry prefixes that name Docker Hub's official images. */
const HUB_PREFIXES = [
  'docker.io/library/',
  'index.docker.io/library/',
  'registry-1.docker.io/library/',
  'library/',
];
const HUB_HOSTS = [
  'docker.io/',
  'index.docker.io/',
  'registry-1.docker.io/',
  'public.ecr.aws/docker/library/',
  'mirror.gcr.io/library/',
];

/** An image reference split into repository path, tag and digest. */
export interface ImageNameParts {
  readonly repository: string;
  readonly tag: string | undefined;
  readonly digest: string | undefined;
}

export function splitImageReference(ref: string): ImageNameParts {
  const at = ref.indexOf('@');
  const digest = at >= 0 ? ref.slice(at + 1) : undefined;
  const named = at >= 0 ? ref.slice(0, at) : ref;
  const colon = named.lastIndexOf(':');
  const tagged = colon > named.lastIndexOf('/');
  return {
    repository: tagged ? named.slice(0, colon) : named,
    tag: tagged ? named.slice(colon + 1) : undefined,
    digest,
  };
}

/** The rule for a repository path, registry prefixes of Docker Hub removed. */
function ruleFor(repository: string): BaseRule | undefined {
  let path = repository.toLowerCase();
  for (const prefix of [...HUB_PREFIXES, ...HUB_HOSTS]) {
    if (path.startsWith(prefix)) {
      path = path.slice(prefix.length);
      break;
    }
  }
  if (path.startsWith('library/')) path = path.slice('library/'.length);
  return Object.hasOwn(BASES, path) ? BASES[path] : undefined;
}

/** What a FROM image becomes. */
export interface BaseMapping {
  readonly image: string;
  readonly distro: boolean;
  /** The source pinned a digest, which names an image of the old base and was dropped. */
  readonly droppedDigest: boolean;
}

/**
 * The replacement for `ref` (already free of variables), or undefined when it is not a known
 * base. `dev` asks for the variant with a shell and apk (language images only).
 */
export function mapBaseImage(ref: string, org: string, dev: boolean): BaseMapping | undefined {
  const { repository, tag, digest } = splitImageReference(ref);
  const rule = ruleFor(repository);
  if (rule === undefined) return undefined;
  if (rule.distro)
    return { image: `${org}/${rule.image}:latest`, distro: true, droppedDigest: digest !== undefined };
  const version = /^\d+(\.\d+)*/.exec(tag ?? '')?.[0];
  const flavour = rule.image === 'jdk' && /(^|-)jre($|-)/.test(tag ?? '') ? 'jre' : rule.image;
  const base = version ?? 'latest';
  return {
    image: `${org}/${flavour}:${dev ? `${base}-dev` : base}`,
    distro: false,
    droppedDigest: digest !== undefined,
  };
}
