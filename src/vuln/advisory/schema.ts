/**
 * zod schemas of advisory documents over plain data (every scalar is text, see plain-yaml.ts),
 * strict at every level as wolfictl's decoder is (unknown keys are errors), turning the YAML
 * spelling (`fixed-version`) into the model's (`fixedVersion`).
 */
import { z } from 'zod';
import { versionProblem } from '../../apk/index.js';
import { isAdvisoryId, isAliasId } from './ids.js';
import { FALSE_POSITIVE_TYPES } from './model.js';
import { timestampProblem } from './time.js';

/** Why `version` cannot be a fixed version: apk must accept it and it must end in one `-rN`. */
export function fixedVersionProblem(version: string): string | undefined {
  if (version === '') return 'fixed-version must not be empty';
  const problem = versionProblem(version);
  if (problem !== undefined) return `invalid fixed-version '${version}': ${problem}`;
  if (!/-r[0-9]+$/.test(version))
    return `fixed-version '${version}' must be a full version with its epoch (-rN)`;
  // apk-tools 2.14 accepts `1.1.0-r1-r0` (one real Wolfi value), but no package has such a version.
  if (version.indexOf('-') !== version.lastIndexOf('-'))
    return `invalid fixed-version '${version}': more than one -rN epoch`;
  return undefined;
}

/** A string that passes `check` (which returns why not). */
function checked(check: (value: string) => string | undefined) {
  return z.string().superRefine((value, ctx) => {
    const problem = check(value);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  });
}

const notEmpty = (field: string) =>
  checked((v) => (v.trim() === '' ? `${field} must not be empty` : undefined));

const timestamp = checked(timestampProblem);

const fixedVersion = checked(fixedVersionProblem);

/** CPE 2.3 formatted string: `cpe:2.3:` then 11 more components (`\:` escapes a colon). */
const cpe = checked((v) =>
  /^cpe:2\.3:[aho*-](:(?:[^:\\]|\\.)*){10}$/.test(v) ? undefined : `'${v}' is not a CPE 2.3 formatted string`,
);

const scanDetection = z.strictObject({
  subpackageName: notEmpty('subpackageName'),
  componentID: notEmpty('componentID'),
  componentName: notEmpty('componentName'),
  componentVersion: notEmpty('componentVersion'),
  componentType: notEmpty('componentType'),
  componentLocation: notEmpty('componentLocation'),
  scanner: notEmpty('scanner'),
});

const detection = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('manual') }),
  z.strictObject({ type: z.literal('nvdapi'), data: z.strictObject({ cpeSearched: cpe, cpeFound: cpe }) }),
  z.strictObject({ type: z.literal('scan/v1'), data: scanDetection }),
]);

const noteRequired = z.strictObject({ note: notEmpty('note') });

const falsePositiveType = z.enum(FALSE_POSITIVE_TYPES);

/** One event; `type` picks the shape of `data`. */
export const eventSchema = z.discriminatedUnion('type', [
  z.strictObject({ timestamp, type: z.literal('detection'), data: detection }),
  z.strictObject({
    timestamp,
    type: z.literal('true-positive-determination'),
    data: z.strictObject({ note: z.string().exactOptional() }).exactOptional(),
  }),
  z.strictObject({
    timestamp,
    type: z.literal('fixed'),
    data: z
      .strictObject({ 'fixed-version': fixedVersion })
      .transform((d) => ({ fixedVersion: d['fixed-version'] })),
  }),
  z.strictObject({
    timestamp,
    type: z.literal('false-positive-determination'),
    data: z.strictObject({ type: falsePositiveType, note: z.string().exactOptional() }),
  }),
  z.strictObject({ timestamp, type: z.literal('pending-upstream-fix'), data: noteRequired }),
  z.strictObject({ timestamp, type: z.literal('fix-not-planned'), data: noteRequired }),
  z.strictObject({ timestamp, type: z.literal('analysis-not-planned'), data: noteRequired }),
]);

const advisoryId = checked((v) =>
  isAdvisoryId(v) ? undefined : `'${v}' is not a CGA id (CGA-xxxx-xxxx-xxxx)`,
);

const alias = checked((v) => (isAliasId(v) ? undefined : `'${v}' is not a CVE, GHSA or Go vulnerability id`));

const advisory = z.strictObject({
  id: advisoryId,
  aliases: z.array(alias).exactOptional(),
  events: z.array(eventSchema).min(1, 'an advisory has at least one event'),
});

const schemaVersion = checked((v) =>
  /^2(\.[0-9]+){0,2}$/.test(v) ? undefined : `schema-version '${v}' is not 2.x (larder reads schema 2)`,
);

/** The whole document. */
export const documentSchema = z.strictObject({
  'schema-version': schemaVersion,
  package: z.strictObject({ name: notEmpty('package name') }),
  advisories: z
    .array(advisory)
    .min(1, 'a document has at least one advisory (wolfictl: this file should not exist otherwise)'),
});

/** The plain data the document schema accepts. */
export type DocumentData = z.output<typeof documentSchema>;
