import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { collectTree, type WrittenApk, writeApkPackage } from '../../apk/index.js';
import { LarderError } from '../../core/index.js';
import { analyzePackage, type ScaResult } from '../sca/index.js';
import { controlMeta, controlScripts } from './control.js';
import { mergeDependencies } from './dependencies.js';
import { packageSbomJson, SBOM_DIR, sbomFileNameOf } from './sbom.js';
import type { EmitPackageInput } from './types.js';

/** What emitting one package produced. */
export interface EmittedPackage extends WrittenApk {
  /** The generated dependencies before merging with the recipe's. */
  readonly generated: ScaResult;
  /** Provides of libraries outside the standard dirs, written as `# vendored =` comments. */
  readonly vendored: string[];
  /** Path of the SBOM inside the package, e.g. `var/lib/db/sbom/hello-1.0-r0.spdx.json`. */
  readonly sbomPath: string;
}

/** `<name>-<version>-r<epoch>.apk`, the file name apk and melange use. */
export function apkFileName(name: string, version: string, epoch: number): string {
  return `${name}-${version}-r${epoch}.apk`;
}

/**
 * Turns a staged tree into a signed package as melange's `EmitPackage` does: writes the
 * package's SPDX SBOM into the tree (`var/lib/db/sbom/`), finds its automatic dependencies,
 * merges them with the recipe's, and writes `<outDir>/<arch>/<name>-<ver>-r<epoch>.apk`
 * (data tar, `.PKGINFO` and scriptlets, RSA-SHA256 signature). Same tree, SOURCE_DATE_EPOCH
 * and key give the same bytes.
 */
export async function emitPackage(input: EmitPackageInput): Promise<EmittedPackage> {
  const o = input.origin;
  if (!Number.isSafeInteger(o.epoch) || o.epoch < 0)
    throw new LarderError('PKGINFO_INVALID', `package.epoch: value '${o.epoch}' is not an unsigned integer`);
  const sbomDir = join(input.package.dir, SBOM_DIR);
  const sbomPath = `${SBOM_DIR}/${sbomFileNameOf(input)}`;
  try {
    await mkdir(sbomDir, { recursive: true, mode: 0o755 });
    await writeFile(join(input.package.dir, sbomPath), packageSbomJson(input), { mode: 0o644 });
  } catch (err) {
    throw new LarderError('IO', `${sbomDir}: cannot write the package SBOM: ${(err as Error).message}`, {
      cause: err,
      subject: sbomDir,
    });
  }
  const generated = await analyzePackage({
    package: input.package,
    fullVersion: `${o.version}-r${o.epoch}`,
    ...(input.relatives !== undefined ? { relatives: input.relatives } : {}),
    ...(input.options !== undefined ? { options: input.options } : {}),
    declaredRuntime: input.dependencies?.runtime ?? [],
  });
  const deps = mergeDependencies(input.dependencies ?? {}, generated);
  const entries = await collectTree(input.package.dir, input.owners ?? { kind: 'root' });
  const out = join(input.outDir, input.arch, apkFileName(input.package.name, o.version, o.epoch));
  const written = await writeApkPackage(out, {
    meta: controlMeta(input, deps),
    entries,
    scripts: controlScripts(input.scriptlets),
    ...(input.signKey !== undefined ? { signKey: input.signKey } : {}),
    mtime: input.sourceDateEpoch ?? 0,
    level: input.level ?? 6,
  });
  return { ...written, generated, vendored: deps.vendored, sbomPath };
}
