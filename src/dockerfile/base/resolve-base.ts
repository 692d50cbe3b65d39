import { stageFromConfig } from './from-config.js';
import { stageFromLayout } from './from-layout.js';
import { stageFromRegistry } from './from-registry.js';
import { resolveRepositoryLine } from './local-paths.js';
import type { BaseOptions, StageBase } from './model.js';
import { parseBaseSpec } from './spec.js';

/**
 * The image a `FROM` names (after ARG expansion; never a stage name nor `scratch`), for the
 * stage's arch: `larder:PATH` composes an apko config of the context; an absolute, `./`-relative
 * or `oci:PATH[:TAG]` path reads an OCI layout; anything else is pulled from its registry and
 * pinned by digest. See {@link StageBase} for what comes back.
 *
 * @throws LarderError DOCKERFILE_INVALID for a malformed spec or an image without the arch,
 *   NOT_FOUND for a missing layout or config, CONFIG_INVALID for a broken config, FETCH_* or
 *   OFFLINE_MISS for a registry that cannot be used; every message names the spec.
 */
export async function resolveBaseImage(spec: string, options: BaseOptions): Promise<StageBase> {
  const parsed = parseBaseSpec(spec, options.contextDir);
  switch (parsed.kind) {
    case 'config':
      return stageFromConfig(parsed.path, spec, options);
    case 'layout':
      return inContext(
        await stageFromLayout({
          dir: parsed.dir,
          arch: options.arch,
          spec,
          ...(parsed.tag !== undefined ? { tag: parsed.tag } : {}),
        }),
        options.contextDir,
      );
    case 'registry':
      return inContext(await stageFromRegistry(parsed.ref, spec, options), options.contextDir);
  }
}

// An image's relative `/etc/apk/repositories` paths (a local build's) are read from the context.
function inContext(base: StageBase, contextDir: string): StageBase {
  return { ...base, repositories: base.repositories.map((r) => resolveRepositoryLine(r, contextDir)) };
}
