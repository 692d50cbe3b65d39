/** The commit a git tag names, read with `git ls-remote` (annotated tags peeled). */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/**
 * The commit `refs/tags/<tag>` points to in `repository` (a URL or a local path), or undefined
 * when the tag is absent or the repository cannot be read.
 */
export async function tagCommit(repository: string, tag: string): Promise<string | undefined> {
  const ref = `refs/tags/${tag}`;
  try {
    const { stdout } = await exec('git', ['ls-remote', '--tags', repository, ref, `${ref}^{}`], {
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1', LC_ALL: 'C' },
      timeout: 60_000,
    });
    const refs = new Map(
      stdout
        .split('\n')
        .map((line) => line.split('\t'))
        .filter((f): f is [string, string] => f.length === 2)
        .map(([sha, name]) => [name, sha]),
    );
    return refs.get(`${ref}^{}`) ?? refs.get(ref);
  } catch {
    return undefined;
  }
}
