import { describe, expect, it } from 'vitest';
import { BUILD_ARCH_NAMES } from '../../../../src/build/index.js';
import { formatPlacedIssue } from '../../../../src/core/index.js';
import { parseFactoryConfig } from '../../../../src/factory/index.js';

const ROOT = '/ws';

function parse(text: string) {
  return parseFactoryConfig(text, 'larder.yaml', ROOT);
}

function problems(text: string): string[] {
  const parsed = parse(text);
  expect(parsed.config).toBeUndefined();
  return parsed.issues.map(formatPlacedIssue);
}

describe('larder.yaml', () => {
  it('gives every optional field its default (an empty file is all defaults)', () => {
    for (const text of ['', '{}\n', '# nothing\n']) {
      expect(parse(text).config).toEqual({
        repository: {
          name: 'main',
          dir: '/ws/repo',
          archs: ['x86_64'],
          signingKey: '/ws/keys/larder.rsa',
          extraRepositories: [],
          extraKeyring: [],
        },
        images: { signFormat: 'both', attest: false, publish: {} },
        registries: {},
        policy: { gate: 'zero-known-cve' },
        feeds: [],
        schedules: { rescanMs: 6 * 3_600_000, updateCheckMs: 24 * 3_600_000 },
        server: { publicReads: true },
      });
    }
  });

  it('reads every field, resolving relative paths against the root and keeping URLs', () => {
    const parsed = parse(`
repository: { name: edge, dir: out/repo, archs: [x86_64, aarch64], signing-key: /keys/a.rsa,
              extra-repositories: [https://packages.wolfi.dev/os, bootstrap], extra-keyring: [keys/boot.rsa.pub] }
images:
  signing-key: keys/cosign.key
  sign-format: legacy
  attest: false
  publish:
    hello: [127.0.0.1:5000/larder/hello:latest, ghcr.io/acme/hello:1]
registries:
  "127.0.0.1:5000": { insecure: true, username: ci, password-env: REG_PASSWORD }
  ghcr.io: {}
policy: { gate: high }
feeds: [ { secdb: https://example.test/security.json }, { osv: osv/ } ]
schedules: { rescan: 1d12h, update-check: 0 }
server: { public-reads: false }
`);
    expect(parsed.issues).toEqual([]);
    expect(parsed.config).toEqual({
      repository: {
        name: 'edge',
        dir: '/ws/out/repo',
        archs: ['x86_64', 'aarch64'],
        signingKey: '/keys/a.rsa',
        extraRepositories: ['https://packages.wolfi.dev/os', '/ws/bootstrap'],
        extraKeyring: ['/ws/keys/boot.rsa.pub'],
      },
      images: {
        signingKey: '/ws/keys/cosign.key',
        signFormat: 'legacy',
        attest: false,
        publish: { hello: ['127.0.0.1:5000/larder/hello:latest', 'ghcr.io/acme/hello:1'] },
      },
      registries: {
        '127.0.0.1:5000': { insecure: true, username: 'ci', passwordEnv: 'REG_PASSWORD' },
        'ghcr.io': { insecure: false },
      },
      policy: { gate: 'high' },
      feeds: [
        { kind: 'secdb', location: 'https://example.test/security.json' },
        { kind: 'osv', location: '/ws/osv' },
      ],
      schedules: { rescanMs: 36 * 3_600_000, updateCheckMs: 0 },
      server: { publicReads: false },
    });
  });

  it('attests by default when images are signed', () => {
    expect(parse('images: { signing-key: k.key }\n').config?.images.attest).toBe(true);
  });

  it('places unknown keys at the key, at any depth', () => {
    expect(problems('repository:\n  name: main\n  signing_key: k\nextra: 1\n')).toEqual([
      "larder.yaml:3:3: repository.signing_key: unknown key 'signing_key'",
      "larder.yaml:4:1: extra: unknown key 'extra'",
    ]);
    expect(problems('registries:\n  ghcr.io: { insecur: true }\n')).toEqual([
      'larder.yaml:2:14: registries["ghcr.io"].insecur: unknown key \'insecur\'',
    ]);
  });

  it('places wrong types and values', () => {
    expect(problems('server:\n  public-reads: yes please\npolicy: { gate: severe }\n')).toEqual([
      "larder.yaml:2:17: server.public-reads: expected a boolean, got the string 'yes please'",
      'larder.yaml:3:17: policy.gate: expected one of: zero-known-cve, critical, high, medium, low',
    ]);
    expect(problems('repository: { archs: x86_64 }\n')).toEqual([
      "larder.yaml:1:22: repository.archs: expected a list, got the string 'x86_64'",
    ]);
  });

  it('refuses bad durations with their place', () => {
    expect(problems('schedules:\n  rescan: 6 hours\n  update-check: 30\n')).toEqual([
      "larder.yaml:2:11: schedules.rescan: '6 hours' is not a duration: expected a duration such as 30m, 6h, 1d or 0 (never); units s, m, h, d",
      'larder.yaml:3:17: schedules.update-check: the number 30 has no unit: expected a duration such as 30m, 6h, 1d or 0 (never); units s, m, h, d',
    ]);
  });

  it('checks each value: names, archs, references, variable names and durations, all at once', () => {
    expect(
      problems(`repository:
  name: a/b
  archs: [x86_64, sparc]
images:
  publish:
    hello: [Not A Reference, 127.0.0.1:5000/h@sha256:${'a'.repeat(64)}]
registries:
  ghcr.io: { username: ci, password-env: 1BAD }
schedules: { rescan: 6 hours }
`),
    ).toEqual([
      "larder.yaml:2:9: repository.name: 'a/b' is not a URL path segment (letters, digits, . _ -)",
      `larder.yaml:3:19: repository.archs[1]: unknown arch 'sparc' (expected one of: ${BUILD_ARCH_NAMES.join(', ')})`,
      expect.stringMatching(
        /^larder\.yaml:6:13: images\.publish\.hello\[0\]: invalid image reference "Not A Reference"/,
      ),
      expect.stringMatching(/^larder\.yaml:6:30: images\.publish\.hello\[1\]: .* names a tag, not a digest$/),
      'larder.yaml:8:42: registries["ghcr.io"].password-env: \'1BAD\' is not an environment variable name',
      expect.stringMatching(/^larder\.yaml:9:22: schedules\.rescan: '6 hours' is not a duration/),
    ]);
  });

  it('checks rules across keys: repeated archs, attest, image names, registry hosts, feeds', () => {
    expect(
      problems(`repository:
  archs: [x86_64, x86_64]
images:
  attest: true
  publish:
    bad/name: [ghcr.io/x/y:1]
registries:
  "not a host": {}
  ghcr.io: { password-env: TOKEN }
feeds: [ { secdb: a, osv: b }, {} ]
`),
    ).toEqual([
      "larder.yaml:2:19: repository.archs[1]: arch 'x86_64' is listed twice",
      'larder.yaml:4:11: images.attest: attestations are signed: set images.signing-key, or attest: false',
      'larder.yaml:6:5: images.publish["bad/name"]: \'bad/name\' is not an image name (images/<name>.yaml)',
      'larder.yaml:8:3: registries["not a host"]: \'not a host\' is not a registry host (host or host:port)',
      'larder.yaml:9:28: registries["ghcr.io"].password-env: a password needs a username too',
      'larder.yaml:10:10: feeds[0]: a feed is one of { secdb: URL-or-path } or { osv: URL-or-path }',
      'larder.yaml:10:32: feeds[1]: a feed is one of { secdb: URL-or-path } or { osv: URL-or-path }',
    ]);
  });
});

/** Broken larder.yaml files: each must give a placed problem, never a crash or a config. */
const CORPUS: Record<string, { text: string; expect: RegExp }> = {
  'syntax error': { text: 'repository: { name: main\n', expect: /^larder\.yaml:\d+:\d+: / },
  'tab indentation': { text: 'repository:\n\tname: main\n', expect: /^larder\.yaml:2:1: / },
  'duplicate key': { text: 'policy: {}\npolicy: {}\n', expect: /^larder\.yaml:2:1: .*[Uu]nique|duplicate/ },
  'two documents': { text: 'policy: {}\n---\nfeeds: []\n', expect: /^larder\.yaml:2:1: / },
  'a list at the top': {
    text: '- repository\n',
    expect: /^larder\.yaml:1:1: expected a mapping of larder\.yaml keys$/,
  },
  'a scalar at the top': { text: 'hello\n', expect: /^larder\.yaml:1:1: expected a mapping/ },
  'null section': {
    text: 'repository:\n',
    expect: /^larder\.yaml:1:12: repository: expected a mapping, got nothing/,
  },
  'empty string path': {
    text: "repository: { dir: '' }\n",
    expect: /^larder\.yaml:1:20: repository\.dir: expected a non-empty string$/,
  },
  'no archs': {
    text: 'repository: { archs: [] }\n',
    expect: /repository\.archs: expected at least one arch$/,
  },
  'number as key file': {
    text: 'images: { signing-key: 12 }\n',
    expect: /images\.signing-key: expected a string, got the number 12/,
  },
  'unknown sign format': {
    text: 'images: { sign-format: cosign }\n',
    expect: /^larder\.yaml:1:24: images\.sign-format: expected one of: legacy, bundle, both$/,
  },
  'publish not a list': {
    text: 'images: { publish: { hello: ghcr.io/x/y } }\n',
    expect: /images\.publish\.hello: expected a list/,
  },
  'feed not a mapping': {
    text: 'feeds: [ https://x.test/security.json ]\n',
    expect: /^larder\.yaml:1:10: feeds\[0\]: expected a mapping/,
  },
  'unknown feed kind': { text: 'feeds: [ { nvd: x } ]\n', expect: /feeds\[0\]\.nvd: unknown key 'nvd'/ },
  'negative duration': {
    text: 'schedules: { rescan: -6h }\n',
    expect: /schedules\.rescan: '-6h' is not a duration/,
  },
  'duration without number': {
    text: 'schedules: { rescan: h }\n',
    expect: /schedules\.rescan: 'h' is not a duration/,
  },
  'duration list': {
    text: 'schedules: { rescan: [6h] }\n',
    expect: /schedules\.rescan: expected a duration/,
  },
  'registries a list': {
    text: 'registries: [ghcr.io]\n',
    expect: /registries: expected a mapping, got a list/,
  },
  'alias bomb': {
    text: 'a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n',
    expect: /^larder\.yaml:1:1: Excessive alias count/,
  },
};

describe('broken larder.yaml corpus', () => {
  for (const [name, { text, expect: pattern }] of Object.entries(CORPUS)) {
    it(name, () => {
      const parsed = parse(text);
      expect(parsed.config).toBeUndefined();
      expect(parsed.issues.length).toBeGreaterThan(0);
      expect(parsed.issues.map(formatPlacedIssue).join('\n')).toMatch(pattern);
    });
  }
});
