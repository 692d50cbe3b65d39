// An `.apk` file: the package itself (from .PKGINFO) and the language packages inside its data,
// each owned by it.
import { basename } from 'node:path';
import { readApkPackage } from '../../../apk/index.js';
import { LarderError } from '../../../core/index.js';
import type { Catalog, Distro } from '../../model.js';
import { apkPackagePurl } from '../apk/installed.js';
import { assembleCatalog, type OwnedDraft } from '../assemble.js';
import type { PackageDraft } from '../package-draft.js';
import { LayerCollector } from '../scan/layer-collector.js';
import { mergeLayers } from '../scan/rootfs.js';

/**
 * Catalogues an .apk (its signature is not checked: cataloguing says what is there).
 * @throws LarderError TARGET_INVALID naming the file when it is not a readable package.
 */
export async function catalogApkFile(file: string, options: { readonly distro?: Distro }): Promise<Catalog> {
  const warnings: string[] = [];
  const collector = new LayerCollector((m) => warnings.push(m));
  let pkg: Awaited<ReturnType<typeof readApkPackage>>;
  try {
    pkg = await readApkPackage(file, { onDataEvent: (ev) => collector.event(ev) });
  } catch (err) {
    throw new LarderError('TARGET_INVALID', `${file}: not a readable .apk: ${(err as Error).message}`, {
      cause: err,
      subject: file,
    });
  }
  const info = pkg.pkginfo;
  const origin = info.origin === undefined || info.origin === '' ? info.pkgname : info.origin;
  const release = options.distro;
  const license = info.license?.trim();
  const self: PackageDraft = {
    ecosystem: 'apk',
    name: info.pkgname,
    version: info.pkgver,
    purl: apkPackagePurl({ name: info.pkgname, version: info.pkgver, arch: info.arch, origin }, release),
    origin,
    ...(info.arch === '' ? {} : { arch: info.arch }),
    locations: [basename(file)],
    evidence: 'apk-file',
    ...(license === undefined || license === '' ? {} : { licenses: [license] }),
  };
  const { files } = mergeLayers([collector.result()]);
  const language: OwnedDraft[] = [];
  for (const evidence of files.values()) {
    for (const draft of evidence.packages ?? []) language.push({ draft, owner: 0 });
  }
  return assembleCatalog({
    source: { kind: 'apk', target: file },
    ...(release === undefined ? {} : { distro: release }),
    apks: [self],
    language,
    warnings,
  });
}
