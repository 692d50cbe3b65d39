/** The tags of a git repository (a URL, a local path or `file://`), read with `git ls-remote`. */
import { execFile } from 'node:child_process';
import { LarderError } from '../../../core/index.js';
import { redactUrl } from '../../../repo/index.js';

/**
 * Tag names of `repository`, sorted, annotated tags' `^{}` lines folded into their tag.
 * @throws LarderError FETCH_FAILED naming the repository and git's message.
 */
export function gitTags(repository: string, signal?: AbortSignal): Promise<string[]> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      ['ls-remote', '--tags', '--', repository],
      {
        env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1', LC_ALL: 'C' },
        timeout: 120_000,
        maxBuffer: 64 * 1024 * 1024,
        ...(signal !== undefined ? { signal } : {}),
      },
      (err, stdout, stderr) => {
        if (err) {
          const why = String(stderr).trim() || err.message;
          reject(
            new LarderError('FETCH_FAILED', `git ls-remote --tags ${redactUrl(repository)}: ${why}`, {
              subject: redactUrl(repository),
              cause: err,
            }),
          );
          return;
        }
        resolve(parseLsRemoteTags(String(stdout)));
      },
    );
  });
}

/** Tag names in `git ls-remote --tags` output (`<sha>\trefs/tags/<name>[^{}]`), sorted, unique. */
export function parseLsRemoteTags(output: string): string[] {
  const names = new Set<string>();
  for (const line of output.split('\n')) {
    const ref = line.split('\t')[1];
    if (ref === undefined || !ref.startsWith('refs/tags/')) continue;
    const name = ref.slice('refs/tags/'.length).replace(/\^\{\}$/, '');
    if (name !== '') names.add(name);
  }
  return [...names].sort();
}
