import { LarderError } from '../core/index.js';
import type { OCIPlatform } from './types.js';

/**
 * apk architectures and their OCI platforms, as apko maps them (`types.Architecture`:
 * `ToOCIPlatform`, `ToAPK`). Like apko, arm64 carries no variant; only 32-bit arm has one.
 */
const TABLE: ReadonlyArray<readonly [apk: string, architecture: string, variant?: string]> = [
  ['x86_64', 'amd64'],
  ['aarch64', 'arm64'],
  ['armv7', 'arm', 'v7'],
  ['armhf', 'arm', 'v6'],
  ['x86', '386'],
  ['ppc64le', 'ppc64le'],
  ['s390x', 's390x'],
  ['riscv64', 'riscv64'],
  ['loongarch64', 'loong64'],
];

/** apk architecture names that can be image platforms (every apk arch but `noarch`). */
export const IMAGE_APK_ARCHES: readonly string[] = TABLE.map(([apk]) => apk);

/**
 * The linux platform for an apk arch (`x86_64`) or an OCI name (`amd64`, `arm/v7`,
 * `linux/arm/v7`). Throws USAGE naming the value otherwise.
 */
export function platformFor(arch: string): OCIPlatform {
  const row = findRow(arch);
  if (row === undefined) {
    throw new LarderError(
      'USAGE',
      `unknown architecture ${JSON.stringify(arch)}: expected one of ${IMAGE_APK_ARCHES.join(', ')} ` +
        `or an OCI platform such as amd64, arm64, arm/v7`,
    );
  }
  const [, architecture, variant] = row;
  return variant === undefined ? { architecture, os: 'linux' } : { architecture, os: 'linux', variant };
}

/** The apk arch of a platform; throws USAGE when no apk arch runs on it. */
export function apkArchFor(platform: OCIPlatform): string {
  const row = TABLE.find(
    ([, architecture, variant]) =>
      architecture === platform.architecture &&
      variant === normalVariant(platform.architecture, platform.variant),
  );
  if (platform.os !== 'linux' || row === undefined) {
    throw new LarderError('USAGE', `no apk architecture for platform ${formatPlatform(platform)}`);
  }
  return row[0];
}

/** `os/architecture[/variant]`, as docker and skopeo print platforms. */
export function formatPlatform(platform: OCIPlatform): string {
  const base = `${platform.os}/${platform.architecture}`;
  return platform.variant === undefined ? base : `${base}/${platform.variant}`;
}

/** True when two platforms name the same thing (arm64 with and without `v8` are the same). */
export function samePlatform(a: OCIPlatform, b: OCIPlatform): boolean {
  return (
    a.os === b.os &&
    a.architecture === b.architecture &&
    normalVariant(a.architecture, a.variant) === normalVariant(b.architecture, b.variant)
  );
}

function findRow(arch: string): (typeof TABLE)[number] | undefined {
  const byApk = TABLE.find(([apk]) => apk === arch);
  if (byApk !== undefined) return byApk;
  const parts = arch.split('/');
  if (parts[0] === 'linux') parts.shift();
  const [architecture, variant, extra] = parts;
  if (architecture === undefined || extra !== undefined) return undefined;
  return TABLE.find(([, a, v]) => a === architecture && v === normalVariant(architecture, variant));
}

// containerd's normalisation: arm64/v8 is plain arm64; bare arm means v7.
function normalVariant(architecture: string, variant: string | undefined): string | undefined {
  if (architecture === 'arm64' && variant === 'v8') return undefined;
  if (architecture === 'arm' && variant === undefined) return 'v7';
  return variant;
}
