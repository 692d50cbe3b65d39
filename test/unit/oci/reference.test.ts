import { describe, expect, it } from 'vitest';
import {
  familiarImageReference,
  formatImageReference,
  parseImageReference,
  withDefaultTag,
} from '../../../src/oci/index.js';
import { rejectsWith } from './helpers.js';

const D = `sha256:${'a'.repeat(64)}`;

// [input, registry, repository, tag, digest, familiar]
const VALID: Array<[string, string, string, string | undefined, string | undefined, string]> = [
  ['alpine', 'docker.io', 'library/alpine', undefined, undefined, 'alpine'],
  ['alpine:3.20', 'docker.io', 'library/alpine', '3.20', undefined, 'alpine:3.20'],
  ['library/alpine', 'docker.io', 'library/alpine', undefined, undefined, 'alpine'],
  ['docker.io/alpine', 'docker.io', 'library/alpine', undefined, undefined, 'alpine'],
  ['index.docker.io/team/app:1', 'docker.io', 'team/app', '1', undefined, 'team/app:1'],
  ['team/app', 'docker.io', 'team/app', undefined, undefined, 'team/app'],
  ['library/a/b', 'docker.io', 'library/a/b', undefined, undefined, 'library/a/b'],
  ['localhost/app', 'localhost', 'app', undefined, undefined, 'localhost/app'],
  ['localhost:5000/app:t', 'localhost:5000', 'app', 't', undefined, 'localhost:5000/app:t'],
  ['127.0.0.1:39999/x:t', '127.0.0.1:39999', 'x', 't', undefined, '127.0.0.1:39999/x:t'],
  ['[::1]:5000/x', '[::1]:5000', 'x', undefined, undefined, '[::1]:5000/x'],
  ['Registry/x', 'Registry', 'x', undefined, undefined, 'Registry/x'],
  [
    'cgr.dev/chainguard/static:latest',
    'cgr.dev',
    'chainguard/static',
    'latest',
    undefined,
    'cgr.dev/chainguard/static:latest',
  ],
  [`ghcr.io/o/r@${D}`, 'ghcr.io', 'o/r', undefined, D, `ghcr.io/o/r@${D}`],
  [`alpine:3@${D}`, 'docker.io', 'library/alpine', '3', D, `alpine:3@${D}`],
  ['a.b-c/x__y/z--w.v:T_1.-x', 'a.b-c', 'x__y/z--w.v', 'T_1.-x', undefined, 'a.b-c/x__y/z--w.v:T_1.-x'],
];

const INVALID: Array<[string, string]> = [
  ['', 'empty'],
  ['Alpine', 'lowercase'],
  ['alpine:', 'tag'],
  ['alpine:-x', 'tag'],
  [`alpine:${'t'.repeat(129)}`, 'tag'],
  ['alpine@sha256:abc', '64 lowercase hex'],
  [`alpine@sha256:${'A'.repeat(64)}`, '64 lowercase hex'],
  ['alpine@notadigest', 'digest'],
  ['a//b', 'path component'],
  ['a/z-_-w', 'path component'],
  ['a/b/', 'path component'],
  ['-a', 'path component'],
  ['a-/b', 'path component'],
  ['host.io/', 'empty'],
  ['bad_host.io/x', 'registry'],
  [`x/${'a'.repeat(260)}`, 'longer than 255'],
];

describe('parseImageReference', () => {
  it.each(VALID)('%s', (input, registry, repository, tag, digest, familiar) => {
    const ref = parseImageReference(input);
    expect(ref).toEqual({
      registry,
      repository,
      ...(tag === undefined ? {} : { tag }),
      ...(digest === undefined ? {} : { digest }),
    });
    expect(familiarImageReference(ref)).toBe(familiar);
    expect(parseImageReference(formatImageReference(ref))).toEqual(ref);
  });

  it.each(INVALID)('rejects %j (%s)', async (input, why) => {
    const err = await rejectsWith(() => parseImageReference(input), 'USAGE');
    expect(err.message).toContain(JSON.stringify(input));
    expect(err.message).toContain(why);
  });

  it('adds latest only when asked and only without tag or digest', () => {
    expect(withDefaultTag(parseImageReference('alpine')).tag).toBe('latest');
    expect(withDefaultTag(parseImageReference('alpine:1')).tag).toBe('1');
    expect(withDefaultTag(parseImageReference(`alpine@${D}`)).tag).toBeUndefined();
    expect(formatImageReference(withDefaultTag(parseImageReference('alpine')))).toBe(
      'docker.io/library/alpine:latest',
    );
  });
});
