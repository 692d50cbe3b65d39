// Writing SBOM documents as files: bytes and names.

/** The two formats larder writes for every image. */
export type SbomFormat = 'spdx' | 'cdx';

/**
 * The JSON text of a document: two-space indent (as apko writes SBOMs) and a final newline.
 * Keys keep the order the document was built in, which the writers fix, so the same document
 * always gives the same bytes.
 */
export function formatJson(doc: unknown): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/**
 * apko's SBOM file names (docs/CLI.md): `sbom-<apk arch>.spdx.json`, `sbom-index.spdx.json`,
 * and `sbom-<apk arch>.cdx.json` for CycloneDX.
 */
export function sbomFileName(arch: string, format: SbomFormat): string {
  return `sbom-${arch}.${format}.json`;
}
