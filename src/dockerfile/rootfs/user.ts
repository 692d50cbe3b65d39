import { readFile } from 'node:fs/promises';
import { LarderError } from '../../core/index.js';
import { hostPath, resolveInRoot } from './scoped-path.js';

/** A Dockerfile USER resolved against the image's /etc/passwd and /etc/group. */
export interface ResolvedUser {
  readonly uid: number;
  readonly gid: number;
  /** The passwd entry's name, when there is one. */
  readonly name?: string;
  /** The passwd entry's home directory, `/` without one (as runc does). */
  readonly home: string;
}

const NUMERIC = /^[0-9]+$/;
const MAX_ID = 2 ** 32 - 2;

async function readImageFile(root: string, path: string): Promise<string[]> {
  const scoped = await resolveInRoot(root, path);
  if (!scoped.exists) return [];
  try {
    return (await readFile(hostPath(root, scoped), 'utf8')).split('\n');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new LarderError('IO', `cannot read ${path} of the image: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

function id(text: string, spec: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n > MAX_ID)
    throw new LarderError('DOCKERFILE_STEP_FAILED', `USER ${spec}: ${text} is not a valid id`, {
      subject: spec,
    });
  return n;
}

/**
 * Resolves `name`, `uid`, `name:group`, `uid:gid` (and mixes) as Docker (runc's GetExecUser)
 * does: a name must exist in the image's /etc/passwd (a group name in /etc/group), a number
 * need not; without a group the passwd entry's gid is used, 0 when there is no entry.
 * Throws DOCKERFILE_STEP_FAILED with Docker's wording for unknown names.
 */
export async function resolveUser(root: string, spec: string): Promise<ResolvedUser> {
  const colon = spec.indexOf(':');
  const userPart = colon < 0 ? spec : spec.slice(0, colon);
  const groupPart = colon < 0 ? undefined : spec.slice(colon + 1);
  if (userPart === '')
    throw new LarderError('DOCKERFILE_STEP_FAILED', `USER ${JSON.stringify(spec)}: no user`, {
      subject: spec,
    });
  const passwd = (await readImageFile(root, '/etc/passwd'))
    .map((line) => line.split(':'))
    .filter((f) => f.length >= 4 && NUMERIC.test(f[2]!) && NUMERIC.test(f[3]!));
  const numeric = NUMERIC.test(userPart);
  const entry = passwd.find((f) => (numeric ? Number(f[2]) === Number(userPart) : f[0] === userPart));
  if (entry === undefined && !numeric)
    throw new LarderError(
      'DOCKERFILE_STEP_FAILED',
      `unable to find user ${userPart}: no matching entries in passwd file`,
      { subject: spec },
    );
  const uid = numeric ? id(userPart, spec) : Number(entry![2]);
  let gid = entry === undefined ? 0 : Number(entry[3]);
  if (groupPart !== undefined && groupPart !== '') {
    if (NUMERIC.test(groupPart)) gid = id(groupPart, spec);
    else {
      const group = (await readImageFile(root, '/etc/group'))
        .map((line) => line.split(':'))
        .find((f) => f.length >= 3 && f[0] === groupPart && NUMERIC.test(f[2]!));
      if (group === undefined)
        throw new LarderError(
          'DOCKERFILE_STEP_FAILED',
          `unable to find group ${groupPart}: no matching entries in group file`,
          { subject: spec },
        );
      gid = Number(group[2]);
    }
  }
  return {
    uid,
    gid,
    ...(entry !== undefined ? { name: entry[0]! } : {}),
    home: entry?.[5] !== undefined && entry[5] !== '' ? entry[5] : '/',
  };
}
