import type { EvidenceAttestation } from '../attest/index.js';
import { SLSA_PROVENANCE_V1, slsaProvenanceV1 } from '../attest/index.js';
import {
  type BuiltImage,
  IMAGE_BUILD_TYPE,
  imageProvenanceParameters,
  imageSboms,
  type LoadedConfig,
} from '../image/index.js';
import { composeImage } from '../oci/index.js';
import { PACKAGE_VERSION } from './package-version.js';

/** Predicate type URIs of the SBOM attestations (cosign's `spdxjson` and `cyclonedx`). */
const SBOM_PREDICATES = { spdx: 'https://spdx.dev/Document', cdx: 'https://cyclonedx.org/bom' } as const;

/** The default `--builder-id` of `image publish`: larder's CLI at this version. */
export const CLI_BUILDER_ID = `https://larder.dev/builders/cli@v${PACKAGE_VERSION}`;

export interface PublishAttestationsInput {
  readonly loaded: LoadedConfig;
  readonly images: readonly BuiltImage[];
  /** The pushed index digest. */
  readonly indexDigest: string;
  /** `registry/repository`, the name the statements give the subjects. */
  readonly name: string;
  readonly references: readonly string[];
  readonly builderId: string;
  readonly startedOn: Date;
  readonly finishedOn: Date;
  /** Also attach to each platform manifest (`--recursive`). */
  readonly recursive: boolean;
}

const sha256 = (digest: string) => ({ sha256: digest.slice('sha256:'.length) });

/**
 * What `image publish --attest` attaches: SLSA provenance v1 for the index and its manifests,
 * and each platform's SPDX 2.3 and CycloneDX SBOM (subjects: the index and that platform's
 * manifest), plus the index's SPDX document. All go to the index; with `recursive`, each also
 * goes to the platform manifest it names. SOURCE_DATE_EPOCH, when set, replaces both build times.
 */
export function publishAttestations(input: PublishAttestationsInput): EvidenceAttestation[] {
  const { images, indexDigest, name } = input;
  const manifests = images.map((img) => composeImage(img.image).descriptor.digest);
  const index = { name, digest: sha256(indexDigest) };
  const epoch = process.env.SOURCE_DATE_EPOCH;
  const parameters = imageProvenanceParameters(input.loaded, images, input.references);
  const provenance = slsaProvenanceV1({
    builderId: input.builderId,
    buildType: IMAGE_BUILD_TYPE,
    externalParameters: parameters.externalParameters,
    internalParameters: parameters.internalParameters,
    resolvedDependencies: parameters.resolvedDependencies,
    builderVersion: { larder: PACKAGE_VERSION },
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
    name: input.loaded.path,
    images,
    indexDigest,
    ...(input.references[0] !== undefined ? { ref: input.references[0] } : {}),
    toolVersion: PACKAGE_VERSION,
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
