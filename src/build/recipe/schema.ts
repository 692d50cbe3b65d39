/**
 * The zod schema of a melange recipe, key for key with melange's `pkg/config/config.go`. Every
 * object is strict: melange decodes with yaml.v3 `KnownFields(true)`, so an unknown key anywhere
 * is an error.
 */
import { z } from 'zod';
import { environmentSchema } from './environment-schema.js';
import { stepSchema } from './pipeline-schema.js';
import { bool, str, stringList, stringMap, uint } from './scalars.js';
import { updateSchema } from './update-schema.js';

const scriptlets = z.strictObject({
  trigger: z.strictObject({ script: str.exactOptional(), paths: stringList.exactOptional() }).exactOptional(),
  'pre-install': str.exactOptional(),
  'post-install': str.exactOptional(),
  'pre-deinstall': str.exactOptional(),
  'post-deinstall': str.exactOptional(),
  'pre-upgrade': str.exactOptional(),
  'post-upgrade': str.exactOptional(),
});

const packageOptions = z.strictObject({
  'no-provides': bool.exactOptional(),
  'no-depends': bool.exactOptional(),
  'no-commands': bool.exactOptional(),
  'no-versioned-shlib-deps': bool.exactOptional(),
});

const dependencies = z.strictObject({
  runtime: stringList.exactOptional(),
  provides: stringList.exactOptional(),
  replaces: stringList.exactOptional(),
  'provider-priority': str.exactOptional(),
  'replaces-priority': str.exactOptional(),
});

const copyright = z.strictObject({
  paths: stringList.exactOptional(),
  attestation: str.exactOptional(),
  license: str.exactOptional(),
  'license-path': str.exactOptional(),
  'detection-override': str.exactOptional(),
});

const resources = z.strictObject({
  cpu: str.exactOptional(),
  cpumodel: str.exactOptional(),
  memory: str.exactOptional(),
  disk: str.exactOptional(),
});

const cpe = z.strictObject(
  Object.fromEntries(
    ['part', 'vendor', 'product', 'edition', 'language', 'sw_edition', 'target_sw', 'target_hw', 'other'].map(
      (k) => [k, str.exactOptional()],
    ),
  ),
);

const setcap = z.array(
  z.strictObject({ path: str.exactOptional(), add: stringMap.exactOptional(), reason: str.exactOptional() }),
);

const checks = z.strictObject({ disabled: stringList.exactOptional() });

const test = z.strictObject({
  environment: environmentSchema.exactOptional(),
  pipeline: z.array(stepSchema).default([]),
});

const packageSchema = z.strictObject({
  name: str,
  version: str,
  epoch: uint.default(0),
  description: str.exactOptional(),
  annotations: stringMap.exactOptional(),
  url: str.exactOptional(),
  commit: str.exactOptional(),
  'target-architecture': stringList.exactOptional(),
  copyright: z.array(copyright).exactOptional(),
  dependencies: dependencies.exactOptional(),
  options: packageOptions.exactOptional(),
  scriptlets: scriptlets.exactOptional(),
  checks: checks.exactOptional(),
  cpe: cpe.exactOptional(),
  setcap: setcap.exactOptional(),
  timeout: str.exactOptional(),
  resources: resources.exactOptional(),
  'test-resources': resources.exactOptional(),
});

const subpackage = z.strictObject({
  if: str.exactOptional(),
  range: str.exactOptional(),
  name: str,
  pipeline: z.array(stepSchema).exactOptional(),
  dependencies: dependencies.exactOptional(),
  options: packageOptions.exactOptional(),
  scriptlets: scriptlets.exactOptional(),
  description: str.exactOptional(),
  annotations: stringMap.exactOptional(),
  url: str.exactOptional(),
  commit: str.exactOptional(),
  checks: checks.exactOptional(),
  test: test.exactOptional(),
  setcap: setcap.exactOptional(),
});

const buildOption = z.strictObject({
  vars: stringMap.exactOptional(),
  environment: z
    .strictObject({
      contents: z
        .strictObject({
          packages: z
            .strictObject({ add: stringList.exactOptional(), remove: stringList.exactOptional() })
            .exactOptional(),
        })
        .exactOptional(),
    })
    .exactOptional(),
});

/** Every top-level key melange knows. */
export const recipeSchema = z.strictObject({
  package: packageSchema,
  environment: environmentSchema.exactOptional(),
  capabilities: z
    .strictObject({ add: stringList.exactOptional(), drop: stringList.exactOptional() })
    .exactOptional(),
  pipeline: z.array(stepSchema).exactOptional(),
  subpackages: z.array(subpackage).exactOptional(),
  data: z
    .array(z.strictObject({ name: str.exactOptional(), items: stringMap.exactOptional() }))
    .exactOptional(),
  update: updateSchema.exactOptional(),
  vars: stringMap.exactOptional(),
  'var-transforms': z
    .array(
      z.strictObject({
        from: str.default(''),
        match: str.default(''),
        replace: str.default(''),
        to: str.default(''),
      }),
    )
    .exactOptional(),
  options: z.record(z.string(), buildOption).exactOptional(),
  test: test.exactOptional(),
});

/** A recipe as the schema accepts it (YAML key names), before substitutions. */
export type RecipeFile = z.infer<typeof recipeSchema>;
/** A subpackage as parsed. */
export type RecipeSubpackage = z.infer<typeof subpackage>;
/** A package's or subpackage's dependencies as parsed. */
export type RecipeDependencies = z.infer<typeof dependencies>;
/** A test section as parsed. */
export type RecipeTest = z.infer<typeof test>;
