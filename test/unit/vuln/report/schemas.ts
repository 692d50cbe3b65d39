// The official schemas our vulnerability outputs must meet, read in place from ../shared/schemas:
// OpenVEX 0.2 (draft 2020-12), SARIF 2.1.0 (draft-04, adapted for ajv 8), CycloneDX 1.6.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ValidateFunction } from 'ajv';
import { Ajv } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { cycloneDxValidator, SCHEMAS } from '../../sbom/helpers.js';

export { cycloneDxValidator, problems } from '../../sbom/helpers.js';

function readSchema(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(SCHEMAS, name), 'utf8')) as Record<string, unknown>;
}

let openVex: ValidateFunction | undefined;
let sarif: ValidateFunction | undefined;

/** The OpenVEX 0.2 validator (`openvex.schema.json`, JSON Schema 2020-12). */
export function openVexValidator(): ValidateFunction {
  if (openVex === undefined) {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats.default(ajv);
    // An absolute IRI: a scheme, a colon, and no spaces or characters IRIs exclude.
    ajv.addFormat('iri', /^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`]*$/u);
    openVex = ajv.compile(readSchema('openvex.schema.json'));
  }
  return openVex;
}

/**
 * The SARIF 2.1.0 validator. The schema is draft-04, which ajv 8 does not read: its `id` becomes
 * `$id` and its `$schema` is dropped (it uses no other draft-04-only keyword).
 */
export function sarifValidator(): ValidateFunction {
  if (sarif === undefined) {
    const { $schema: _, id, ...schema } = readSchema('sarif-2.1.0.schema.json');
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats.default(ajv);
    sarif = ajv.compile({ $id: String(id), ...schema });
  }
  return sarif;
}

/** Every CycloneDX 1.6 problem of `doc`. */
export function cycloneDxProblems(doc: unknown): string[] {
  const validate = cycloneDxValidator();
  return validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}
