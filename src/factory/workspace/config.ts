/**
 * `larder.yaml` → FactoryConfig: YAML with places, the zod shape, then the checks that need a
 * place (durations, archs, references, registries, feeds), every problem at `file:line:column`.
 * Relative paths are resolved against the workspace root.
 */
import { isAbsolute, resolve } from 'node:path';
import { type PathSegment, type PlacedIssue, sortPlacedIssues } from '../../core/index.js';
import {
  issueAt,
  keyNodeAt,
  parseYamlSource,
  placeOf,
  placeZodIssues,
  type YamlSource,
} from '../../image/index.js';
import { parseImageReference } from '../../oci/index.js';
import type { FactoryConfig } from '../model.js';
import { type FactoryConfigInput, factoryConfigSchema } from './config-schema.js';

/** What parsing `larder.yaml` gave: the config when valid, every problem, the positioned source. */
export interface ParsedFactoryConfig {
  readonly config?: FactoryConfig;
  readonly issues: readonly PlacedIssue[];
  readonly source: YamlSource;
}

const IMAGE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const URL = /^[a-z][a-z0-9+.-]*:\/\//i;

/** A URL stays as it is; a path is made absolute against the workspace root. */
export function workspaceLocation(root: string, location: string): string {
  return URL.test(location) || isAbsolute(location) ? location : resolve(root, location);
}

/**
 * Parses and validates `larder.yaml` text (`file` names it in issues; `root` resolves paths).
 * Never throws for bad input: every problem comes back placed. An empty file is all defaults.
 */
export function parseFactoryConfig(text: string, file: string, root: string): ParsedFactoryConfig {
  const { source, issues } = parseYamlSource(text, file);
  if (issues.length > 0) return { issues, source };
  let data: unknown;
  try {
    data = source.doc.contents === null ? {} : source.doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    // yaml refuses documents whose aliases expand too far (a resource exhaustion attempt).
    return { issues: [issueAt(source, undefined, [], (err as Error).message)], source };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return {
      issues: [issueAt(source, placeOf(source, []), [], 'expected a mapping of larder.yaml keys')],
      source,
    };
  }
  const parsed = factoryConfigSchema.safeParse(data);
  if (!parsed.success)
    return { issues: sortPlacedIssues(placeZodIssues(source, data, parsed.error)), source };
  const found: PlacedIssue[] = [];
  const at = (path: PathSegment[], message: string, where: 'key' | 'value' = 'value') => {
    const node =
      where === 'key'
        ? keyNodeAt(source, path.slice(0, -1), String(path[path.length - 1]))
        : placeOf(source, path);
    found.push(issueAt(source, node, path, message));
  };
  const config = toConfig(parsed.data, root, at);
  return found.length > 0 ? { issues: sortPlacedIssues(found), source } : { config, issues: [], source };
}

type At = (path: PathSegment[], message: string, where?: 'key' | 'value') => void;

function toConfig(input: FactoryConfigInput, root: string, at: At): FactoryConfig {
  const path = (p: string) => workspaceLocation(root, p);
  const repo = input.repository;
  const seen = new Set<string>();
  repo.archs.forEach((arch, i) => {
    if (seen.has(arch)) at(['repository', 'archs', i], `arch '${arch}' is listed twice`);
    seen.add(arch);
  });
  const img = input.images;
  if (img.attest === true && img['signing-key'] === undefined)
    at(['images', 'attest'], 'attestations are signed: set images.signing-key, or attest: false');
  const publish: Record<string, readonly string[]> = {};
  for (const [name, refs] of Object.entries(img.publish)) {
    if (!IMAGE_NAME.test(name))
      at(['images', 'publish', name], `'${name}' is not an image name (images/<name>.yaml)`, 'key');
    publish[name] = refs;
  }
  const registries: Record<string, FactoryConfig['registries'][string]> = {};
  for (const [host, r] of Object.entries(input.registries)) {
    if (!isRegistryHost(host))
      at(['registries', host], `'${host}' is not a registry host (host or host:port)`, 'key');
    if (r['password-env'] !== undefined && r.username === undefined)
      at(['registries', host, 'password-env'], 'a password needs a username too');
    registries[host] = {
      insecure: r.insecure,
      ...(r.username !== undefined && { username: r.username }),
      ...(r['password-env'] !== undefined && { passwordEnv: r['password-env'] }),
    };
  }
  const feeds: { kind: 'secdb' | 'osv'; location: string }[] = [];
  input.feeds.forEach((feed, i) => {
    const kinds = (['secdb', 'osv'] as const).filter((k) => feed[k] !== undefined);
    if (kinds.length !== 1) {
      at(['feeds', i], 'a feed is one of { secdb: URL-or-path } or { osv: URL-or-path }');
      return;
    }
    const kind = kinds[0] as 'secdb' | 'osv';
    feeds.push({ kind, location: path(feed[kind] as string) });
  });
  return {
    repository: {
      name: repo.name,
      dir: path(repo.dir),
      archs: repo.archs,
      signingKey: path(repo['signing-key']),
      extraRepositories: repo['extra-repositories'].map(path),
      extraKeyring: repo['extra-keyring'].map(path),
    },
    images: {
      ...(img['signing-key'] !== undefined && { signingKey: path(img['signing-key']) }),
      signFormat: img['sign-format'],
      attest: img.attest ?? img['signing-key'] !== undefined,
      publish,
    },
    registries,
    policy: { gate: input.policy.gate },
    feeds,
    schedules: { rescanMs: input.schedules.rescan, updateCheckMs: input.schedules['update-check'] },
    server: { publicReads: input.server['public-reads'] },
  };
}

function isRegistryHost(host: string): boolean {
  try {
    return (
      parseImageReference(`${host}/probe`).registry === host &&
      (host.includes('.') || host.includes(':') || host === 'localhost')
    );
  } catch {
    return false;
  }
}
