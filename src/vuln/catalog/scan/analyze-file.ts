// What one file holds, by its role: language packages for binaries, metadata files and Java
// archives; the raw text for the files whose meaning depends on the whole filesystem (installed
// databases, os-release), which are read once every layer is applied.

import { readGoBuildInfo } from '../go/buildinfo.js';
import { goPackages } from '../go/packages.js';
import { javaPackages } from '../java/archive.js';
import { npmPackage } from '../npm/package-json.js';
import type { PackageDraft } from '../package-draft.js';
import { pythonPackage } from '../python/metadata.js';
import { cargoPackages, readCargoAuditData } from '../rust/cargo-auditable.js';
import type { FileRole } from './file-role.js';

/** What a file gave: packages, or its content to be read later. */
export interface FileEvidence {
  readonly packages?: readonly PackageDraft[];
  readonly content?: Buffer;
}

/**
 * Reads one file's packages. A file that cannot be read adds a warning naming it and gives
 * nothing: one corrupt file never fails a whole image.
 */
export function analyzeFile(
  role: FileRole,
  path: string,
  bytes: Buffer,
  warn: (message: string) => void,
): FileEvidence | undefined {
  try {
    switch (role) {
      case 'installed-db':
      case 'os-release':
      case 'apk-repositories':
        return { content: bytes };
      case 'python-metadata': {
        const pkg = pythonPackage(bytes.toString('utf8'), path);
        return pkg === undefined ? undefined : { packages: [pkg] };
      }
      case 'npm-package': {
        const pkg = npmPackage(bytes.toString('utf8'), path);
        return pkg === undefined ? undefined : { packages: [pkg] };
      }
      case 'java-archive':
        return { packages: javaPackages(bytes, path, { warn }) };
      case 'executable':
        return binaryEvidence(path, bytes, warn);
    }
  } catch (err) {
    warn(skipped(path, err));
    return undefined;
  }
}

function binaryEvidence(
  path: string,
  bytes: Buffer,
  warn: (message: string) => void,
): FileEvidence | undefined {
  const found: PackageDraft[] = [];
  const info = readGoBuildInfo(bytes, path);
  if (info !== undefined) found.push(...goPackages(info, path));
  try {
    const crates = readCargoAuditData(bytes, path);
    if (crates !== undefined) found.push(...cargoPackages(crates, path));
  } catch (err) {
    if (found.length === 0) throw err;
    warn(skipped(path, err));
  }
  return found.length === 0 ? undefined : { packages: found };
}

/** A warning line for a file that was skipped: the error's message, which names the file. */
export function skipped(path: string, err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return `skipped ${message.startsWith(path) ? message : `${path}: ${message}`}`;
}
