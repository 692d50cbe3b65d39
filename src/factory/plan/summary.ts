/** The human summary of a plan: one line per job and per thing not planned, in the plan's order. */
import type { JobSpec } from '../model.js';
import type { BlockedJob, HeldWork, PlanProblem } from './result.js';

export interface SummaryParts {
  readonly jobs: readonly JobSpec[];
  readonly reasons: Readonly<Record<string, readonly string[]>>;
  readonly inFlight: readonly string[];
  readonly blocked: readonly BlockedJob[];
  readonly held: readonly HeldWork[];
  readonly problems: readonly PlanProblem[];
  readonly exposed: readonly string[];
}

export function summarize(parts: SummaryParts): string {
  const lines: string[] = [];
  const counts = `${parts.jobs.length} jobs planned, ${parts.inFlight.length} in flight, ${parts.blocked.length} blocked, ${parts.held.length} held, ${parts.problems.length} problems`;
  lines.push(parts.jobs.length === 0 && parts.inFlight.length === 0 ? `nothing to do (${counts})` : counts);
  for (const job of parts.jobs) {
    const after = job.after && job.after.length > 0 ? ` [after ${job.after.join(', ')}]` : '';
    lines.push(`+ ${job.key}: ${(parts.reasons[job.key] ?? []).join('; ')}${after}`);
  }
  for (const key of parts.inFlight) lines.push(`~ ${key}: already pending or running`);
  for (const item of parts.blocked) lines.push(`! ${item.key}: blocked, ${item.reason}`);
  for (const item of parts.held) lines.push(`= ${item.subject}: held, ${item.reason}`);
  for (const item of parts.problems) lines.push(`x ${item.subject}: ${item.message}`);
  for (const image of parts.exposed) lines.push(`? image:${image}: exposed, awaiting a fix`);
  return lines.join('\n');
}
