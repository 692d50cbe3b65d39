import { describe, expect, it } from 'vitest';
import { containerConfigFor, imageAnnotations } from '../../../src/image/build/oci-config.js';
import { shellSplit } from '../../../src/image/build/shlex.js';
import { EMPTY_IMAGE_CONFIG, type ImageConfig } from '../../../src/image/index.js';

const BASE: ImageConfig = {
  ...EMPTY_IMAGE_CONFIG,
  accounts: { users: [{ username: 'nonroot', uid: 65532 }], groups: [] },
};

describe('shell splitting (apko: google/shlex)', () => {
  it.each([
    ['/bin/sh -l', ['/bin/sh', '-l']],
    ['  a   b  ', ['a', 'b']],
    [`echo 'a b' "c \\"d\\"" e\\ f`, ['echo', 'a b', 'c "d"', 'e f']],
    ['a#b # comment', ['a#b']],
    ['', []],
  ])('%j', (text, words) => expect(shellSplit(text)).toEqual(words));

  it('rejects unterminated quotes naming the field', () => {
    expect(() => shellSplit('echo "x', 'cmd')).toThrow(/cmd: unterminated double quote/);
    expect(() => shellSplit("echo 'x")).toThrow(/single quote/);
    expect(() => shellSplit('x\\')).toThrow(/trailing backslash/);
  });
});

describe('OCI container config from an image config', () => {
  it('maps entrypoint, cmd, env (apko defaults, sorted), work-dir, run-as, stop-signal, volumes', () => {
    const c = containerConfigFor({
      ...BASE,
      entrypoint: { command: '/usr/bin/app --flag' },
      cmd: 'serve "--port 8080"',
      environment: { Z: '1', A: 'x y', PATH: '/bin', A_B: '2' },
      workDir: '/work',
      accounts: { ...BASE.accounts, runAs: 'nonroot' },
      stopSignal: 'SIGQUIT',
      volumes: ['/data', '/cache'],
    });
    expect(c).toEqual({
      Entrypoint: ['/usr/bin/app', '--flag'],
      Cmd: ['serve', '--port 8080'],
      // apko sorts the `K=V` strings: `A=` before `A_B=` ('=' < '_').
      Env: ['A=x y', 'A_B=2', 'PATH=/bin', 'SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt', 'Z=1'],
      WorkingDir: '/work',
      User: '65532',
      StopSignal: 'SIGQUIT',
      Volumes: { '/cache': {}, '/data': {} },
    });
  });

  it('shell-fragment and service-bundle entrypoints; unknown run-as names pass through', () => {
    expect(
      containerConfigFor({ ...BASE, entrypoint: { shellFragment: 'exec app', command: 'ignored' } })
        .Entrypoint,
    ).toEqual(['/bin/sh', '-c', 'exec app']);
    expect(containerConfigFor({ ...BASE, entrypoint: { type: 'service-bundle' } }).Entrypoint).toEqual([
      '/bin/s6-svscan',
      '/sv',
    ]);
    expect(containerConfigFor({ ...BASE, accounts: { ...BASE.accounts, runAs: 'www-data' } }).User).toBe(
      'www-data',
    );
    expect(containerConfigFor(BASE)).toEqual({
      Env: [
        'PATH=/usr/local/sbin:/usr/local/bin:/usr/bin:/usr/sbin:/sbin:/bin',
        'SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt',
      ],
    });
  });

  it('annotations: the config’s, vcs-url as source and revision, created; the same as Labels', () => {
    const config = {
      ...BASE,
      annotations: { 'org.example/x': '1' },
      vcsUrl: 'https://git.example/app@abc123',
    };
    const annotations = imageAnnotations(config, '2023-11-14T22:13:20Z');
    expect(annotations).toEqual({
      'org.example/x': '1',
      'org.opencontainers.image.source': 'https://git.example/app',
      'org.opencontainers.image.revision': 'abc123',
      'org.opencontainers.image.created': '2023-11-14T22:13:20Z',
    });
    expect(containerConfigFor(config, annotations).Labels).toEqual(annotations);
    expect(imageAnnotations({ ...BASE, vcsUrl: 'https://git.example/app' }, 'T')).toEqual({
      'org.opencontainers.image.created': 'T',
    });
  });
});
