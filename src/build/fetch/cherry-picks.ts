/**
 * The `cherry-picks` input of git-checkout: one `[branch/]commit: comment` per line, `#`
 * starting a comment, empty lines ignored; each commit is cherry-picked with `-x`, committed at
 * SOURCE_DATE_EPOCH (at least 1980-01-01, as melange does), after fetching its branch once.
 */
import { LarderError } from '../../core/index.js';
import { git } from './git-run.js';

/** One cherry-pick line. */
export interface CherryPick {
  /** The branch on origin the commit lives on ('' when not given). */
  readonly branch: string;
  readonly commit: string;
  readonly comment: string;
}

/**
 * Parses the input.
 * @throws LarderError PIPELINE_INVALID naming the line when it has no `:` or no comment.
 */
export function parseCherryPicks(text: string, label: string): CherryPick[] {
  const picks: CherryPick[] = [];
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.split('#')[0]!.trim();
    if (line === '') continue;
    const colon = line.indexOf(':');
    const where = `${label}: input cherry-picks line ${index + 1}`;
    if (colon < 0)
      throw new LarderError(
        'PIPELINE_INVALID',
        `${where}: expected '[branch/]commit: comment', got '${line}'`,
      );
    const ref = line.slice(0, colon).trim();
    const comment = line.slice(colon + 1).trim();
    if (comment === '')
      throw new LarderError('PIPELINE_INVALID', `${where}: the comment is empty in '${line}'`);
    const slash = ref.lastIndexOf('/');
    const commit = ref.slice(slash + 1);
    if (commit === '') throw new LarderError('PIPELINE_INVALID', `${where}: no commit in '${line}'`);
    picks.push({ branch: slash < 0 ? '' : ref.slice(0, slash), commit, comment });
  }
  return picks;
}

/** The committer date melange uses: SOURCE_DATE_EPOCH, but never before 1980. */
export function cherryPickDate(sourceDateEpoch: string | undefined): number {
  const epoch = Number(sourceDateEpoch ?? '0');
  return Number.isFinite(epoch) && epoch >= 315532800 ? Math.floor(epoch) : 315532800;
}

/** Applies the picks in `dir`; returns one message per pick. */
export async function applyCherryPicks(
  dir: string,
  picks: readonly CherryPick[],
  sourceDateEpoch: string | undefined,
  label: string,
): Promise<string[]> {
  const messages: string[] = [];
  const fetched = new Set<string>();
  const env = { GIT_COMMITTER_DATE: `@${cherryPickDate(sourceDateEpoch)} +0000` };
  for (const pick of picks) {
    try {
      if (pick.branch !== '' && !fetched.has(pick.branch)) {
        const shallow = (await git(['rev-parse', '--is-shallow-repository'], { cwd: dir })) === 'true';
        await git(['fetch', ...(shallow ? ['--unshallow'] : []), 'origin', `${pick.branch}:${pick.branch}`], {
          cwd: dir,
        });
        fetched.add(pick.branch);
      }
      await git(['cherry-pick', '-x', pick.commit], { cwd: dir, env });
    } catch (err) {
      const from = pick.branch === '' ? '' : ` from branch ${pick.branch}`;
      throw new LarderError(
        'FETCH_FAILED',
        `${label}: cherry-pick of ${pick.commit}${from} failed: ${(err as Error).message}`,
        {
          cause: err,
        },
      );
    }
    messages.push(`git-checkout: cherry-picked ${pick.commit} (${pick.comment})`);
  }
  return messages;
}
