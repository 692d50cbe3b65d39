// The package list in document order, shared by both formats.
import { compareText } from './common.js';
import type { SbomPackage } from './model.js';

/** Packages sorted by name, version and arch (code-unit order), exact repeats dropped. */
export function sortPackages(packages: readonly SbomPackage[]): SbomPackage[] {
  const sorted = [...packages].sort(
    (a, b) => compareText(a.name, b.name) || compareText(a.version, b.version) || compareText(a.arch, b.arch),
  );
  return sorted.filter((pkg, i) => {
    const prev = sorted[i - 1];
    return (
      prev === undefined || prev.name !== pkg.name || prev.version !== pkg.version || prev.arch !== pkg.arch
    );
  });
}
