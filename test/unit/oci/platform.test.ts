import { describe, expect, it } from 'vitest';
import {
  apkArchFor,
  formatPlatform,
  IMAGE_APK_ARCHES,
  platformFor,
  samePlatform,
} from '../../../src/oci/index.js';
import { rejectsWith } from './helpers.js';

// apko types.Architecture: ToOCIPlatform / ToAPK (formats.md §4.1).
const TABLE: Array<[apk: string, platform: string, aliases: string[]]> = [
  ['x86_64', 'linux/amd64', ['amd64', 'linux/amd64']],
  ['aarch64', 'linux/arm64', ['arm64', 'arm64/v8', 'linux/arm64']],
  ['armv7', 'linux/arm/v7', ['arm/v7', 'arm', 'linux/arm/v7']],
  ['armhf', 'linux/arm/v6', ['arm/v6']],
  ['x86', 'linux/386', ['386']],
  ['ppc64le', 'linux/ppc64le', ['ppc64le']],
  ['s390x', 'linux/s390x', ['s390x']],
  ['riscv64', 'linux/riscv64', ['riscv64']],
  ['loongarch64', 'linux/loong64', ['loong64']],
];

describe('platforms', () => {
  it.each(TABLE)('%s ↔ %s', (apk, platform, aliases) => {
    expect(formatPlatform(platformFor(apk))).toBe(platform);
    expect(apkArchFor(platformFor(apk))).toBe(apk);
    for (const alias of aliases) expect(formatPlatform(platformFor(alias))).toBe(platform);
  });

  it('writes no variant for arm64, as apko', () => {
    expect(platformFor('aarch64')).toEqual({ architecture: 'arm64', os: 'linux' });
    expect(platformFor('armv7')).toEqual({ architecture: 'arm', os: 'linux', variant: 'v7' });
    expect(samePlatform({ architecture: 'arm64', os: 'linux', variant: 'v8' }, platformFor('aarch64'))).toBe(
      true,
    );
    expect(IMAGE_APK_ARCHES).toHaveLength(9);
  });

  it.each(['noarch', 'mips', 'arm/v5', 'linux/amd64/v2/x', ''])('rejects %j naming it', async (name) => {
    const err = await rejectsWith(() => platformFor(name), 'USAGE');
    expect(err.message).toContain(JSON.stringify(name));
  });

  it('has no apk arch for other systems', async () => {
    await rejectsWith(() => apkArchFor({ architecture: 'amd64', os: 'windows' }), 'USAGE');
  });
});
