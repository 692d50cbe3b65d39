import { createHash } from 'node:crypto';
import type { ImageProvenanceParameters, ProvenanceResource } from '../../image/index.js';
import type { DockerBuildResult } from './options.js';

/** The SLSA `buildType` of `larder docker build`. */
export const DOCKERFILE_BUILD_TYPE = 'https://larder.dev/provenance/dockerfile-build/v1';

export interface DockerProvenanceInput {
  /** The Dockerfile as named on the command line, and its bytes. */
  readonly dockerfile: string;
  readonly dockerfileBytes: Uint8Array;
  readonly buildArgs: Readonly<Record<string, string>>;
  readonly target?: string;
  readonly references: readonly string[];
}

/**
 * Provenance parameters of a Dockerfile build. External: the Dockerfile (path and sha256), the
 * build args, the target and the references. Resolved dependencies: each stage's base image
 * (pinned reference or spec, with its manifest digest), then every package installed by a
 * `larder:` base or `RUN apk add`, once, by URL and sha256.
 */
export function dockerProvenance(
  result: DockerBuildResult,
  input: DockerProvenanceInput,
): { buildType: string; parameters: ImageProvenanceParameters } {
  const resolved: ProvenanceResource[] = [];
  for (const base of result.bases) {
    if (base.digest === undefined) continue;
    resolved.push({
      name: base.spec,
      ...(base.pinned ? { uri: base.pinned } : {}),
      digest: { sha256: base.digest.slice('sha256:'.length) },
      annotations: { stage: base.stage },
    });
  }
  const seen = new Set<string>();
  for (const s of result.image.sources) {
    if (seen.has(s.sha256)) continue;
    seen.add(s.sha256);
    resolved.push({
      name: `${s.name}-${s.version}.apk`,
      uri: s.url,
      digest: { sha256: s.sha256 },
      annotations: { arch: s.arch, checksum: s.checksum },
    });
  }
  return {
    buildType: DOCKERFILE_BUILD_TYPE,
    parameters: {
      externalParameters: {
        dockerfile: input.dockerfile,
        dockerfileChecksum: `sha256:${createHash('sha256').update(input.dockerfileBytes).digest('hex')}`,
        ...(Object.keys(input.buildArgs).length > 0 ? { buildArgs: { ...input.buildArgs } } : {}),
        ...(input.target !== undefined ? { target: input.target } : {}),
        ...(input.references.length > 0 ? { references: [...input.references] } : {}),
      },
      internalParameters: { arch: result.image.arch, stage: result.stage },
      resolvedDependencies: resolved,
    },
  };
}
