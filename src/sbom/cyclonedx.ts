// The image-level CycloneDX 1.6 document (`sbom-<arch>.cdx.json`).
import { compareText, contentUuid, sbomTimestamp } from './common.js';
import { apkComponent, imageComponent, osComponent } from './cyclonedx-components.js';
import type { CycloneDxComponent, CycloneDxDependency, CycloneDxDocument } from './cyclonedx-types.js';
import type { SbomDocumentInput } from './model.js';
import { sortPackages } from './package-list.js';

/**
 * The CycloneDX 1.6 document of one image: `metadata.component` is the image (type
 * `container`, when a subject is given) or else the operating system; `components` lists the
 * operating system and each apk package (type `library`, bom-ref = purl) in name order;
 * `dependencies` gives every component an entry: the root depends on all of them, packages on
 * their `dependsOn`. `serialNumber` is a UUID of the content, so only `metadata.timestamp`
 * depends on the time.
 */
export function toCycloneDxDocument(input: SbomDocumentInput): CycloneDxDocument {
  const os = osComponent(input.os);
  const root = input.subject === undefined ? os : imageComponent(input);
  const components: CycloneDxComponent[] = root === os ? [] : [os];
  const refsByName = new Map<string, string[]>();
  const used = new Set<string>([root['bom-ref'] ?? '', os['bom-ref'] ?? '']);
  const apks = sortPackages(input.packages).map((pkg) => {
    // Purls lower-case names, so two packages can share one: keep bom-refs unique.
    let component = apkComponent(pkg, input.os);
    const purl = component.purl ?? '';
    for (let n = 2; used.has(component['bom-ref'] ?? ''); n++) {
      component = apkComponent(pkg, input.os, `${purl}#${n}`);
    }
    const ref = component['bom-ref'] ?? purl;
    used.add(ref);
    refsByName.set(pkg.name, [...(refsByName.get(pkg.name) ?? []), ref]);
    components.push(component);
    return { pkg, ref };
  });
  const refOf = (component: CycloneDxComponent): string => component['bom-ref'] ?? component.name;
  const dependencies: CycloneDxDependency[] = [
    { ref: refOf(root), dependsOn: components.map(refOf) },
    ...(root === os ? [] : [{ ref: refOf(os), dependsOn: [] }]),
    ...apks.map(({ pkg, ref }) => {
      const targets = new Set((pkg.dependsOn ?? []).flatMap((name) => refsByName.get(name) ?? []));
      targets.delete(ref);
      return { ref, dependsOn: [...targets].sort(compareText) };
    }),
  ];
  const doc: CycloneDxDocument = {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: '',
    version: 1,
    metadata: {
      timestamp: sbomTimestamp(input.created),
      tools: { components: [{ type: 'application', name: 'larder', version: input.toolVersion }] },
      component: root,
    },
    components,
    dependencies,
  };
  doc.serialNumber = `urn:uuid:${contentUuid({ ...doc, metadata: { ...doc.metadata, timestamp: undefined } })}`;
  return doc;
}
