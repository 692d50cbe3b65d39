/** The plan under construction: each rule appends to it; `planWork` freezes it into a PlanResult. */
import type { JobSpec } from '../model.js';
import type { Admission } from './records.js';
import type { BlockedJob, HeldWork, PlanProblem } from './result.js';

export class PlanSink {
  readonly jobs: JobSpec[] = [];
  readonly reasons: Record<string, readonly string[]> = {};
  readonly inFlight: string[] = [];
  readonly blocked: BlockedJob[] = [];
  readonly held: HeldWork[] = [];
  readonly problems: PlanProblem[] = [];
  readonly exposed: string[] = [];
  private readonly keys = new Set<string>();

  /** Applies an admission to a wanted job; returns what became of it. Keys are never added twice. */
  offer(job: JobSpec, reasons: readonly string[], admission: Admission, subject: string): Admission['kind'] {
    if (this.keys.has(job.key)) return admission.kind;
    this.keys.add(job.key);
    switch (admission.kind) {
      case 'plan':
        this.jobs.push(job);
        this.reasons[job.key] = reasons;
        break;
      case 'in-flight':
        this.inFlight.push(job.key);
        break;
      case 'blocked':
        this.blocked.push({ key: job.key, subject, reason: admission.reason });
        break;
      case 'stale':
        this.problems.push({
          subject,
          message: `${job.key} succeeded but the recorded state does not show its result (${reasons.join('; ')})`,
        });
        break;
    }
    return admission.kind;
  }
}
