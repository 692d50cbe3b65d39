export {
  IMAGE_BUILD_TYPE,
  type ImageProvenanceParameters,
  imageProvenanceParameters,
  type ProvenanceResource,
} from './provenance.js';
export {
  type PublishAttestationsInput,
  publishAttestations,
  SBOM_PREDICATES,
} from './publish-attestations.js';
export { type ImageSbom, type ImageSbomsInput, imageSboms } from './sbom-documents.js';
