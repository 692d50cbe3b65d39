// Shared by the sbom tests: the official schemas (read in place from ../shared/schemas) and a
// realistic package list from a real installed database.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parseInstalledDb } from '../../../src/apk/index.js';
import type { SbomDocumentInput, SbomPackage } from '../../../src/sbom/index.js';
import { ROOT, shared } from '../../kit/paths.js';

export const SCHEMAS = join(ROOT, '..', 'shared', 'schemas');

function readSchema(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(SCHEMAS, name), 'utf8')) as Record<string, unknown>;
}

function newAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false });
  // ajv-formats is CommonJS: under NodeNext its default import is the module object.
  addFormats.default(ajv);
  // Formats ajv-formats lacks (CycloneDX uses them): loose but real checks.
  ajv.addFormat('iri-reference', /^[^\s\p{Cc}<>"{}|\\^`]*$/u);
  ajv.addFormat('idn-email', /^[^\s@]+@[^\s@]+$/u);
  return ajv;
}

let spdx: ValidateFunction | undefined;
let cdx: ValidateFunction | undefined;

/** The SPDX 2.3 validator (spdx-2.3.schema.json, draft-07). */
export function spdxValidator(): ValidateFunction {
  spdx ??= newAjv().compile(readSchema('spdx-2.3.schema.json'));
  return spdx;
}

/** The CycloneDX 1.6 validator (bom-1.6.schema.json with its spdx and jsf siblings). */
export function cycloneDxValidator(): ValidateFunction {
  if (cdx === undefined) {
    const ajv = newAjv();
    ajv.addSchema(readSchema('spdx.schema.json'));
    ajv.addSchema(readSchema('jsf-0.82.schema.json'));
    cdx = ajv.compile(readSchema('bom-1.6.schema.json'));
  }
  return cdx;
}

/** Validation errors as readable lines (empty when valid). */
export function problems(validate: ValidateFunction, doc: unknown): string[] {
  return validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

function depName(dep: string): string {
  return dep.replace(/^!/, '').split(/[<>=~]/)[0] ?? dep;
}

/** The 15 packages of ../shared/fixtures/installed/wolfi-base, dependencies resolved by provides. */
export function wolfiBasePackages(): SbomPackage[] {
  const installed = parseInstalledDb(readFileSync(shared('installed', 'wolfi-base'), 'utf8'));
  const provider = new Map<string, string>();
  for (const { record } of installed) {
    provider.set(record.name, record.name);
    for (const p of record.provides) provider.set(depName(p), record.name);
  }
  return installed.map(({ record }) => {
    const deps = record.depends.filter((d) => !d.startsWith('!')).map((d) => provider.get(depName(d)));
    return {
      name: record.name,
      version: record.version,
      arch: record.arch ?? 'noarch',
      ...(record.origin === undefined ? {} : { origin: record.origin }),
      ...(record.license === undefined ? {} : { license: record.license }),
      ...(record.description === undefined ? {} : { description: record.description }),
      ...(record.url === undefined ? {} : { url: record.url }),
      ...(record.maintainer === undefined ? {} : { maintainer: record.maintainer }),
      ...(record.checksum === undefined ? {} : { checksum: { control: record.checksum } }),
      dependsOn: [...new Set(deps.filter((d): d is string => d !== undefined && d !== record.name))],
    };
  });
}

export const DIGEST = `sha256:${'ab'.repeat(32)}`;

/** A wolfi-base image SBOM input, with a subject and a vcs-url. */
export function wolfiBaseInput(overrides: Partial<SbomDocumentInput> = {}): SbomDocumentInput {
  return {
    name: 'cgr.dev/chainguard/wolfi-base',
    created: 1_700_000_000,
    os: { id: 'wolfi', versionId: '20230201', prettyName: 'Wolfi' },
    arch: 'x86_64',
    subject: {
      kind: 'image',
      digest: DIGEST,
      ref: 'cgr.dev/chainguard/wolfi-base:latest',
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
    },
    packages: wolfiBasePackages(),
    vcsUrl: `https://github.com/chainguard-images/images@${'1'.repeat(40)}`,
    toolVersion: '0.1.0',
    ...overrides,
  };
}
