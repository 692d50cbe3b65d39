import { z } from 'zod';
import { OSV_EVENT } from './osv-events.js';

// The parts of the OSV schema (ossf.github.io/osv-schema, 1.x) larder reads. Go's encoder
// writes nil slices as null, so lists may be null. Range events are checked by a refinement
// (osv-events.ts) for clearer messages than a union gives.

const IDS = z.array(z.string().min(1)).nullable().optional();
const SEVERITY = z
  .array(z.object({ type: z.string(), score: z.string() }))
  .nullable()
  .optional();
const OBJECT = z.record(z.string(), z.unknown()).nullable().optional();

export const OSV_RANGE = z.object({
  type: z.enum(['SEMVER', 'ECOSYSTEM', 'GIT']),
  repo: z.string().optional(),
  events: z.array(OSV_EVENT).min(1),
  database_specific: OBJECT,
});

export const OSV_AFFECTED = z.object({
  package: z
    .object({ ecosystem: z.string().min(1), name: z.string().min(1), purl: z.string().optional() })
    .optional(),
  severity: SEVERITY,
  ranges: z.array(OSV_RANGE).nullable().optional(),
  versions: z.array(z.string()).nullable().optional(),
  ecosystem_specific: OBJECT,
  database_specific: OBJECT,
});

export const OSV_RECORD = z.object({
  schema_version: z.string().optional(),
  id: z.string().min(1),
  modified: z.string().min(1),
  published: z.string().optional(),
  withdrawn: z.string().optional(),
  aliases: IDS,
  related: IDS,
  upstream: IDS,
  summary: z.string().optional(),
  details: z.string().optional(),
  severity: SEVERITY,
  affected: z.array(OSV_AFFECTED).nullable().optional(),
  references: z
    .array(z.object({ type: z.string(), url: z.string() }))
    .nullable()
    .optional(),
  database_specific: OBJECT,
});

export type OsvRecord = z.infer<typeof OSV_RECORD>;
export type OsvAffected = z.infer<typeof OSV_AFFECTED>;
export type OsvRange = z.infer<typeof OSV_RANGE>;
