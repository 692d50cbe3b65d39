import type { ScaPackageDir } from '../sca/index.js';
import { type EmittedPackage, emitPackage } from './emit-package.js';
import type { EmitPackageInput, EmitSource } from './types.js';

/** One package of a build: its tree and the fields a subpackage may set for itself. */
export type BuildPackage = Pick<
  EmitPackageInput,
  'description' | 'url' | 'commit' | 'dependencies' | 'options' | 'scriptlets'
> & {
  readonly name: string;
  readonly dir: string;
  /** Upstream sources of this package's own pipeline (a subpackage's fetch steps). */
  readonly sources?: readonly EmitSource[];
};

/** A whole build: the main package first, then subpackages in recipe order. */
export type EmitBuildInput = Omit<
  EmitPackageInput,
  | 'package'
  | 'relatives'
  | 'description'
  | 'url'
  | 'commit'
  | 'dependencies'
  | 'options'
  | 'scriptlets'
  | 'sources'
> & {
  readonly packages: readonly [BuildPackage, ...BuildPackage[]];
  /** Upstream sources of the main pipeline: in every package's SBOM, as melange records them. */
  readonly sources?: readonly EmitSource[];
};

/**
 * Emits every package of a build as melange does after its pipelines: the main package, then
 * each subpackage from its own tree, all with the main package's version, epoch, origin and
 * copyright, and each analysed with the whole build as relatives (a `-dev` package's `.so` link
 * depends on the SONAME its sibling provides).
 */
export async function emitBuild(input: EmitBuildInput): Promise<EmittedPackage[]> {
  const relatives: ScaPackageDir[] = input.packages.map((p) => ({ name: p.name, dir: p.dir }));
  const { packages, sources, ...common } = input;
  const out: EmittedPackage[] = [];
  for (const p of packages) {
    out.push(
      await emitPackage({
        ...common,
        package: { name: p.name, dir: p.dir },
        relatives,
        ...(p.description !== undefined ? { description: p.description } : {}),
        ...(p.url !== undefined ? { url: p.url } : {}),
        ...(p.commit !== undefined ? { commit: p.commit } : {}),
        ...(p.dependencies !== undefined ? { dependencies: p.dependencies } : {}),
        ...(p.options !== undefined ? { options: p.options } : {}),
        ...(p.scriptlets !== undefined ? { scriptlets: p.scriptlets } : {}),
        sources: [...(p.sources ?? []), ...(sources ?? [])],
      }),
    );
  }
  return out;
}
