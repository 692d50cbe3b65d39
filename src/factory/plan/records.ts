/** How a wanted key stands against the recorded jobs (rule 2: failed keys wait for new inputs). */
import type { RecordedJob } from './input.js';

export type Admission =
  | { readonly kind: 'plan' }
  /** Pending or running: not planned again; later jobs may wait on it. */
  | { readonly kind: 'in-flight' }
  /** Failed for good with these inputs, or pending behind such a failure. */
  | { readonly kind: 'blocked'; readonly reason: string }
  /** Succeeded, yet the recorded state still asks for it: the result was not recorded. */
  | { readonly kind: 'stale' };

/** The recorded jobs by key, with the pending ones that can never run (they wait on a failure). */
export class RecordIndex {
  private readonly byKey: ReadonlyMap<string, RecordedJob>;
  /** Pending key → the failed key it (transitively) waits on. */
  private readonly dead = new Map<string, string>();

  constructor(jobs: readonly RecordedJob[]) {
    this.byKey = new Map(jobs.map((job) => [job.key, job]));
    const waiting = jobs.filter((job) => job.status === 'pending' && (job.after?.length ?? 0) > 0);
    for (let changed = true; changed; ) {
      changed = false;
      for (const job of waiting) {
        if (this.dead.has(job.key)) continue;
        for (const key of job.after ?? []) {
          const cause = this.byKey.get(key)?.status === 'failed' ? key : this.dead.get(key);
          if (cause === undefined) continue;
          this.dead.set(job.key, cause);
          changed = true;
          break;
        }
      }
    }
  }

  admit(key: string): Admission {
    const record = this.byKey.get(key);
    if (!record) return { kind: 'plan' };
    switch (record.status) {
      case 'pending':
      case 'running': {
        const cause = this.dead.get(key);
        if (cause === undefined) return { kind: 'in-flight' };
        return {
          kind: 'blocked',
          reason: `pending behind ${cause}, which failed; waits for its inputs to change`,
        };
      }
      case 'succeeded':
        return { kind: 'stale' };
      case 'failed': {
        const when = record.finishedAt === undefined ? '' : ` at ${record.finishedAt}`;
        const tries = record.attempts === 1 ? '1 attempt' : `${record.attempts} attempts`;
        return { kind: 'blocked', reason: `failed after ${tries}${when}; waits for its inputs to change` };
      }
    }
  }

  get(key: string): RecordedJob | undefined {
    return this.byKey.get(key);
  }

  /** Build jobs (any key) pending or running that can still run. */
  unsettledBuilds(): number {
    let count = 0;
    for (const job of this.byKey.values()) {
      if (!job.key.startsWith('build:') || this.dead.has(job.key)) continue;
      if (job.status === 'pending' || job.status === 'running') count++;
    }
    return count;
  }
}
