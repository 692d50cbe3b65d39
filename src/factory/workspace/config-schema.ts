/**
 * The shape of `larder.yaml` as zod checks it: kebab-case keys, unknown keys refused, defaults
 * for everything optional, and each value's own rules (names, archs, references, durations), so
 * all such problems come out together. Rules across keys are checked afterwards (config.ts).
 */
import { z } from 'zod';
import { BUILD_ARCH_NAMES } from '../../build/index.js';
import { parseImageReference } from '../../oci/index.js';
import { parseDuration } from './duration.js';

const text = z.string().min(1, 'expected a non-empty string');
const texts = z.array(text);

/** An enum whose error lists the choices plainly. */
function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `expected one of: ${values.join(', ')}` });
}

/** A string value with a rule: `problem` says what is wrong with it, or nothing. */
function checked(problem: (value: string) => string | undefined) {
  return text.superRefine((value, ctx) => {
    const message = problem(value);
    if (message !== undefined) ctx.addIssue({ code: 'custom', message });
  });
}

const REPOSITORY_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const repositoryName = checked((name) =>
  REPOSITORY_NAME.test(name) ? undefined : `'${name}' is not a URL path segment (letters, digits, . _ -)`,
);
const arch = checked((a) =>
  BUILD_ARCH_NAMES.includes(a)
    ? undefined
    : `unknown arch '${a}' (expected one of: ${BUILD_ARCH_NAMES.join(', ')})`,
);
const publishReference = checked((ref) => {
  try {
    if (parseImageReference(ref).digest !== undefined)
      return `'${ref}': a publish reference names a tag, not a digest`;
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
});
const envName = checked((name) =>
  ENV_NAME.test(name) ? undefined : `'${name}' is not an environment variable name`,
);

/** A schedule duration (duration.ts) as milliseconds. */
const duration = z.unknown().transform((value, ctx) => {
  const d = parseDuration(value);
  if ('ms' in d) return d.ms;
  ctx.addIssue({ code: 'custom', message: d.problem });
  return z.NEVER;
});

const repository = z.strictObject({
  name: repositoryName.default('main'),
  dir: text.default('repo'),
  archs: z.array(arch).min(1, 'expected at least one arch').default(['x86_64']),
  'signing-key': text.default('keys/larder.rsa'),
  'extra-repositories': texts.default([]),
  'extra-keyring': texts.default([]),
});

const images = z.strictObject({
  'signing-key': text.optional(),
  'sign-format': oneOf(['legacy', 'bundle', 'both']).default('both'),
  attest: z.boolean().optional(),
  publish: z.record(z.string(), z.array(publishReference)).default({}),
});

const registry = z.strictObject({
  insecure: z.boolean().default(false),
  username: text.optional(),
  'password-env': envName.optional(),
});

const feed = z.strictObject({ secdb: text.optional(), osv: text.optional() });

const schedules = z.strictObject({
  rescan: duration.default(6 * 3_600_000),
  'update-check': duration.default(24 * 3_600_000),
});

/** `larder.yaml` before the checks across keys and of the file system. */
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
  schedules: schedules.default(schedules.parse({})),
  server: z.strictObject({ 'public-reads': z.boolean().default(true) }).default({ 'public-reads': true }),
});

export type FactoryConfigInput = z.output<typeof factoryConfigSchema>;
