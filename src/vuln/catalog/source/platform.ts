// Which image of a multi-platform target to catalogue: the one asked for, else the host's, else
// the only one; several and no choice is an error that lists them.
import { LarderError } from '../../../core/index.js';
import { formatPlatform, type OCIPlatform, platformFor, samePlatform } from '../../../oci/index.js';

const HOST_ARCH: Readonly<Record<string, string>> = {
  x64: 'amd64',
  arm64: 'arm64',
  arm: 'arm/v7',
  ia32: '386',
  ppc64: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
  loong64: 'loong64',
};

/** The host's linux platform, when larder knows one for it. */
export function hostPlatform(): OCIPlatform | undefined {
  const arch = HOST_ARCH[process.arch];
  return arch === undefined ? undefined : platformFor(arch);
}

/**
 * Picks one of `candidates` (each with its platform). `wanted` is an OCI platform
 * (`linux/arm64`, `arm/v7`) or an apk arch (`aarch64`).
 * @throws LarderError USAGE for an unknown platform name; TARGET_INVALID naming `target` and
 *   listing the platforms when none fits or several do and none was asked for.
 */
export function pickPlatform<T extends { readonly platform: OCIPlatform }>(
  candidates: readonly T[],
  wanted: string | undefined,
  target: string,
): T {
  const list = (): string => candidates.map((c) => formatPlatform(c.platform)).join(', ');
  if (candidates.length === 0)
    throw new LarderError('TARGET_INVALID', `${target}: holds no image`, { subject: target });
  if (wanted !== undefined) {
    const want = platformFor(wanted);
    const found = candidates.find((c) => samePlatform(c.platform, want));
    if (found === undefined) {
      throw new LarderError(
        'TARGET_INVALID',
        `${target}: no image for ${formatPlatform(want)}; it has ${list()}`,
        {
          subject: target,
        },
      );
    }
    return found;
  }
  const host = hostPlatform();
  const forHost = host === undefined ? undefined : candidates.find((c) => samePlatform(c.platform, host));
  if (forHost !== undefined) return forHost;
  if (candidates.length === 1) return candidates[0]!;
  throw new LarderError(
    'TARGET_INVALID',
    `${target}: holds images for ${list()}; pick one with the platform option (e.g. ${formatPlatform(candidates[0]!.platform)})`,
    { subject: target },
  );
}
