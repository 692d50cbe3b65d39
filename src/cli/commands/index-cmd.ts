import { basename, dirname } from 'node:path';
import {
  APK_ARCHES,
  type ApkKeyring,
  assertApkVerified,
  keyringFromPems,
  loadApkSigningKey,
  loadKeyring,
  mergeIndexRecords,
  type PackageRecord,
  publicKeyPem,
  readApkPackage,
  recordFromPackage,
  writeApkIndex,
} from '../../apk/index.js';
import { LarderError, writeFileAtomic } from '../../core/index.js';
import { readExistingIndex } from '../../repo/index.js';
import { sourceDateEpoch } from '../environment.js';

interface IndexOptions {
  output: string;
  signKey?: string;
  rebuild?: boolean;
  description?: string;
  keyring?: string[];
}

/**
 * `larder index -o REPO/ARCH/APKINDEX.tar.gz FILE.apk...`: reads and checks each package
 * (datahash and per-file checksums always; signatures too with --keyring), merges the records
 * into the existing index unless --rebuild (an existing index must verify with the signing
 * key), then writes the sorted, signed index atomically.
 */
export async function indexCommand(files: readonly string[], raw: Record<string, unknown>): Promise<void> {
  const o = raw as unknown as IndexOptions;
  const signKey = o.signKey ? await loadApkSigningKey(o.signKey) : undefined;
  const keyring: ApkKeyring | undefined = o.keyring?.length ? await loadKeyring(o.keyring) : undefined;
  const dirArch = basename(dirname(o.output));
  const records: PackageRecord[] = [];
  for (const file of files) {
    const pkg = await readApkPackage(file, keyring ? { keyring } : {});
    assertApkVerified(pkg, { signature: keyring !== undefined });
    const arch = pkg.pkginfo.arch;
    if ((APK_ARCHES as readonly string[]).includes(dirArch) && arch !== dirArch && arch !== 'noarch') {
      throw new LarderError(
        'USAGE',
        `${file}: package arch is ${arch} but the index is in ${dirname(o.output)} (${dirArch})`,
      );
    }
    records.push(recordFromPackage(pkg));
  }
  let existing: PackageRecord[] = [];
  let description = o.description;
  if (!o.rebuild) {
    const old = await readExistingIndex(
      o.output,
      signKey ? keyringFromPems([[`${signKey.keyName}.pub`, publicKeyPem(signKey)]]) : undefined,
    );
    if (old) {
      existing = old.records;
      description ??= old.description;
    }
  }
  const merged = mergeIndexRecords(existing, records);
  const bytes = writeApkIndex(merged, {
    ...(signKey ? { signKey } : {}),
    ...(description !== undefined ? { description } : {}),
    mtime: sourceDateEpoch(),
  });
  await writeFileAtomic(o.output, bytes);
  process.stdout.write(`${o.output}\n`);
}
