/**
 * FROM sources of Dockerfile stages: `larder:` apko configs composed in the context, OCI layout
 * directories and registry images (pulled and pinned by digest), each read for one arch with the
 * apk state (`installed`, repositories, keys) that a native `RUN apk add` builds on.
 */

export { normalizeLayerPath, readLayerFiles } from './layer-files.js';
export { resolveLocal, resolveRepositoryLine } from './local-paths.js';
export type { BaseKey, BaseOptions, BaseRegistryOptions, StageBase } from './model.js';
export { resolveBaseImage } from './resolve-base.js';
export { type BaseSpec, parseBaseSpec } from './spec.js';
