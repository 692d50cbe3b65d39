import { describe, expect, it } from 'vitest';
import { parseApkAddCommand } from '../../../../src/dockerfile/apk-add/index.js';
import { prng } from '../../../kit/prng.js';

const words = (s: string) => s.split(' ');

describe('parseApkAddCommand', () => {
  it.each([
    ['apk add curl', ['curl'], false, []],
    ['apk add --no-cache curl jq', ['curl', 'jq'], true, ['--no-cache']],
    ['apk --no-cache add curl', ['curl'], true, ['--no-cache']],
    ['apk add --no-cache -U ca-certificates', ['ca-certificates'], true, ['--no-cache', '-U']],
    ['apk add -q --no-progress busybox=1.35.0-r0', ['busybox=1.35.0-r0'], false, ['-q', '--no-progress']],
    ['set -e && apk add hello', ['hello'], false, []],
    ['set -eux ; apk add so:libz.so.1 cmd:sh', ['so:libz.so.1', 'cmd:sh'], false, []],
    [
      '/sbin/apk add name>1.2 other<=2 fuzzy~1.2 tagged@edge',
      ['name>1.2', 'other<=2', 'fuzzy~1.2', 'tagged@edge'],
      false,
      [],
    ],
  ])('accepts %s', (text, packages, noCache, flags) => {
    expect(parseApkAddCommand(words(text))).toEqual({ packages, noCache, flags });
  });

  it.each([
    'apk update && apk add curl',
    'apk add curl && rm -rf /var/cache/apk',
    'apk add curl ; echo done',
    'apk add',
    'apk add --no-cache',
    'apk del curl',
    'apk add --virtual .build-deps gcc',
    'apk add -t .build-deps gcc',
    'apk add --repository http://x/edge curl',
    'apk add -X http://x/edge curl',
    'apk add --allow-untrusted curl',
    'apk add --upgrade curl',
    'apk add --force-overwrite curl',
    'apk add --root /mnt curl',
    'apk add $PKGS',
    'apk add "curl"',
    'apk add curl*',
    'apk add curl > /dev/null',
    'apk add curl -- jq',
    'set -e apk add curl',
    'set +e && apk add curl',
    'sh -c apk add curl',
    'apkx add curl',
    '',
  ])('refuses %j', (text) => {
    expect(parseApkAddCommand(text === '' ? [] : words(text))).toBeUndefined();
  });
});

describe('parseApkAddCommand on random words (seeded)', () => {
  it('never throws, and what it accepts is one apk add of plain world entries', () => {
    const random = prng(42);
    const pool = [
      'apk',
      'add',
      'set',
      '-e',
      '&&',
      ';',
      '--no-cache',
      '-U',
      'curl',
      'a=1',
      '$X',
      '"q"',
      '|',
      '>',
      'del',
      '-t',
      'x>1',
      '',
    ];
    let accepted = 0;
    for (let i = 0; i < 3000; i++) {
      const words = Array.from(
        { length: 1 + Math.floor(random() * 7) },
        () => pool[Math.floor(random() * pool.length)]!,
      );
      if (random() < 0.5) words.splice(0, 0, 'apk', 'add');
      const r = parseApkAddCommand(words);
      if (r === undefined) continue;
      accepted++;
      expect(r.packages.length).toBeGreaterThan(0);
      for (const p of r.packages) expect(p).toMatch(/^[A-Za-z0-9][A-Za-z0-9_.+:@<>=~-]*$/);
      expect(words.includes('&&') ? words.slice(0, 3).join(' ') : 'set -e &&').toMatch(/^set -e (&&|;)|^apk/);
      expect(words.filter((w) => w === 'add').length).toBeGreaterThanOrEqual(1);
    }
    expect(accepted).toBeGreaterThan(50);
  });
});
