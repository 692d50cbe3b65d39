// Which files of a filesystem cataloguing reads, decided from path and mode alone (content is
// only loaded for these), and the size beyond which a file is skipped with a warning.
import { JAVA_ARCHIVE } from '../java/archive.js';
import { isNodeModulesManifest } from '../npm/package-json.js';

/** What a file may hold. */
export type FileRole =
  | 'installed-db'
  | 'os-release'
  | 'apk-repositories'
  | 'python-metadata'
  | 'npm-package'
  | 'java-archive'
  | 'executable';

/** Installed databases: apk-tools v2's place and apk v3's / apko's. */
export const INSTALLED_DB_PATHS = ['lib/apk/db/installed', 'usr/lib/apk/db/installed'] as const;
/** os-release, first hit wins. */
export const OS_RELEASE_PATHS = ['etc/os-release', 'usr/lib/os-release'] as const;
export const APK_REPOSITORIES_PATH = 'etc/apk/repositories';

const MAX_BYTES: Readonly<Record<FileRole, number>> = {
  'installed-db': 256 * 1024 * 1024,
  'os-release': 64 * 1024,
  'apk-repositories': 64 * 1024,
  'python-metadata': 16 * 1024 * 1024,
  'npm-package': 16 * 1024 * 1024,
  'java-archive': 512 * 1024 * 1024,
  executable: 512 * 1024 * 1024,
};

/** The role of a regular file at `path` (no leading slash) with permission bits `mode`. */
export function fileRole(path: string, mode: number): FileRole | undefined {
  if ((INSTALLED_DB_PATHS as readonly string[]).includes(path)) return 'installed-db';
  if ((OS_RELEASE_PATHS as readonly string[]).includes(path)) return 'os-release';
  if (path === APK_REPOSITORIES_PATH) return 'apk-repositories';
  if (/\.dist-info\/METADATA$/.test(path) || /\.egg-info(\/PKG-INFO)?$/.test(path)) return 'python-metadata';
  if (path.endsWith('/package.json') && isNodeModulesManifest(path)) return 'npm-package';
  if (JAVA_ARCHIVE.test(path)) return 'java-archive';
  if ((mode & 0o111) !== 0) return 'executable';
  return undefined;
}

/** Largest file read for a role. */
export function maxBytes(role: FileRole): number {
  return MAX_BYTES[role];
}

/** True when the first bytes are those of an executable format cataloguing reads (ELF, Mach-O, PE). */
export function isExecutableMagic(head: Uint8Array): boolean {
  if (head.length < 4) return false;
  const be = ((head[0]! << 24) | (head[1]! << 16) | (head[2]! << 8) | head[3]!) >>> 0;
  if (be === 0x7f454c46) return true; // ELF
  if (be === 0xfeedface || be === 0xfeedfacf || be === 0xcefaedfe || be === 0xcffaedfe) return true; // Mach-O
  if (be === 0xcafebabe) return false; // fat Mach-O and Java class files share this magic
  return head[0] === 0x4d && head[1] === 0x5a; // PE ("MZ")
}
