import { apkoJson } from '../assemble/apko-json.js';
import type { BuiltImage } from '../build/build-image.js';
import type { LoadedConfig } from '../config/load.js';

/** What larder's image builds put in a SLSA provenance v1 `buildDefinition.buildType`. */
export const IMAGE_BUILD_TYPE = 'https://larder.dev/provenance/image-build/v1';

/** An in-toto ResourceDescriptor (structurally the one `attest` signs). */
export type ProvenanceResource = {
  readonly name?: string;
  readonly uri?: string;
  readonly digest?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
};

/** The build-specific half of an image's provenance; `attest` adds builder, type and times. */
export interface ImageProvenanceParameters {
  readonly externalParameters: Readonly<Record<string, unknown>>;
  readonly internalParameters: Readonly<Record<string, unknown>>;
  readonly resolvedDependencies: readonly ProvenanceResource[];
}

/**
 * Provenance parameters of an image build. External: the image config as apko's JSON
 * (the `/etc/apko.json` shape, with `contents.packages` the world asked for and every built
 * arch), the config file and the digest of every file it was read from, and the references
 * published to. Resolved dependencies: every package installed into any arch image, once, with
 * the sha256 of its `.apk`, the URL it came from and apk's identity checksum.
 */
export function imageProvenanceParameters(
  loaded: LoadedConfig,
  images: readonly BuiltImage[],
  references: readonly string[],
): ImageProvenanceParameters {
  const archs = images.map((i) => i.arch);
  const config = JSON.parse(
    apkoJson(loaded.config, archs[0] ?? 'x86_64', loaded.config.contents.packages),
  ) as Record<string, unknown>;
  config.archs = [...new Set(loaded.archs.map(String))];
  const seen = new Set<string>();
  const resolvedDependencies: ProvenanceResource[] = [];
  for (const img of images) {
    for (const s of img.sources) {
      if (seen.has(s.sha256)) continue;
      seen.add(s.sha256);
      resolvedDependencies.push({
        name: `${s.name}-${s.version}.apk`,
        uri: s.url,
        digest: { sha256: s.sha256 },
        annotations: { arch: s.arch, checksum: s.checksum },
      });
    }
  }
  return {
    externalParameters: {
      config,
      configFile: loaded.path,
      configChecksum: loaded.checksum,
      ...(references.length > 0 ? { references: [...references] } : {}),
    },
    internalParameters: { archs },
    resolvedDependencies,
  };
}
