/**
 * The JSON Schema of one apko YAML file, generated from the zod schema (`schema.ts`), so editors
 * and other tools can validate configs. It describes the shape: every key, every type, unknown
 * keys rejected at every level. Checks that need code (package constraints, repository strings,
 * arch names, duplicate key names) are made by `parseImageConfig` only.
 * `scripts/gen-config-schema.ts` writes it to `schemas/image-config.schema.json`; CI checks that
 * the committed file is fresh.
 */
import { z } from 'zod';
import { imageConfigSchema } from './schema.js';

/** Where the published schema lives; also its `$id`. */
export const IMAGE_CONFIG_SCHEMA_ID = 'https://larder.dev/schemas/image-config.schema.json';

/** A YAML scalar, as a plain YAML 1.2 reader gives it (`PORT: 8080` is a number there). */
const ANY_SCALAR_TYPES = ['string', 'number', 'boolean', 'null'] as const;

/** A fresh JSON Schema (draft 2020-12) object for one apko image config file. */
export function imageConfigJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(imageConfigSchema, {
    target: 'draft-2020-12',
    // What a file may contain, before any transform; refinements have no JSON Schema form and
    // are left out by zod, and `any` keeps a future custom type from failing the export.
    io: 'input',
    unrepresentable: 'any',
    override: ({ zodSchema, jsonSchema }) => {
      // String maps (environment, annotations, entrypoint.services) take any scalar's source
      // text, as apko's yaml.v3 decoder does (see plain.ts); a YAML tool sees a number there.
      if (zodSchema._zod.def.type === 'record') {
        jsonSchema.additionalProperties = { type: [...ANY_SCALAR_TYPES] };
      }
    },
  }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return {
    $schema: $schema ?? 'https://json-schema.org/draft/2020-12/schema',
    $id: IMAGE_CONFIG_SCHEMA_ID,
    title: 'larder image config (apko-compatible)',
    description:
      'One apko image configuration file as larder reads it; unknown keys are errors at every level. ' +
      'Package constraints, repository strings and arch names are checked by larder itself.',
    ...rest,
  };
}
