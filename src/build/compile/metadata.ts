/**
 * What a package's `.PKGINFO` needs from its recipe, in the shapes the emitter takes:
 * description, url, commit, dependencies (priorities as numbers), SCA options, scriptlets.
 */
import type { RecipeDependencies, RecipeFile, RecipeSubpackage } from '../recipe/schema.js';

/** One package's metadata in a plan. */
export interface PackageMetadata {
  readonly description?: string;
  readonly url?: string;
  readonly commit?: string;
  readonly dependencies: {
    readonly runtime: readonly string[];
    readonly provides: readonly string[];
    readonly replaces: readonly string[];
    readonly providerPriority?: number;
    readonly replacesPriority?: number;
  };
  readonly options: {
    readonly noProvides?: boolean;
    readonly noDepends?: boolean;
    readonly noCommands?: boolean;
  };
  readonly scriptlets: {
    readonly preInstall?: string;
    readonly postInstall?: string;
    readonly preDeinstall?: string;
    readonly postDeinstall?: string;
    readonly preUpgrade?: string;
    readonly postUpgrade?: string;
    readonly trigger?: { readonly script?: string; readonly paths?: readonly string[] };
  };
}

type Source = RecipeFile['package'] | RecipeSubpackage;

/** The metadata of the main package or a subpackage (`commit` falls back to the package's). */
export function packageMetadata(source: Source, inheritedCommit?: string): PackageMetadata {
  const s = source.scriptlets ?? {};
  const o = source.options ?? {};
  const commit = source.commit ?? inheritedCommit;
  return {
    ...(source.description !== undefined && { description: source.description }),
    ...(source.url !== undefined && { url: source.url }),
    ...(commit !== undefined && { commit }),
    dependencies: dependencies(source.dependencies),
    options: {
      ...(o['no-provides'] !== undefined && { noProvides: o['no-provides'] }),
      ...(o['no-depends'] !== undefined && { noDepends: o['no-depends'] }),
      ...(o['no-commands'] !== undefined && { noCommands: o['no-commands'] }),
    },
    scriptlets: {
      ...(s['pre-install'] !== undefined && { preInstall: s['pre-install'] }),
      ...(s['post-install'] !== undefined && { postInstall: s['post-install'] }),
      ...(s['pre-deinstall'] !== undefined && { preDeinstall: s['pre-deinstall'] }),
      ...(s['post-deinstall'] !== undefined && { postDeinstall: s['post-deinstall'] }),
      ...(s['pre-upgrade'] !== undefined && { preUpgrade: s['pre-upgrade'] }),
      ...(s['post-upgrade'] !== undefined && { postUpgrade: s['post-upgrade'] }),
      ...(s.trigger !== undefined && { trigger: s.trigger }),
    },
  };
}

function dependencies(deps: RecipeDependencies | undefined): PackageMetadata['dependencies'] {
  const priority = (text: string | undefined) =>
    text === undefined || text === '' ? undefined : Number(text);
  const provider = priority(deps?.['provider-priority']);
  const replaces = priority(deps?.['replaces-priority']);
  return {
    runtime: deps?.runtime ?? [],
    provides: deps?.provides ?? [],
    replaces: deps?.replaces ?? [],
    ...(provider !== undefined && { providerPriority: provider }),
    ...(replaces !== undefined && { replacesPriority: replaces }),
  };
}
