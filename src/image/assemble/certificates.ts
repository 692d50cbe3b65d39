/**
 * apko `installCertificates` (pkg/build/certificates.go): the `certificates` block of the config
 * added to the trust stores the image already has. Nothing is added to the world: providers
 * only select among the installed packages.
 */
import type { InstalledPackage } from '../../apk/index.js';
import { LarderError } from '../../core/index.js';
import { type ParsedCertificate, parseCertificate } from '../config/certificate.js';
import { SAFE_NAME } from '../config/certificates-schema.js';
import type { ImageCertificates } from '../config/model.js';
import { type JksStore, readJks, writeJks } from './java-truststore.js';
import { compareBytes, type RootTree } from './tree.js';
import { ensureDir, fileData, realPath, writeFile } from './tree-files.js';

/** Where individual certificates live (read by update-ca-certificates). */
export const CA_CERTS_DIR = 'usr/local/share/ca-certificates';
/** The PEM bundles apko appends to when they exist: Alpine/Wolfi, AWS ECS, kaniko. */
export const CA_BUNDLE_PATHS: readonly string[] = [
  'etc/ssl/certs/ca-certificates.crt',
  'var/lib/ecs/deps/execute-command/certs/tls-ca-bundle.pem',
  'kaniko/ssl/certs/ca-certificates.crt',
];
/** Java truststores apko adds to when they exist. */
export const JAVA_TRUSTSTORE_PATHS: readonly string[] = ['etc/ssl/certs/java/cacerts'];
/** The well-known password of Java's cacerts. */
export const JAVA_TRUSTSTORE_PASSWORD = 'changeit';

interface CertificateToAdd {
  readonly cert: ParsedCertificate;
  /** Java truststore alias (lower-cased, as keystore-go stores it). */
  readonly alias: string;
}

/**
 * Installs the configured certificates: each `additional` one is written (re-encoded) to
 * `usr/local/share/ca-certificates/<name>-<sha256>.crt`; then the `.crt`/`.pem` files under that
 * directory of every installed package that provides one of `providers` are read in path order
 * (files that do not parse are skipped). Every certificate, inline ones first, is appended with
 * a newline to each CA bundle that exists and added to each Java truststore that exists; those
 * keep their mode and owner and get `time` as mtime, as do the new files. Directories created
 * get `mtime`.
 *
 * @throws LarderError CONFIG_INVALID naming `certificates.additional[i]` for a bad name or PEM
 *   content; PACKAGE_INVALID for a bundle that is not a file or a truststore that does not load.
 */
export function installCertificates(
  tree: RootTree,
  certificates: ImageCertificates | undefined,
  installed: readonly InstalledPackage[],
  times: { readonly time: number; readonly mtime: number },
): void {
  if (certificates === undefined) return;
  const certs: CertificateToAdd[] = [];
  if (certificates.additional.length > 0) {
    const dir = ensureDir(tree, CA_CERTS_DIR, 0o755, times.mtime);
    certificates.additional.forEach((entry, i) => {
      const where = `certificates.additional[${i}]`;
      if (!SAFE_NAME.test(entry.name))
        throw new LarderError(
          'CONFIG_INVALID',
          `${where}: ${JSON.stringify(entry.name)} is not a safe file name`,
        );
      const cert = parseCertificate(entry.content);
      if ('problem' in cert)
        throw new LarderError('CONFIG_INVALID', `${where} (${entry.name}): ${cert.problem}`);
      const id = `${entry.name}-${cert.fingerprint}`;
      writeFile(tree, `${dir}/${id}.crt`, cert.pem, { mode: 0o644 }, times.time);
      certs.push({ cert, alias: id.toLowerCase() });
    });
  }
  for (const path of providedCertificateFiles(certificates.providers, installed)) {
    const real = realPath(tree, path);
    const data = real === undefined ? undefined : fileData(tree, real);
    if (data === undefined)
      throw new LarderError('PACKAGE_INVALID', `${path}: installed but not a readable file`);
    const cert = parseCertificate(data.toString('utf8'));
    if (!('problem' in cert)) certs.push({ cert, alias: `pkg-${cert.fingerprint}` });
  }
  if (certs.length === 0) return;
  for (const path of CA_BUNDLE_PATHS) {
    const real = realPath(tree, path);
    if (real === undefined) continue;
    const data = fileData(tree, real);
    if (data === undefined)
      throw new LarderError('PACKAGE_INVALID', `${path}: the CA bundle is not a regular file`);
    const added = certs.map((c) => `${c.cert.pem}\n`).join('');
    writeFile(tree, real, Buffer.concat([data, Buffer.from(added)]), { mode: 0o644 }, times.time);
  }
  for (const path of JAVA_TRUSTSTORE_PATHS) {
    const real = realPath(tree, path);
    if (real === undefined) continue;
    const data = fileData(tree, real);
    if (data === undefined)
      throw new LarderError('PACKAGE_INVALID', `${path}: the truststore is not a regular file`);
    const store: JksStore = readJks(data, JAVA_TRUSTSTORE_PASSWORD, path);
    for (const c of certs) {
      const certificate = { type: 'X.509', der: c.cert.der };
      store.set(c.alias, { kind: 'trusted', millis: BigInt(times.time) * 1000n, certificate });
    }
    writeFile(tree, real, writeJks(store, JAVA_TRUSTSTORE_PASSWORD), { mode: 0o644 }, times.time);
  }
}

/** The `.crt` and `.pem` files under CA_CERTS_DIR of the providing packages, byte-sorted. */
function providedCertificateFiles(
  providers: readonly string[],
  installed: readonly InstalledPackage[],
): string[] {
  if (providers.length === 0) return [];
  const paths: string[] = [];
  for (const pkg of installed) {
    // apko compares each `provides` entry as written (`name`, not `name=version`).
    if (!pkg.record.provides.some((p) => providers.includes(p))) continue;
    for (const dir of pkg.files) {
      for (const file of dir.files) {
        const path = dir.path === '' ? file.name : `${dir.path}/${file.name}`;
        if (!path.startsWith(`${CA_CERTS_DIR}/`)) continue;
        const dot = file.name.lastIndexOf('.');
        const ext = dot < 0 ? '' : file.name.slice(dot);
        if (ext === '.crt' || ext === '.pem') paths.push(path);
      }
    }
  }
  return paths.sort(compareBytes);
}
