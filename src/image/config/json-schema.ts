/**
 * The JSON Schema of one apko YAML file, generated from the zod schema (`schema.ts`), so editors
 * and other tools can validate configs. It describes the shape only: refinements that need code
 * (world entries, repository strings, arch lists, duplicate key names) are checked by
 * `parseImageConfig`, not by the JSON Schema. `scripts/gen-config-schema.ts` writes it to
 * `schemas/image-config.schema.json`; CI checks that the committed file is fresh.
 */
import { z } from 'zod';
import { imageConfigSchema } from './schema.js';

/** Where the published schema lives; also its `$id`. */
export const IMAGE_CONFIG_SCHEMA_ID = 'https://larder.dev/schemas/image-config.schema.json';

/** A fresh JSON Schema (draft 2020-12) object for an apko image config file. */
export function imageConfigJsonSchema(): Record<string, unknown> {
  // `io: 'input'` describes what a YAML file may contain (before any transform); refinements
  // have no JSON Schema form and are left out by zod, so `unrepresentable` only guards against
  // a future transform or custom type turning the whole export into an error.
  const generated = z.toJSONSchema(imageConfigSchema, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return {
    $schema: $schema ?? 'https://json-schema.org/draft/2020-12/schema',
    $id: IMAGE_CONFIG_SCHEMA_ID,
    title: 'larder image config (apko-compatible)',
    description:
      'One apko image configuration file as larder reads it. Unknown keys are errors at every level. ' +
      'Checks that need code (package constraints, repository strings, arch names) are made by larder itself.',
    ...rest,
  };
}
