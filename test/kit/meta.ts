import type { ApkPackageMeta } from '../../src/apk/index.js';

/** Minimal valid package metadata for tests; override what a test is about. */
export function pkgMeta(
  overrides: Partial<ApkPackageMeta> & Pick<ApkPackageMeta, 'pkgname' | 'pkgver'>,
): ApkPackageMeta {
  return {
    pkgdesc: '',
    url: '',
    arch: 'x86_64',
    depend: [],
    provides: [],
    replaces: [],
    install_if: [],
    triggers: [],
    extra: [],
    ...overrides,
  };
}
