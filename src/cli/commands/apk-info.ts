import { type ApkPackage, readApkPackage } from '../../apk/index.js';

/** `larder apk info FILE [--json]`. */
export async function apkInfo(file: string, opts: { json?: boolean }): Promise<void> {
  const pkg = await readApkPackage(file);
  const info = describe(pkg);
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(info)}\n`);
    return;
  }
  const lines: string[] = [];
  for (const [key, value] of Object.entries(info)) {
    if (Array.isArray(value)) for (const v of value) lines.push(`${key}: ${v}`);
    else if (value !== undefined && value !== '') lines.push(`${key}: ${String(value)}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

function describe(pkg: ApkPackage) {
  const p = pkg.pkginfo;
  return {
    name: p.pkgname,
    version: p.pkgver,
    arch: p.arch,
    description: p.pkgdesc,
    url: p.url,
    license: p.license,
    origin: p.origin,
    maintainer: p.maintainer,
    builddate: p.builddate,
    commit: p.commit,
    'installed-size': p.size,
    depends: p.depend,
    provides: p.provides,
    replaces: p.replaces,
    'install-if': p.install_if,
    'provider-priority': p.provider_priority,
    triggers: p.triggers,
    datahash: p.datahash,
    checksum: pkg.checksum,
    'file-size': pkg.fileSize,
    signatures: pkg.signatures.map((s) => `.SIGN.${s.type}.${s.keyName}`),
    scripts: pkg.scripts.map((s) => s.name),
    files: pkg.files.length,
  };
}

/** `larder apk contents FILE`: every path in the data tar, byte-sorted, one per line. */
export async function apkContents(file: string): Promise<void> {
  const pkg = await readApkPackage(file);
  const paths = pkg.files.map((f) => f.path).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  if (paths.length) process.stdout.write(`${paths.join('\n')}\n`);
}
