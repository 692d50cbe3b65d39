/**
 * Converting Dockerfiles to larder/Wolfi-style bases (`larder docker convert`): FROM lines of
 * Debian/Ubuntu/Alpine/Fedora/UBI and language images become larder bases, package-manager
 * calls become `apk add --no-cache` with names mapped through the shipped package table,
 * `useradd`/`groupadd` become busybox's tools, and everything else is kept byte for byte.
 */

export { type BaseMapping, type ImageNameParts, mapBaseImage, splitImageReference } from './base-images.js';
export { convertDockerfile } from './convert.js';
export type { ConvertChange, ConvertFlag, ConvertOptions, ConvertResult } from './model.js';
export type { Flag, MappedPackage } from './package-managers.js';
export { COMMUNITY_PACKAGES, mapPackage, type PackageFamily, packageMapEntries } from './package-map.js';
export { rewriteShell, type ShellRewrite } from './rewrite-shell.js';
export { unifiedDiff } from './unified-diff.js';
