/**
 * The API's request and response shapes (zod 4): the handlers parse requests with them, the
 * tests check responses against them, and the OpenAPI document is generated from them.
 */
import { z } from 'zod';
import { isValidVersion } from '../../apk/index.js';
import { ADVISORY_PACKAGE, ADVISORY_TYPES, MAX_ADVISORY_NOTE } from './advisory-fields.js';

export const ErrorBody = z.object({
  error: z.object({
    /** `BAD_REQUEST`, `UNAUTHORIZED`, `NOT_FOUND`, or a larder error code. */
    code: z.string(),
    message: z.string(),
    /** The request field at fault (`body.fixedVersion`, `query.limit`). */
    field: z.string().optional(),
  }),
});

const JobStatus = z.enum(['pending', 'running', 'succeeded', 'failed']);
const JobKind = z.enum(['build', 'compose', 'rescan', 'update-check']);
const Json = z.record(z.string(), z.unknown());

export const Job = z.object({
  id: z.number().int(),
  key: z.string(),
  kind: JobKind,
  payload: Json,
  priority: z.number().optional(),
  after: z.array(z.string()).optional(),
  status: JobStatus,
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  createdAt: z.string(),
  runAfter: z.string(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  worker: z.string().optional(),
  leaseUntil: z.string().optional(),
  error: z.string().optional(),
  result: Json.optional(),
});
export const JobList = z.object({ jobs: z.array(Job) });

export const JobLogLine = z.object({ seq: z.number().int().min(1), at: z.string(), line: z.string() });

/** A package as a worker's publish answers it. */
export const PublishedPackage = z.object({
  name: z.string(),
  version: z.string(),
  arch: z.string(),
  origin: z.string(),
  checksum: z.string(),
  size: z.number(),
});
/** A published package as the repository lists it. */
export const Package = PublishedPackage.extend({
  buildKey: z.string().optional(),
  publishedAt: z.string(),
});
export const PackageList = z.object({ packages: z.array(Package) });
export const PackageVersions = z.object({ name: z.string(), versions: z.array(Package) });

export const BuildStatus = z.enum(['running', 'succeeded', 'failed']);
export const Build = z.object({
  key: z.string(),
  recipe: z.string(),
  version: z.string(),
  arch: z.string(),
  recipeHash: z.string(),
  status: BuildStatus,
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  logPath: z.string().optional(),
  error: z.string().optional(),
});
export const BuildList = z.object({ builds: z.array(Build) });

export const ImageVersion = z.object({
  id: z.number().int(),
  image: z.string(),
  indexDigest: z.string(),
  digests: z.record(z.string(), z.string()),
  lockHash: z.string(),
  configHash: z.string(),
  feedVersion: z.string().optional(),
  publishedAt: z.string(),
  signed: z.boolean(),
  attested: z.boolean(),
});

export const Finding = z.object({
  id: z.number().int(),
  image: z.string(),
  imageDigest: z.string(),
  vulnId: z.string(),
  aliases: z.array(z.string()),
  package: z.string(),
  origin: z.string(),
  fixedIn: z.string().optional(),
  state: z.enum(['open', 'fixed', 'not-affected', 'awaiting-fix']),
  firstSeen: z.string(),
  resolvedAt: z.string().optional(),
});
export const FindingList = z.object({ findings: z.array(Finding) });

export const ImageSummary = z.object({
  name: z.string(),
  configFile: z.string(),
  publish: z.array(z.string()),
  policy: z.string(),
  latest: ImageVersion.optional(),
  openFindings: z.number().int(),
});
export const ImageList = z.object({ images: z.array(ImageSummary) });
export const ImageDetail = ImageSummary.extend({
  configHash: z.string(),
  history: z.array(ImageVersion),
  findings: z.array(Finding),
});

export const AdvisoryState = z.object({
  package: z.string(),
  id: z.string(),
  aliases: z.array(z.string()),
  state: z.string(),
  updatedAt: z.string(),
});
export const AdvisoryList = z.object({ advisories: z.array(AdvisoryState) });

export { ADVISORY_TYPES };

/** POST /api/advisories: one event of an advisory (AdvisoryInput). */
export const AdvisoryInputBody = z
  .strictObject({
    package: z.string().regex(ADVISORY_PACKAGE, 'a package name (letters, digits, . _ + -)'),
    vulnerability: z
      .string()
      .regex(
        /^[A-Z][A-Z0-9]*-[A-Za-z0-9][A-Za-z0-9:._-]*$/,
        'an id like CVE-2024-1234 or GHSA-xxxx-xxxx-xxxx',
      ),
    type: z.enum(ADVISORY_TYPES),
    fixedVersion: z.string().refine(isValidVersion, 'an apk version like 1.2.3-r1').optional(),
    note: z.string().min(1).max(MAX_ADVISORY_NOTE).optional(),
    falsePositiveType: z
      .string()
      .regex(/^[a-z][a-z-]*$/, 'a false-positive type like vulnerable-code-not-in-execution-path')
      .optional(),
  })
  .superRefine((v, ctx) => {
    const need = (field: 'fixedVersion' | 'note' | 'falsePositiveType', why: string): void => {
      if (v[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: `required ${why}` });
    };
    const refuse = (field: 'fixedVersion' | 'falsePositiveType', why: string): void => {
      if (v[field] !== undefined)
        ctx.addIssue({ code: 'custom', path: [field], message: `not allowed ${why}` });
    };
    if (v.type === 'fixed') need('fixedVersion', 'when type is fixed');
    else refuse('fixedVersion', `when type is ${v.type} (only with fixed)`);
    if (v.type === 'false-positive-determination') {
      need('falsePositiveType', 'when type is false-positive-determination');
      need('note', 'when type is false-positive-determination');
    } else refuse('falsePositiveType', `when type is ${v.type}`);
    if (v.type === 'fix-not-planned' || v.type === 'analysis-not-planned')
      need('note', `when type is ${v.type}`);
  });
export const AdvisorySaved = z.object({ saved: AdvisoryInputBody });

export const Event = z.object({
  id: z.number().int(),
  at: z.string(),
  kind: z.string(),
  subject: z.string(),
  message: z.string(),
  details: Json.optional(),
});
export const EventList = z.object({ events: z.array(Event) });

const Counts = z.object({
  pending: z.number(),
  running: z.number(),
  succeeded: z.number(),
  failed: z.number(),
});
export const Status = z.object({
  reconciledAt: z.string().optional(),
  summary: z.array(z.string()),
  problems: z.array(z.string()),
  exposed: z.array(z.string()),
  feedVersion: z.string(),
  queue: Counts,
});
export const Accepted = z.object({ accepted: z.literal(true), reason: z.string() });

export const PublishedList = z.object({ published: z.array(PublishedPackage) });

const Limit = z
  .string()
  .regex(/^[1-9][0-9]{0,3}$/, 'a whole number from 1 to 9999')
  .optional();
const Cursor = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,15})$/, 'a whole number (an event or log line id)')
  .optional();

export const BuildsQuery = z.strictObject({
  recipe: z.string().min(1).optional(),
  status: BuildStatus.optional(),
  limit: Limit,
});
export const JobsQuery = z.strictObject({
  status: JobStatus.optional(),
  kind: JobKind.optional(),
  limit: Limit,
});
export const LogQuery = z.strictObject({ after: Cursor });
export const EventsQuery = z.strictObject({ after: Cursor, before: Cursor, limit: Limit });
export const StreamQuery = z.strictObject({ after: Cursor });
export const NoQuery = z.strictObject({});
