import { LarderError } from '../core/index.js';

/** apk architecture names (formats.md §1.5). */
export const APK_ARCHES = [
  'x86_64',
  'aarch64',
  'armv7',
  'armhf',
  'x86',
  'ppc64le',
  's390x',
  'riscv64',
  'loongarch64',
  'noarch',
] as const;
export type ApkArch = (typeof APK_ARCHES)[number];

/** OCI platform names accepted as aliases (fixtures README: apk ← OCI). */
const OCI_ALIASES: Readonly<Record<string, ApkArch>> = {
  amd64: 'x86_64',
  arm64: 'aarch64',
  '386': 'x86',
  'arm/v6': 'armhf',
  'arm/v7': 'armv7',
  loong64: 'loongarch64',
};

const NODE_ARCH: Readonly<Record<string, ApkArch>> = {
  x64: 'x86_64',
  arm64: 'aarch64',
  ia32: 'x86',
  arm: 'armv7',
  ppc64: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
  loong64: 'loongarch64',
};

/** Normalises an apk arch or OCI platform name; throws USAGE naming the value otherwise. */
export function toApkArch(name: string): ApkArch {
  if ((APK_ARCHES as readonly string[]).includes(name)) return name as ApkArch;
  const alias = OCI_ALIASES[name];
  if (alias) return alias;
  throw new LarderError(
    'USAGE',
    `unknown architecture '${name}' (apk: ${APK_ARCHES.join(', ')}; OCI aliases: ${Object.keys(OCI_ALIASES).join(', ')})`,
  );
}

/** The apk arch of the machine larder runs on. */
export function hostApkArch(): ApkArch {
  return NODE_ARCH[process.arch] ?? 'x86_64';
}
