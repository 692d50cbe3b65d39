import { describe, expect, it } from 'vitest';
import { rewriteShell } from '../../../../src/dockerfile/convert/rewrite-shell.js';

const messages = (text: string): string[] => rewriteShell(text).flags.map((f) => f.message);

describe('rewriteShell: package managers', () => {
  it.each([
    // apt-get with continuations: update and cleanup go, names are mapped, line breaks stay.
    [
      'apt-get update \\\n    && apt-get install -y --no-install-recommends \\\n       curl \\\n       libssl-dev \\\n    && rm -rf /var/lib/apt/lists/*',
      'apk add --no-cache \\\n       curl \\\n       openssl-dev',
    ],
    [
      'apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -yq git && apt-get clean',
      'apk add --no-cache git',
    ],
    ['apt update && apt install -y python3-pip', 'apk add --no-cache py3-pip'],
    ['apt-get -o Acquire::Retries=3 install -y build-essential', 'apk add --no-cache build-base'],
    ['sudo apt-get install -y curl', 'apk add --no-cache curl'],
    ['apt-get purge -y --auto-remove build-essential', 'apk del build-base'],
    ['yum install -y gcc-c++ openssl-devel && yum clean all', 'apk add --no-cache g++ openssl-dev'],
    ['dnf -y install python3-pip && dnf clean all && rm -rf /var/cache/dnf', 'apk add --no-cache py3-pip'],
    ['microdnf install -y shadow-utils tar && microdnf clean all', 'apk add --no-cache shadow tar'],
    ['dnf install -y --setopt tsflags=nodocs make', 'apk add --no-cache make'],
    ['apk update && apk upgrade && apk add curl', 'apk add --no-cache curl'],
    ['apk --update add libressl-dev', 'apk add --no-cache openssl-dev'],
    [
      'apk add -t .deps gcc && make && apk del .deps',
      'apk add --no-cache --virtual .deps gcc && make && apk del .deps',
    ],
    // The same APK name twice: once is enough.
    ['apt-get install -y libncurses-dev libncursesw5-dev', 'apk add --no-cache ncurses-dev'],
    // Nothing left to install.
    ['apt-get install -y apt-transport-https && make', 'make'],
    [
      'set -eux; apt-get update; apt-get install -y git; rm -rf /var/lib/apt/lists/*',
      'set -eux; apk add --no-cache git',
    ],
    ['make && apt-get update && apt-get clean && make install', 'make && make install'],
    ['apt-get update || true && apt-get install -y git', 'apk add --no-cache git'],
    // Only the cache paths of an rm go.
    ['rm -rf /var/lib/apt/lists/* /tmp/build', 'rm -rf /tmp/build'],
  ])('%j', (input, expected) => {
    expect(rewriteShell(input).text).toBe(expected);
  });

  it('leaves text without package managers alone, byte for byte', () => {
    for (const text of [
      'go build -o /app .',
      'echo "apt-get update" > x',
      'pip install -r req.txt # apt-get update',
    ]) {
      const r = rewriteShell(text);
      expect(r).toMatchObject({ text, empty: false, installs: false, notes: [], flags: [] });
    }
  });

  it('reports an instruction left empty', () => {
    expect(rewriteShell('apt-get update && apt-get upgrade -y')).toMatchObject({ empty: true, text: '' });
    expect(rewriteShell('apt-get update \\\n  && rm -rf /var/lib/apt/lists/*').empty).toBe(true);
  });

  it('replaces a command it cannot remove cleanly by true', () => {
    expect(rewriteShell('if [ -f x ]; then apt-get update; fi').text).toBe('if [ -f x ]; then true; fi');
    expect(rewriteShell('apt-get update | tee log').text).toBe('true | tee log');
    expect(rewriteShell('(apt-get update) && make').text).toBe('(true) && make');
  });

  it('keeps comment lines of a continuation that a dropped command spanned', () => {
    const text = 'apt-get update \\\n# the compilers\n    && apt-get install -y gcc';
    expect(rewriteShell(text).text).toBe('\\\n# the compilers\n    apk add --no-cache gcc');
    const tail = 'apt-get install -y gcc \\\n# no lists\n    && rm -rf /var/lib/apt/lists/*';
    expect(rewriteShell(tail).text).toBe('apk add --no-cache gcc\n# no lists');
  });

  it('flags unknown packages, version pins and words that expand, keeping them as written', () => {
    const r = rewriteShell('apt-get install -y libfoo-dev curl=7.88.1-10 $EXTRA ./local.deb');
    expect(r.text).toBe('apk add --no-cache libfoo-dev curl $EXTRA ./local.deb');
    expect(r.flags).toEqual([
      { offset: 19, message: 'no APK mapping for debian package "libfoo-dev"' },
      { offset: 30, message: 'version pin "curl=7.88.1-10" dropped' },
      { offset: 45, message: 'cannot map $EXTRA: it expands at build time; kept as written' },
      { offset: 52, message: 'no APK mapping for debian package "./local.deb"' },
    ]);
    expect(messages('yum install -y jq-1.6')).toEqual(['version pin "jq-1.6" dropped']);
    expect(messages('apk add curl=8.0.1-r0')).toEqual(['version pin "curl=8.0.1-r0" dropped']);
  });

  it('flags package tools it finds but cannot read, and leaves the text alone', () => {
    const text =
      'xargs apt-get install -y < pkgs.txt && dpkg -i /tmp/x.deb && echo $(rpm -q bash) && ls /var/lib/apt';
    const r = rewriteShell(text);
    expect(r.text).toBe(text);
    expect(r.flags).toEqual([
      { offset: 6, message: 'apt-get is called in a way the converter does not read; convert it by hand' },
      { offset: 39, message: 'dpkg is called in a way the converter does not read; convert it by hand' },
      { offset: 68, message: 'rpm is called in a way the converter does not read; convert it by hand' },
    ]);
  });

  it('flags subcommands without an apk equivalent and keeps them', () => {
    const r = rewriteShell('yum groupinstall -y "Development Tools"');
    expect(r.text).toBe('yum groupinstall -y "Development Tools"');
    expect(r.flags.map((f) => f.message)).toEqual([
      'yum groupinstall has no apk equivalent; kept as written',
    ]);
    expect(messages('apk add -X https://dl-cdn.alpinelinux.org/alpine/edge/testing foo')).toEqual([
      'apk repository option -X dropped',
    ]);
  });

  it('says whether the result installs packages', () => {
    expect(rewriteShell('apt-get install -y git').installs).toBe(true);
    expect(rewriteShell('apk del git').installs).toBe(false);
    expect(rewriteShell('useradd app').installs).toBe(false);
  });

  it('records the packages it mapped', () => {
    expect(rewriteShell('apt-get install -y build-essential libssl-dev').packages).toEqual([
      { family: 'debian', from: 'build-essential', to: ['build-base'] },
      { family: 'debian', from: 'libssl-dev', to: ['openssl-dev'] },
    ]);
  });

  it('honours the backtick escape character for continuations', () => {
    expect(rewriteShell('apt-get update `\n  && apt-get install -y git', '`').text).toBe(
      'apk add --no-cache git',
    );
  });
});

describe('rewriteShell: users and groups', () => {
  it.each([
    ['useradd -m app', 'adduser -D app'],
    [
      'useradd -r -u 10001 -g app -s /sbin/nologin -d /srv app',
      'adduser -D -S -u 10001 -G app -s /sbin/nologin -h /srv app',
    ],
    ['useradd --uid=1000 --create-home --comment "App user" app', 'adduser -D -u 1000 -g "App user" app'],
    ['useradd -rm -G audio,video app', 'adduser -D -S app && addgroup app audio && addgroup app video'],
    ['useradd -M -N -l app', 'adduser -D -H app'],
    ['groupadd -r -g 1000 app', 'addgroup -S -g 1000 app'],
    ['groupadd app && useradd -g app app', 'addgroup app && adduser -D -G app app'],
    ['usermod -aG docker,wheel app', 'addgroup app docker && addgroup app wheel'],
    ['usermod --append --groups=audio app', 'addgroup app audio'],
  ])('%j', (input, expected) => {
    expect(rewriteShell(input).text).toBe(expected);
  });

  it('keeps and flags options busybox lacks', () => {
    const r = rewriteShell('useradd -p secret app');
    expect(r.text).toBe('useradd -p secret app');
    expect(r.flags.map((f) => f.message)).toEqual([
      'useradd option -p has no busybox equivalent; kept as written',
    ]);
    expect(messages('useradd')).toEqual(['useradd: expected one name; kept as written']);
    expect(messages('usermod -s /bin/sh app')).toEqual([
      'usermod option -s has no busybox equivalent; kept as written',
    ]);
    expect(messages('usermod -a app')).toEqual(['usermod without -G: kept as written']);
  });
});
