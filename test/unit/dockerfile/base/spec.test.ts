import { describe, expect, it } from 'vitest';
import { LarderError } from '../../../../src/core/index.js';
import { parseBaseSpec, resolveRepositoryLine } from '../../../../src/dockerfile/base/index.js';
import { prng } from '../../../kit/prng.js';

const CTX = '/ctx';

describe('parseBaseSpec', () => {
  it.each([
    ['larder:images/base.yaml', { kind: 'config', path: '/ctx/images/base.yaml' }],
    ['./out', { kind: 'layout', dir: '/ctx/out' }],
    ['../other/out', { kind: 'layout', dir: '/other/out' }],
    ['/abs/out', { kind: 'layout', dir: '/abs/out' }],
    ['oci:out', { kind: 'layout', dir: '/ctx/out' }],
    ['oci:out:base:latest', { kind: 'layout', dir: '/ctx/out', tag: 'base:latest' }],
    ['oci:/abs/out:v1', { kind: 'layout', dir: '/abs/out', tag: 'v1' }],
    [
      'alpine:3.20',
      { kind: 'registry', ref: { registry: 'docker.io', repository: 'library/alpine', tag: '3.20' } },
    ],
    [
      `127.0.0.1:5000/team/app@sha256:${'a'.repeat(64)}`,
      {
        kind: 'registry',
        ref: { registry: '127.0.0.1:5000', repository: 'team/app', digest: `sha256:${'a'.repeat(64)}` },
      },
    ],
  ])('%s', (spec, expected) => {
    expect(parseBaseSpec(spec, CTX)).toEqual(expected);
  });

  it.each(['', '  ', 'larder:', 'oci:', 'oci:out:', 'UPPER/Case', 'a b', 'x@sha256:12'])(
    'refuses %j',
    (spec) => {
      const err = (() => {
        try {
          parseBaseSpec(spec, CTX);
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(LarderError);
      expect((err as LarderError).code).toBe('DOCKERFILE_INVALID');
      expect((err as LarderError).message).toContain(JSON.stringify(spec));
    },
  );

  it('random specs give a spec or DOCKERFILE_INVALID, nothing else (seeded)', () => {
    const random = prng(7);
    const chars = 'abcAB01:/.@_-~ $'.split('');
    for (let i = 0; i < 3000; i++) {
      const spec = Array.from(
        { length: Math.floor(random() * 24) },
        () => chars[Math.floor(random() * chars.length)],
      ).join('');
      try {
        const parsed = parseBaseSpec(spec, CTX);
        expect(['config', 'layout', 'registry']).toContain(parsed.kind);
      } catch (e) {
        expect((e as LarderError).code).toBe('DOCKERFILE_INVALID');
      }
    }
  });

  it('repository lines: relative local paths from the context, tags and URLs kept', () => {
    expect(resolveRepositoryLine('./repo', CTX)).toBe('/ctx/repo');
    expect(resolveRepositoryLine('@local ./repo', CTX)).toBe('@local /ctx/repo');
    expect(resolveRepositoryLine('https://x/y', CTX)).toBe('https://x/y');
    expect(resolveRepositoryLine('file:///r', CTX)).toBe('file:///r');
    expect(resolveRepositoryLine('/abs', CTX)).toBe('/abs');
  });
});
