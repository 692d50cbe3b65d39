import {
  type ApkPackageMeta,
  checkApkMeta,
  collectTree,
  hostApkArch,
  loadApkSigningKey,
  type OwnerPolicy,
  toApkArch,
  writeApkPackage,
} from '../../apk/index.js';
import { LarderError } from '../../core/index.js';
import { sourceDateEpoch } from '../environment.js';

interface CreateOptions {
  name: string;
  version: string;
  arch?: string;
  origin?: string;
  description: string;
  license?: string;
  url: string;
  maintainer?: string;
  commit?: string;
  depends?: string[];
  provides?: string[];
  replaces?: string[];
  installIf?: string[];
  providerPriority?: string;
  owner?: string | boolean;
  from: string;
  signKey: string;
  output: string;
}

/** `larder apk create`: packages a directory tree; prints the path written. */
export async function apkCreate(raw: Record<string, unknown>): Promise<void> {
  const o = raw as unknown as CreateOptions;
  const mtime = sourceDateEpoch();
  const meta: ApkPackageMeta = {
    pkgname: o.name,
    pkgver: o.version,
    arch: o.arch ? toApkArch(o.arch) : hostApkArch(),
    pkgdesc: o.description,
    url: o.url,
    origin: o.origin ?? o.name,
    ...(o.license !== undefined ? { license: o.license } : {}),
    ...(o.maintainer !== undefined ? { maintainer: o.maintainer } : {}),
    ...(o.commit !== undefined ? { commit: o.commit } : {}),
    ...(mtime > 0 ? { builddate: mtime } : {}),
    depend: o.depends ?? [],
    provides: o.provides ?? [],
    replaces: o.replaces ?? [],
    install_if: o.installIf ?? [],
    triggers: [],
    extra: [],
    ...(o.providerPriority !== undefined ? { provider_priority: providerPriority(o.providerPriority) } : {}),
  };
  checkApkMeta(meta);
  const signKey = await loadApkSigningKey(o.signKey);
  const entries = await collectTree(o.from, ownerPolicy(o.owner));
  const written = await writeApkPackage(o.output, { meta, entries, signKey, mtime });
  process.stdout.write(`${written.path}\n`);
}

function ownerPolicy(owner: string | boolean | undefined): OwnerPolicy {
  if (owner === undefined || owner === false) return { kind: 'root' };
  if (owner === true) return { kind: 'keep' };
  const m = /^(\d+):(\d+)$/.exec(owner);
  if (!m) throw new LarderError('USAGE', `--owner '${owner}': expected UID:GID, e.g. 1000:1000`);
  return { kind: 'fixed', uid: Number(m[1]), gid: Number(m[2]) };
}

function providerPriority(value: string): number {
  if (!/^\d+$/.test(value))
    throw new LarderError('USAGE', `--provider-priority '${value}': expected an unsigned integer`);
  return Number(value);
}
