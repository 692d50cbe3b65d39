import { type EvidenceAttestation, SLSA_PROVENANCE_V1, slsaProvenanceV1 } from '../../attest/index.js';
import { composeImage } from '../../oci/index.js';
import type { BuiltImage } from '../build/build-image.js';
import type { LoadedConfig } from '../config/load.js';
import { IMAGE_BUILD_TYPE, type ImageProvenanceParameters, imageProvenanceParameters } from './provenance.js';
import { imageSboms } from './sbom-documents.js';

/** Predicate type URIs of the SBOM attestations (cosign's `spdxjson` and `cyclonedx`). */
export const SBOM_PREDICATES = {
  spdx: 'https://spdx.dev/Document',
  cdx: 'https://cyclonedx.org/bom',
} as const;

export interface PublishAttestationsInput {
  /** The apko config built: its provenance parameters (unless `provenance` is given). */
  readonly loaded?: LoadedConfig;
  /** Another kind of build (a Dockerfile): its build type and parameters, used instead of `loaded`'s. */
  readonly provenance?: { readonly buildType: string; readonly parameters: ImageProvenanceParameters };
  /** The name the SBOMs give the image; default the config path. */
  readonly sbomName?: string;
  readonly images: readonly BuiltImage[];
  /** The pushed index digest. */
  readonly indexDigest: string;
  /** `registry/repository`, the name the statements give the subjects. */
  readonly name: string;
  readonly references: readonly string[];
  readonly builderId: string;
  /** larder's version: the provenance's `builderVersion.larder` and the SBOMs' tool version. */
  readonly toolVersion: string;
  readonly startedOn: Date;
  readonly finishedOn: Date;
  /** Also attach to each platform manifest (`--recursive`). */
  readonly recursive: boolean;
  /**
   * SOURCE_DATE_EPOCH (seconds, as text): replaces both build times in the provenance. Default:
   * the process environment's, when set and not empty.
   */
  readonly sourceDateEpoch?: string;
}

const sha256 = (digest: string) => ({ sha256: digest.slice('sha256:'.length) });

/**
 * What a published image carries as attestations: SLSA provenance v1 for the index and its
 * manifests, and each platform's SPDX 2.3 and CycloneDX SBOM (subjects: the index and that
 * platform's manifest), plus the index's SPDX document. All go to the index; with `recursive`,
 * each also goes to the platform manifest it names. SOURCE_DATE_EPOCH, when set, replaces both
 * build times.
 */
export function publishAttestations(input: PublishAttestationsInput): EvidenceAttestation[] {
  const { images, indexDigest, name } = input;
  const manifests = images.map((img) => composeImage(img.image).descriptor.digest);
  const index = { name, digest: sha256(indexDigest) };
  const epoch = input.sourceDateEpoch ?? process.env.SOURCE_DATE_EPOCH;
  const parameters = provenanceParameters(input);
  const provenance = slsaProvenanceV1({
    builderId: input.builderId,
    buildType: input.provenance?.buildType ?? IMAGE_BUILD_TYPE,
    externalParameters: parameters.externalParameters,
    internalParameters: parameters.internalParameters,
    resolvedDependencies: parameters.resolvedDependencies,
    builderVersion: { larder: input.toolVersion },
    startedOn: input.startedOn,
    finishedOn: input.finishedOn,
    ...(epoch !== undefined && epoch !== '' ? { sourceDateEpoch: epoch } : {}),
  });
  const out: EvidenceAttestation[] = [
    {
      label: 'provenance',
      predicateType: SLSA_PROVENANCE_V1,
      predicate: provenance,
      subjects: [index, ...manifests.map((d) => ({ name, digest: sha256(d) }))],
      attachTo: [indexDigest, ...(input.recursive ? manifests : [])],
    },
  ];
  const sboms = imageSboms({
    name: input.sbomName ?? input.loaded?.path ?? name,
    images,
    indexDigest,
    ...(input.references[0] !== undefined ? { ref: input.references[0] } : {}),
    toolVersion: input.toolVersion,
  });
  for (const sbom of sboms) {
    const own = sbom.subjectDigest === indexDigest;
    out.push({
      label: sbom.fileName,
      predicateType: SBOM_PREDICATES[sbom.format],
      predicate: sbom.document,
      subjects: own ? [index] : [index, { name, digest: sha256(sbom.subjectDigest) }],
      attachTo: own || !input.recursive ? [indexDigest] : [indexDigest, sbom.subjectDigest],
    });
  }
  return out;
}

function provenanceParameters(input: PublishAttestationsInput): ImageProvenanceParameters {
  if (input.provenance !== undefined) return input.provenance.parameters;
  if (input.loaded === undefined) throw new TypeError('publishAttestations needs `loaded` or `provenance`');
  return imageProvenanceParameters(input.loaded, input.images, input.references);
}
