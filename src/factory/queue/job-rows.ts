import type { Selectable } from 'kysely';
import { LarderError } from '../../core/index.js';
import type { StoreSchema } from '../../store/index.js';
import type { JobKind, JobRecord, JobSpec, JobStatus } from '../model.js';

/** A factory_jobs row as read. */
export type JobRow = Selectable<StoreSchema['factory_jobs']>;

export const JOB_KINDS: readonly JobKind[] = ['build', 'compose', 'rescan', 'update-check'];
export const JOB_STATUSES: readonly JobStatus[] = ['pending', 'running', 'succeeded', 'failed'];

/** Reads a JSON column the queue wrote; anything else means the store was tampered with. */
function json(row: JobRow, column: 'payload' | 'after' | 'result', text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new LarderError(
      'STORE_INVALID',
      `factory_jobs id ${row.id} (${row.key}): column ${column} is not JSON: ${JSON.stringify(text.slice(0, 60))}`,
      { cause: err, subject: row.key },
    );
  }
}

/** The JobRecord of a row (optional fields left out when null). */
export function jobRecordOf(row: JobRow): JobRecord {
  const payload = json(row, 'payload', row.payload);
  const after = json(row, 'after', row.after);
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
    throw new LarderError(
      'STORE_INVALID',
      `factory_jobs id ${row.id} (${row.key}): payload is not an object`,
      {
        subject: row.key,
      },
    );
  if (!Array.isArray(after) || !after.every((k) => typeof k === 'string'))
    throw new LarderError(
      'STORE_INVALID',
      `factory_jobs id ${row.id} (${row.key}): after is not a list of keys`,
      {
        subject: row.key,
      },
    );
  if (!(JOB_STATUSES as readonly string[]).includes(row.status))
    throw new LarderError(
      'STORE_INVALID',
      `factory_jobs id ${row.id} (${row.key}): unknown status ${JSON.stringify(row.status)}`,
      { subject: row.key },
    );
  return {
    id: Number(row.id),
    key: row.key,
    kind: row.kind as JobKind,
    payload: payload as Record<string, unknown>,
    priority: Number(row.priority),
    after: after as string[],
    status: row.status as JobStatus,
    attempts: Number(row.attempts),
    maxAttempts: Number(row.max_attempts),
    createdAt: row.created_at,
    runAfter: row.run_after,
    ...(row.started_at === null ? {} : { startedAt: row.started_at }),
    ...(row.finished_at === null ? {} : { finishedAt: row.finished_at }),
    ...(row.worker === null ? {} : { worker: row.worker }),
    ...(row.lease_until === null ? {} : { leaseUntil: row.lease_until }),
    ...(row.error === null ? {} : { error: row.error }),
    ...(row.result === null ? {} : { result: json(row, 'result', row.result) as Record<string, unknown> }),
  };
}

/**
 * Checks a spec before it is queued: a known kind, a key `<kind>:<rest>`, integer priority,
 * `after` keys that are non-empty and not the job itself. Names the spec's position and key.
 */
export function checkJobSpec(spec: JobSpec, index: number): void {
  const where = `job ${index + 1}${typeof spec.key === 'string' ? ` (${JSON.stringify(spec.key)})` : ''}`;
  const bad = (message: string): never => {
    throw new LarderError(
      'JOB_INVALID',
      `${where}: ${message}`,
      typeof spec.key === 'string' ? { subject: spec.key } : {},
    );
  };
  if (!(JOB_KINDS as readonly unknown[]).includes(spec.kind))
    bad(`kind ${JSON.stringify(spec.kind)} is not one of ${JOB_KINDS.join(', ')}`);
  if (
    typeof spec.key !== 'string' ||
    !spec.key.startsWith(`${spec.kind}:`) ||
    spec.key.length <= spec.kind.length + 1
  )
    bad(`key must be "${spec.kind}:<what it produces>"`);
  if (typeof spec.payload !== 'object' || spec.payload === null || Array.isArray(spec.payload))
    bad('payload must be an object');
  if (spec.priority !== undefined && !Number.isSafeInteger(spec.priority))
    bad(`priority ${JSON.stringify(spec.priority)} is not an integer`);
  for (const key of spec.after ?? []) {
    if (typeof key !== 'string' || key === '') bad(`after holds ${JSON.stringify(key)}, not a job key`);
    if (key === spec.key) bad('a job cannot wait for itself');
  }
}
