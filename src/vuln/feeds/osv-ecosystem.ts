import type { Ecosystem } from '../model.js';

/** Where the records of an OSV ecosystem go: distro records, range records, or nowhere. */
export type OsvEcosystemTarget =
  | { readonly kind: 'distro'; readonly distro: string }
  | { readonly kind: 'range'; readonly ecosystem: Ecosystem }
  | { readonly kind: 'unsupported' };

const LANGUAGES: Readonly<Record<string, Ecosystem>> = {
  go: 'go',
  pypi: 'pypi',
  npm: 'npm',
  maven: 'maven',
  'crates.io': 'cargo',
};

/**
 * Maps an OSV `package.ecosystem` (case-insensitively: wolfictl writes `wolfi`, osv.dev `Wolfi`):
 * `Wolfi` → distro `wolfi`, `Chainguard` → `chainguard`, `Alpine:v3.18` → `alpine:3.18`; `Go`,
 * `PyPI`, `npm`, `Maven`, `crates.io` → range records of go, pypi, npm, maven, cargo.
 */
export function osvEcosystemTarget(ecosystem: string): OsvEcosystemTarget {
  const lower = ecosystem.trim().toLowerCase();
  if (lower === 'wolfi' || lower === 'chainguard') return { kind: 'distro', distro: lower };
  const alpine = /^alpine(?::v?(\d+\.\d+|edge))?$/.exec(lower);
  if (alpine) return { kind: 'distro', distro: alpine[1] === undefined ? 'alpine' : `alpine:${alpine[1]}` };
  const language = LANGUAGES[lower];
  return language === undefined ? { kind: 'unsupported' } : { kind: 'range', ecosystem: language };
}

/**
 * A package name as catalogued for its ecosystem: PyPI names per PEP 503 (lower case, runs of
 * `-`, `_`, `.` become one `-`); Go module paths, npm names (with scope), Maven
 * `groupId:artifactId` and crate names as they are.
 */
export function normalizePackageName(ecosystem: Ecosystem, name: string): string {
  return ecosystem === 'pypi' ? name.toLowerCase().replace(/[-_.]+/g, '-') : name;
}
