/** SBOMs as targets: SPDX and CycloneDX JSON read back into packages through their purls. */
export { cycloneDxEntries, isCycloneDx, isSpdx, spdxEntries } from './formats.js';
export { draftFromPurl, type ParsedPurl, parsePurl } from './purl.js';
export { catalogSbomEntries, parseSbomJson, type SbomContents, type SbomEntry } from './read-sbom.js';
