/**
 * The embedded publisher (docs/factory.md "Jobs"): the repository's single writer. Checks each
 * built package, publishes it into `<repository.dir>/<arch>/` with the signed index (src/repo's
 * publishPackages, under the repository lock), records it in `factory_packages` and appends a
 * `package-published` event. Publishing the same files again (a retried job) changes nothing.
 */
import { loadApkSigningKey, loadKeyring } from '../../../apk/index.js';
import { LarderError } from '../../../core/index.js';
import { publishPackages } from '../../../repo/index.js';
import type { Store } from '../../../store/index.js';
import type { Workspace } from '../../model.js';
import type { BuiltPackageFile, PackagePublisher, PublishedPackageInfo } from '../../service.js';
import { appendEvent, listPackages, recordPackages } from '../../state/index.js';
import { checkedPackage } from './checked-package.js';

export interface LocalPublisherOptions {
  /** ISO now for records and events (tests pin it). */
  readonly now?: () => string;
}

/** The publisher writing into the workspace repository (embedded mode, and the server for uploads). */
export function createLocalPublisher(
  workspace: Workspace,
  store: Store,
  options: LocalPublisherOptions = {},
): PackagePublisher {
  const now = options.now ?? (() => new Date().toISOString());
  const repository = workspace.config.repository;
  // One publish at a time in this process, so the check for a retry and its records agree;
  // across processes the index itself is serialised by publishPackages' repository lock.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work, work);
    queue = run.catch(() => undefined);
    return run;
  };
  return {
    publish: (arch, files, build) => serial(() => publishOnce(arch, files, build)),
  };

  async function publishOnce(
    arch: string,
    files: readonly BuiltPackageFile[],
    build: { readonly key: string; readonly recipe: string },
  ): Promise<readonly PublishedPackageInfo[]> {
    if (!repository.archs.includes(arch))
      throw new LarderError(
        'USAGE',
        `cannot publish for arch '${arch}': the repository's archs are ${repository.archs.join(', ')}`,
        { subject: arch },
      );
    if (files.length === 0) return [];
    const signKey = await loadApkSigningKey(repository.signingKey);
    const keyring = await loadKeyring([`${repository.signingKey}.pub`]);
    const packages: PublishedPackageInfo[] = [];
    for (const file of files) packages.push(await checkedPackage(file, arch, keyring));
    await publishPackages({
      repoDir: repository.dir,
      arch,
      packages: files.map((f: BuiltPackageFile) => f.path),
      signKey,
      keyring,
    });
    const { fresh, rebuilt } = await notYetRecorded(store, packages, build.key);
    const at = now();
    await recordPackages(store, [
      ...fresh.map((p) => ({ ...p, buildKey: build.key, publishedAt: at })),
      // A reproducible rebuild (a build-dep changed, the output did not): the same bytes, now
      // from this build, so the planner sees it built after its build-deps. No new publication.
      ...rebuilt.map(({ info, publishedAt }) => ({ ...info, buildKey: build.key, publishedAt })),
    ]);
    for (const p of fresh) {
      await appendEvent(store, {
        at,
        kind: 'package-published',
        subject: `package:${p.name}-${p.version}`,
        message: `published ${p.name}-${p.version} (${p.arch}) built from ${build.recipe}`,
        details: {
          arch: p.arch,
          origin: p.origin,
          checksum: p.checksum,
          size: p.size,
          build: build.key,
        },
      });
    }
    return packages;
  }
}

/**
 * The packages whose name, version, arch and checksum are not recorded yet (`fresh`; a retry of
 * the same build records nothing), and those recorded with the same bytes from another build
 * (`rebuilt`: a reproducible rebuild, re-attributed to this build).
 */
async function notYetRecorded(
  store: Store,
  packages: readonly PublishedPackageInfo[],
  buildKey: string,
): Promise<{
  fresh: PublishedPackageInfo[];
  rebuilt: { info: PublishedPackageInfo; publishedAt: string }[];
}> {
  const fresh: PublishedPackageInfo[] = [];
  const rebuilt: { info: PublishedPackageInfo; publishedAt: string }[] = [];
  for (const p of packages) {
    const known = await listPackages(store, { name: p.name });
    const same = known.find((k) => k.version === p.version && k.arch === p.arch && k.checksum === p.checksum);
    if (same === undefined) fresh.push(p);
    else if (same.buildKey !== buildKey) rebuilt.push({ info: p, publishedAt: same.publishedAt });
  }
  return { fresh, rebuilt };
}
