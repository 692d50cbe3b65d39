/**
 * Image architectures (formats.md §4.1). apko keeps them as OCI names (`amd64`) and maps them to
 * apk names (`x86_64`) where packages are concerned; larder's model holds apk names, and sorts
 * like apko does, by the OCI name.
 */
import { type ApkArch, hostApkArch, toApkArch } from '../../apk/index.js';

/** An architecture an image can be built for: any apk arch but `noarch`. */
export type ImageArch = Exclude<ApkArch, 'noarch'>;

/** apko's `types.AllArchs` (`all`), in apko's order, as apk names. */
export const ALL_IMAGE_ARCHS: readonly ImageArch[] = [
  'x86',
  'x86_64',
  'aarch64',
  'armhf',
  'armv7',
  'loongarch64',
  'ppc64le',
  'riscv64',
  's390x',
];

const OCI_NAME: Readonly<Record<ImageArch, string>> = {
  x86: '386',
  x86_64: 'amd64',
  aarch64: 'arm64',
  armhf: 'arm/v6',
  armv7: 'arm/v7',
  loongarch64: 'loong64',
  ppc64le: 'ppc64le',
  riscv64: 'riscv64',
  s390x: 's390x',
};

/** The OCI platform name apko uses for an arch (`x86_64` → `amd64`, `armv7` → `arm/v7`). */
export function ociArchName(arch: ImageArch): string {
  return OCI_NAME[arch];
}

/** Parses one apk name or OCI alias; undefined (never a throw) for anything else. */
export function parseImageArch(name: string): ImageArch | undefined {
  try {
    const arch = toApkArch(name);
    return arch === 'noarch' ? undefined : arch;
  } catch {
    return undefined;
  }
}

/** Why an `archs` list cannot be used, or undefined when it can. */
export function archsProblem(names: readonly string[]): string | undefined {
  if (names.includes('all') && names.length > 1) return "'all' must be the only entry";
  return undefined;
}

/**
 * The `archs:` of a config file: `all` alone means every arch; otherwise each entry is mapped
 * and duplicates dropped, keeping the written order. apko's YAML decoder keeps that order (it
 * decides the order of packages in the lock); only the `--arch` flag is sorted (see
 * {@link parseArchFlag}). Unknown names must have been rejected by the schema.
 */
export function configArchs(names: readonly string[]): ImageArch[] {
  if (names.length === 1 && names[0] === 'all') return [...ALL_IMAGE_ARCHS];
  const out: ImageArch[] = [];
  for (const name of names) {
    const arch = parseImageArch(name);
    if (arch !== undefined && !out.includes(arch)) out.push(arch);
  }
  return out;
}

/**
 * The `--arch` flag, as apko's `ParseArchitectures`: `all` alone → every arch in apko's order,
 * `host` alone → the machine's arch, otherwise deduplicated and sorted by OCI name (so
 * `x86_64` comes before `aarch64`: `amd64` < `arm64`). Returns the names it could not parse.
 */
export function parseArchFlag(names: readonly string[]): { archs: ImageArch[]; unknown: string[] } {
  if (names.length === 1 && names[0] === 'all') return { archs: [...ALL_IMAGE_ARCHS], unknown: [] };
  const wanted = names.length === 1 && names[0] === 'host' ? [hostApkArch()] : names;
  const unknown: string[] = [];
  const archs: ImageArch[] = [];
  for (const name of wanted) {
    const arch = parseImageArch(name);
    if (arch === undefined) unknown.push(name);
    else if (!archs.includes(arch)) archs.push(arch);
  }
  archs.sort((a, b) => (OCI_NAME[a] < OCI_NAME[b] ? -1 : OCI_NAME[a] > OCI_NAME[b] ? 1 : 0));
  return { archs, unknown };
}
