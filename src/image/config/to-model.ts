/** One validated YAML file (apko key names) → the ImageConfig model (camelCase, defaults filled). */
import { opt } from '../optional.js';
import { configArchs } from './archs.js';
import type { ImageConfig, ImageContents, ImageOsRelease, PathMutation } from './model.js';
import type { ImageConfigFile } from './schema.js';

type FileContents = NonNullable<ImageConfigFile['contents']>;
type FilePath = NonNullable<ImageConfigFile['paths']>[number];

function toContents(c: FileContents | undefined): ImageContents {
  return {
    repositories: c?.repositories ?? [],
    buildRepositories: c?.build_repositories ?? [],
    runtimeRepositories: c?.runtime_repositories ?? [],
    keyring: c?.keyring ?? [],
    runtimeKeyring: c?.runtime_keyring ?? [],
    packages: c?.packages ?? [],
    ...opt('baseimage', c?.baseimage),
  };
}

function toPath(p: FilePath): PathMutation {
  return {
    ...opt('path', p.path),
    ...opt('type', p.type),
    ...opt('uid', p.uid),
    ...opt('gid', p.gid),
    ...opt('permissions', p.permissions),
    ...opt('source', p.source),
    ...opt('recursive', p.recursive),
  };
}

function toOsRelease(r: NonNullable<ImageConfigFile['os-release']>): ImageOsRelease {
  return {
    ...opt('id', r.id),
    ...opt('name', r.name),
    ...opt('versionId', r['version-id']),
    ...opt('prettyName', r['pretty-name']),
    ...opt('homeUrl', r['home-url']),
    ...opt('bugReportUrl', r['bug-report-url']),
  };
}

/** Converts one file; `include` is kept as written (the loader resolves it). */
export function toImageConfig(file: ImageConfigFile): ImageConfig {
  const e = file.entrypoint;
  const accounts = file.accounts;
  const certs = file.certificates;
  const osRelease = file['os-release'];
  return {
    contents: toContents(file.contents),
    ...opt(
      'entrypoint',
      e && {
        ...opt('type', e.type),
        ...opt('command', e.command),
        ...opt('shellFragment', e['shell-fragment']),
        ...opt('services', e.services),
      },
    ),
    ...opt('cmd', file.cmd),
    ...opt('stopSignal', file['stop-signal']),
    ...opt('workDir', file['work-dir']),
    accounts: {
      ...opt('runAs', accounts?.['run-as']),
      users: accounts?.users ?? [],
      groups: (accounts?.groups ?? []).map((g) => ({
        ...opt('groupname', g.groupname),
        ...opt('gid', g.gid),
        members: g.members ?? [],
      })),
    },
    archs: configArchs(file.archs ?? []),
    ...opt('environment', file.environment),
    paths: (file.paths ?? []).map(toPath),
    ...opt('vcsUrl', file['vcs-url']),
    ...opt('annotations', file.annotations),
    ...opt('include', file.include),
    volumes: file.volumes ?? [],
    ...opt('layering', file.layering),
    ...opt('format', file.format),
    ...opt('certificates', certs && { additional: certs.additional ?? [], providers: certs.providers ?? [] }),
    ...opt('osRelease', osRelease && toOsRelease(osRelease)),
  };
}
