import { describe, expect, it } from 'vitest';
import { BuildArgs, platformArgs } from '../../../../src/dockerfile/build/build-args.js';
import { parseDuration } from '../../../../src/dockerfile/build/metadata.js';
import { simpleWords } from '../../../../src/dockerfile/build/run.js';

describe('BuildArgs', () => {
  it('scopes global args, build args and stage declarations as BuildKit does', () => {
    const args = new BuildArgs({ VERSION: '2', UNUSED: 'x', HTTP_PROXY: 'http://p' }, platformArgs('x86_64'));
    args.declareGlobal('VERSION', '1');
    args.declareGlobal('BASE', 'img');
    expect(args.global.get('VERSION')).toBe('2');
    expect(args.global.get('BASE')).toBe('img');
    expect(args.global.get('TARGETARCH')).toBe('amd64');
    expect(args.stageValue('BASE', undefined)).toBe('img');
    expect(args.stageValue('OTHER', 'd')).toBe('d');
    expect(args.stageValue('OTHER', undefined)).toBeUndefined();
    expect(args.proxies()).toEqual({ HTTP_PROXY: 'http://p' });
    expect(args.unused()).toEqual(['UNUSED']);
  });

  it('gives the platform args for arm64', () => {
    expect(platformArgs('aarch64')).toMatchObject({
      TARGETPLATFORM: 'linux/arm64',
      TARGETARCH: 'arm64',
      TARGETOS: 'linux',
    });
  });
});

describe('parseDuration', () => {
  it.each([
    ['30s', 30e9],
    ['1m30s', 90e9],
    ['500ms', 5e8],
    ['1h', 3600e9],
    ['0', 0],
    ['1.5s', 1.5e9],
  ])('%s', (text, ns) => expect(parseDuration(text)).toBe(ns));
  it.each(['', '5', 's', '1x', '1s ', '-1s'])('refuses %j', (text) =>
    expect(parseDuration(text)).toBeUndefined(),
  );
});

describe('simpleWords', () => {
  it.each([
    ['apk add --no-cache curl', ['apk', 'add', '--no-cache', 'curl']],
    ['apk add \'a=1.0-r0\' "b"', ['apk', 'add', 'a=1.0-r0', 'b']],
    ['  apk   add x  ', ['apk', 'add', 'x']],
  ])('%j is one simple command', (text, words) => expect(simpleWords(text)).toEqual(words));
  it.each([
    'apk add $PKG',
    'apk update && apk add x',
    'apk add x; echo',
    'apk add x > /log',
    'apk add "$X"',
    'apk add x*',
    'apk add `x`',
    'apk add x # comment',
    "apk add 'unterminated",
    '',
  ])('%j needs a shell', (text) => expect(simpleWords(text)).toBeUndefined());
});
