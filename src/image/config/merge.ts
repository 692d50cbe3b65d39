/**
 * apko's `MergeInto` (image_configuration.go): an included config is merged underneath the
 * including one (the target), which wins. Scalars: the target's when set; maps: union with the
 * target's keys winning; lists: concatenated, included entries first.
 */

import { opt } from '../optional.js';
import type { ImageConfig, ImageContents, ImageEntrypoint } from './model.js';

function scalar<T>(target: T | undefined, included: T | undefined): T | undefined {
  return target === undefined || target === '' ? included : target;
}

function union(
  included: Readonly<Record<string, string>> | undefined,
  target: Readonly<Record<string, string>> | undefined,
): Readonly<Record<string, string>> | undefined {
  if (included === undefined) return target;
  return { ...included, ...target };
}

function isZeroEntrypoint(e: ImageEntrypoint | undefined): boolean {
  if (e === undefined) return true;
  return (e.type ?? '') === '' && (e.command ?? '') === '' && (e.shellFragment ?? '') === '' && !e.services;
}

function mergeContents(included: ImageContents, target: ImageContents): ImageContents {
  return {
    repositories: [...included.repositories, ...target.repositories],
    buildRepositories: [...included.buildRepositories, ...target.buildRepositories],
    runtimeRepositories: [...included.runtimeRepositories, ...target.runtimeRepositories],
    keyring: [...included.keyring, ...target.keyring],
    runtimeKeyring: [...included.runtimeKeyring, ...target.runtimeKeyring],
    packages: [...included.packages, ...target.packages],
    ...opt('baseimage', target.baseimage ?? included.baseimage),
  };
}

/**
 * Merges `included` underneath `target`. Like apko, `vcs-url` is not merged (the included
 * file's is dropped) and `include` stays the target's.
 */
export function mergeImageConfig(included: ImageConfig, target: ImageConfig): ImageConfig {
  return {
    contents: mergeContents(included.contents, target.contents),
    ...opt('entrypoint', isZeroEntrypoint(target.entrypoint) ? included.entrypoint : target.entrypoint),
    ...opt('cmd', scalar(target.cmd, included.cmd)),
    ...opt('stopSignal', scalar(target.stopSignal, included.stopSignal)),
    ...opt('workDir', scalar(target.workDir, included.workDir)),
    accounts: {
      ...opt('runAs', scalar(target.accounts.runAs, included.accounts.runAs)),
      users: [...included.accounts.users, ...target.accounts.users],
      groups: [...included.accounts.groups, ...target.accounts.groups],
    },
    archs: target.archs.length === 0 ? included.archs : target.archs,
    ...opt('environment', union(included.environment, target.environment)),
    paths: [...included.paths, ...target.paths],
    ...opt('vcsUrl', target.vcsUrl),
    ...opt('annotations', union(included.annotations, target.annotations)),
    ...opt('include', target.include),
    volumes: [...included.volumes, ...target.volumes],
    ...opt('layering', target.layering ?? included.layering),
    ...opt('format', scalar(target.format, included.format)),
    ...opt('certificates', target.certificates ?? included.certificates),
    ...opt('osRelease', target.osRelease ?? included.osRelease),
  };
}
