/**
 * The package managers the converter reads, as data: which options take a value, which
 * subcommands install, remove, or only refresh and clean; and how each family writes a package
 * argument (`curl=7.88.1-10`, `jq-1.6.x86_64`, `curl~8`).
 */
import type { PackageFamily } from './package-map.js';

/** One package manager's command-line grammar, as far as the converter needs it. */
export interface Manager {
  readonly family: PackageFamily;
  /** Options that take the next word as their value (when not written `--opt=value`). */
  readonly optionsWithValue: ReadonlySet<string>;
  readonly install: ReadonlySet<string>;
  readonly remove: ReadonlySet<string>;
  /** Subcommands that only refresh, upgrade or clean: nothing to do on an APK image. */
  readonly drop: ReadonlySet<string>;
}

const APT: Manager = {
  family: 'debian',
  optionsWithValue: new Set([
    '-o',
    '--option',
    '-t',
    '--target-release',
    '--default-release',
    '-c',
    '--config-file',
  ]),
  install: new Set(['install', 'reinstall']),
  remove: new Set(['remove', 'purge']),
  drop: new Set([
    'update',
    'upgrade',
    'dist-upgrade',
    'full-upgrade',
    'clean',
    'autoclean',
    'autoremove',
    'check',
  ]),
};

const DNF: Manager = {
  family: 'fedora',
  optionsWithValue: new Set([
    '--setopt',
    '--enablerepo',
    '--disablerepo',
    '--releasever',
    '--installroot',
    '--repo',
    '--repoid',
    '--exclude',
    '--config',
    '-c',
    '-x',
    '-e',
    '-d',
  ]),
  install: new Set(['install', 'reinstall']),
  remove: new Set(['remove', 'erase', 'autoremove']),
  drop: new Set([
    'update',
    'upgrade',
    'upgrade-minimal',
    'makecache',
    'clean',
    'check-update',
    'distro-sync',
  ]),
};

/** apk itself: Alpine names, `--virtual NAME` kept. */
export const APK: Manager = {
  family: 'alpine',
  optionsWithValue: new Set([
    '-X',
    '--repository',
    '-t',
    '--virtual',
    '-p',
    '--root',
    '--keys-dir',
    '--arch',
    '--cache-dir',
    '--repositories-file',
  ]),
  install: new Set(['add']),
  remove: new Set(['del']),
  drop: new Set(['update', 'upgrade', 'cache']),
};

/** Command names → their grammar. */
export const MANAGERS: Readonly<Record<string, Manager>> = {
  'apt-get': APT,
  apt: APT,
  aptitude: APT,
  yum: DNF,
  dnf: DNF,
  microdnf: DNF,
  apk: APK,
};

/** The part of a package argument that is its name; the rest is a version pin or a qualifier. */
export function packageName(family: PackageFamily, word: string): string {
  switch (family) {
    case 'debian':
      return word.replace(/[=/].*$/, '').replace(/:[a-z0-9]+$/, '');
    case 'fedora':
      return word
        .replace(/\.(x86_64|aarch64|noarch|i686|ppc64le|s390x)$/, '')
        .replace(/-\d+(\.\d+)+(-[\w.]+)?$/, '');
    case 'alpine':
      return word.replace(/[=<>~@].*$/, '');
  }
}

/** True for a word that names a package rather than a file, URL or group. */
export function plainPackage(name: string): boolean {
  if (name.includes('/') || name.startsWith('@') || name.endsWith('.deb') || name.endsWith('.rpm'))
    return false;
  return /^[A-Za-z0-9][A-Za-z0-9+._-]*$/.test(name);
}
