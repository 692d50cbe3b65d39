/**
 * The shape of `larder.yaml` as zod checks it: kebab-case keys, unknown keys refused, defaults
 * for everything optional. Values zod cannot judge alone (durations, paths, references, archs)
 * are checked afterwards with their place (config-checks.ts).
 */
import { z } from 'zod';

const text = z.string().min(1, 'expected a non-empty string');
const texts = z.array(text);

/** An enum whose error lists the choices plainly. */
function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `expected one of: ${values.join(', ')}` });
}

const repository = z.strictObject({
  name: text.default('main'),
  dir: text.default('repo'),
  archs: z.array(text).min(1, 'expected at least one arch').default(['x86_64']),
  'signing-key': text.default('keys/larder.rsa'),
  'extra-repositories': texts.default([]),
  'extra-keyring': texts.default([]),
});

const images = z.strictObject({
  'signing-key': text.optional(),
  'sign-format': oneOf(['legacy', 'bundle', 'both']).default('both'),
  attest: z.boolean().optional(),
  publish: z.record(z.string(), z.array(text)).default({}),
});

const registry = z.strictObject({
  insecure: z.boolean().default(false),
  username: text.optional(),
  'password-env': text.optional(),
});

const feed = z.strictObject({ secdb: text.optional(), osv: text.optional() });

const schedules = z.strictObject({
  rescan: z.unknown().default('6h'),
  'update-check': z.unknown().default('24h'),
});

/** `larder.yaml` before the checks that need places or the file system. */
export const factoryConfigSchema = z.strictObject({
  repository: repository.default(repository.parse({})),
  images: images.default(images.parse({})),
  registries: z.record(z.string(), registry).default({}),
  policy: z
    .strictObject({
      gate: oneOf(['zero-known-cve', 'critical', 'high', 'medium', 'low']).default('zero-known-cve'),
    })
    .default({ gate: 'zero-known-cve' }),
  feeds: z.array(feed).default([]),
  schedules: schedules.default({ rescan: '6h', 'update-check': '24h' }),
  server: z.strictObject({ 'public-reads': z.boolean().default(true) }).default({ 'public-reads': true }),
});

export type FactoryConfigInput = z.output<typeof factoryConfigSchema>;
