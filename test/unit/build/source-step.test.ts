import { describe, expect, it } from 'vitest';
import { cherryPickDate, parseCherryPicks } from '../../../src/build/fetch/cherry-picks.js';
import { artifactName } from '../../../src/build/fetch/fetch-step.js';
import { gitCheckoutRequest } from '../../../src/build/fetch/git-checkout-request.js';
import { hostPath, type SourceStepInput } from '../../../src/build/fetch/source-step.js';

const git = (inputs: Record<string, string>, workdir = '/home/build'): SourceStepInput => ({
  kind: 'git-checkout',
  name: 'git-checkout',
  workdir,
  inputs,
});

describe('source steps: inputs', () => {
  it('names the artifact after the last URL or path segment', () => {
    expect(artifactName('https://example.com/dl/foo-1.0.tar.gz?x=1')).toBe('foo-1.0.tar.gz');
    expect(artifactName('file:///srv/src/a%20b.tgz')).toBe('a b.tgz');
    expect(artifactName('./sources/bar.zip')).toBe('bar.zip');
    expect(artifactName('https://example.com/')).toBe('');
  });

  it('maps guest directories into the workspace and refuses escapes', () => {
    const context = { workspace: '/tmp/ws' };
    expect(hostPath(context, git({}), 'L', 'destination', '.')).toBe('/tmp/ws');
    expect(hostPath(context, git({}, '/home/build/sub'), 'L', 'destination', 'src')).toBe('/tmp/ws/sub/src');
    expect(hostPath(context, git({}), 'L', 'destination', '..foo')).toBe('/tmp/ws/..foo');
    expect(() => hostPath(context, git({}), 'L', 'destination', '..')).toThrow(/leaves the workspace/);
    expect(() => hostPath(context, git({}, '/var/tmp'), 'L', 'working-directory', '.')).toThrow(
      /L: input working-directory: "." leaves the workspace \/home\/build \(resolved to \/var\/tmp\)/,
    );
  });

  it('defaults depth as melange: 1, or full history for branch + expected-commit', () => {
    const c = 'a'.repeat(40);
    expect(gitCheckoutRequest(git({ repository: 'r', tag: 'v1', 'expected-commit': c }), 'L').depth).toBe(1);
    expect(
      gitCheckoutRequest(git({ repository: 'r', branch: 'main', 'expected-commit': c }), 'L').depth,
    ).toBe(-1);
    expect(gitCheckoutRequest(git({ repository: 'r', branch: 'main', depth: 'unset' }), 'L').depth).toBe(1);
    const tip = {
      repository: 'r',
      branch: 'main',
      'expected-commit': c,
      'expected-commit-is-branch-tip': 'true',
    };
    expect(gitCheckoutRequest(git(tip), 'L').depth).toBe(1);
    expect(gitCheckoutRequest(git({ repository: 'r', depth: '50' }), 'L').depth).toBe(50);
  });

  it('rejects broken git-checkout inputs', () => {
    expect(() => gitCheckoutRequest(git({}), 'L')).toThrow(/L: input repository: "" is required/);
    expect(() => gitCheckoutRequest(git({ repository: 'r', depth: '0' }), 'L')).toThrow(/depth: "0"/);
    expect(() => gitCheckoutRequest(git({ repository: 'r', 'recurse-submodules': 'yes' }), 'L')).toThrow(
      /recurse-submodules: "yes" must be true or false/,
    );
    expect(() =>
      gitCheckoutRequest(git({ repository: 'r', tag: 'v1', 'expected-commit-is-branch-tip': 'true' }), 'L'),
    ).toThrow(/needs branch and expected-commit, and no tag/);
    expect(() => gitCheckoutRequest(git({ repository: 'r', 'submodule-jobs': '-2' }), 'L')).toThrow(
      /submodule-jobs: "-2" must be a non-negative integer/,
    );
  });

  it('parses cherry-picks lines and rejects broken ones', () => {
    expect(parseCherryPicks('\n# header\n3.10/abc123: fix crash # CVE\ndef456:  backport \n', 'L')).toEqual([
      { branch: '3.10', commit: 'abc123', comment: 'fix crash' },
      { branch: '', commit: 'def456', comment: 'backport' },
    ]);
    expect(parseCherryPicks('release/1.x/abc: c', 'L')[0]).toEqual({
      branch: 'release/1.x',
      commit: 'abc',
      comment: 'c',
    });
    expect(() => parseCherryPicks('abc123', 'L')).toThrow(/line 1: expected '\[branch\/\]commit: comment'/);
    expect(() => parseCherryPicks('ok: yes\nabc123:   ', 'L')).toThrow(/line 2: the comment is empty/);
    expect(() => parseCherryPicks('branch/: c', 'L')).toThrow(/no commit/);
  });

  it('commits cherry-picks at SOURCE_DATE_EPOCH, never before 1980', () => {
    expect(cherryPickDate(undefined)).toBe(315532800);
    expect(cherryPickDate('0')).toBe(315532800);
    expect(cherryPickDate('1710000000')).toBe(1710000000);
    expect(cherryPickDate('junk')).toBe(315532800);
  });
});
