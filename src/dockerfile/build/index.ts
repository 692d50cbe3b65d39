export { buildDockerfile } from './execute.js';
export type {
  BuildStep,
  DockerBuildOptions,
  DockerBuildResult,
  ResolvedBase,
} from './options.js';
export { DOCKERFILE_BUILD_TYPE, type DockerProvenanceInput, dockerProvenance } from './provenance.js';
