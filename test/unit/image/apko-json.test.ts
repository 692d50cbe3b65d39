// /etc/apko.json: apko's locked ImageConfiguration through Go's json.Encoder.
import { describe, expect, it } from 'vitest';
import { apkoJson, lockedPackageList } from '../../../src/image/assemble/apko-json.js';
import { goString, omitMap } from '../../../src/image/assemble/go-json.js';
import { EMPTY_IMAGE_CONFIG, type ImageConfig } from '../../../src/image/index.js';

const FULL: ImageConfig = {
  contents: {
    repositories: ['./b', '@edge https://x/edge', './b', './a'],
    buildRepositories: ['./z', './y'],
    runtimeRepositories: ['https://r/2', 'https://r/1'],
    keyring: ['k2.pub', 'k1.pub', 'k2.pub'],
    runtimeKeyring: [{ name: 'rt.pub', content: 'PEM' }],
    packages: ['ignored: the locked list is used'],
    baseimage: { image: 'base' },
  },
  entrypoint: { command: '/bin/app --flag', services: { web: 'run web', db: 'run db' } },
  cmd: 'a <b> & c',
  stopSignal: 'SIGTERM',
  workDir: '/w',
  accounts: {
    runAs: 'app',
    users: [
      { username: 'app', uid: 1000, gid: 0 },
      { username: 'svc', uid: 1001, homedir: '/srv', shell: '/bin/false' },
    ],
    groups: [
      { groupname: 'root-ish', gid: 0, members: [] },
      { groupname: 'app', gid: 1000, members: ['app', 'svc'] },
    ],
  },
  archs: ['x86_64', 'aarch64'],
  environment: { b: '2', B: '1', é: '3', a: 'line\nbreak\u2028' },
  paths: [
    { path: '/w', type: 'directory', uid: 0, gid: 1000, permissions: 0o755, recursive: true },
    { path: '/f', type: 'empty-file', permissions: 0, recursive: false },
  ],
  vcsUrl: 'https://example.org/repo',
  annotations: { 'org.opencontainers.image.title': 'demo' },
  include: 'base.yaml',
  volumes: ['/data'],
  layering: { strategy: 'origin', budget: 0 },
  format: 'tar',
  certificates: { additional: [{ name: 'corp', content: 'PEM' }], providers: [] },
};

describe('apkoJson', () => {
  it('writes the locked config as Go would: field order, omitempty, sorted sets and maps, HTML escapes', () => {
    expect(apkoJson(FULL, 'aarch64', ['busybox=1.36-r0', 'app=2@edge'])).toBe(
      `${[
        '{"contents":{"build_repositories":["./y","./z"],"runtime_repositories":["https://r/2","https://r/1"],',
        '"repositories":["./a","./b","@edge https://x/edge"],"keyring":["k1.pub","k2.pub"],',
        '"runtime_keyring":[{"name":"rt.pub","content":"PEM"}],"packages":["busybox=1.36-r0","app=2@edge"],',
        '"baseimage":{"image":"base"}},',
        '"entrypoint":{"command":"/bin/app --flag","services":{"db":"run db","web":"run web"}},',
        '"cmd":"a \\u003cb\\u003e \\u0026 c","stop-signal":"SIGTERM","work-dir":"/w",',
        '"accounts":{"run-as":"app","users":[{"username":"app","uid":1000,"gid":0,"homedir":"/home/app"},',
        '{"username":"svc","uid":1001,"shell":"/bin/false","homedir":"/srv"}],',
        '"groups":[{"groupname":"root-ish"},{"groupname":"app","gid":1000,"members":["app","svc"]}]},',
        '"archs":["arm64"],',
        '"environment":{"B":"1","a":"line\\nbreak\\u2028","b":"2","é":"3"},',
        '"paths":[{"path":"/w","type":"directory","uid":0,"gid":1000,"permissions":493,"recursive":true},',
        '{"path":"/f","type":"empty-file"}],',
        '"annotations":{"org.opencontainers.image.title":"demo"},"volumes":["/data"],',
        '"layering":{"strategy":"origin"},"format":"tar",',
        '"certificates":{"additional":[{"name":"corp","content":"PEM"}]}}',
      ].join('')}\n`,
    );
  });

  it('an empty config still has its three structs; arm/v7 is named as OCI names it', () => {
    expect(apkoJson(EMPTY_IMAGE_CONFIG, 'armv7', [])).toBe(
      '{"contents":{},"entrypoint":{},"accounts":{},"archs":["arm/v7"]}\n',
    );
  });

  it('a service bundle: the s6 command, and s6 after the locked packages', () => {
    const config: ImageConfig = {
      ...EMPTY_IMAGE_CONFIG,
      entrypoint: { type: 'service-bundle', command: '/ignored', services: { a: 'x' } },
    };
    const json = JSON.parse(apkoJson(config, 'x86_64', ['s6=2.11-r0', 'skalibs=2.13-r0']));
    expect(json.entrypoint).toEqual({
      type: 'service-bundle',
      command: '/bin/s6-svscan /sv',
      services: { a: 'x' },
    });
    expect(json.contents.packages).toEqual(['s6=2.11-r0', 'skalibs=2.13-r0', 's6']);
  });

  it('os-release (larder) sits where apko had it, with apko’s defaults', () => {
    const config: ImageConfig = { ...EMPTY_IMAGE_CONFIG, osRelease: { id: 'demo' }, volumes: ['/v'] };
    expect(apkoJson(config, 'x86_64', [])).toBe(
      '{"contents":{},"entrypoint":{},"accounts":{},"archs":["amd64"],' +
        '"os-release":{"name":"apko-generated image","id":"demo","version-id":"unknown",' +
        '"pretty-name":"apko-generated image","home-url":"https://chainguard.dev/apko"},"volumes":["/v"]}\n',
    );
  });
});

describe('lockedPackageList (apko unify)', () => {
  it('pins every installed package, keeps the @tag its world entry had, sorts with the =', () => {
    const installed = [
      { name: 'foo-bar', version: '1' },
      { name: 'foo', version: '2' },
      { name: 'tagged', version: '3' },
      { name: 'ranged', version: '4' },
      { name: 'dep', version: '5' },
    ];
    expect(lockedPackageList(installed, ['foo', 'tagged@edge', 'ranged>=1@local', 'virtual@x'])).toEqual([
      'dep=5',
      'foo-bar=1',
      'foo=2',
      'ranged=4@local',
      'tagged=3@edge',
    ]);
  });
});

describe('Go JSON strings and maps', () => {
  it.each([
    ['plain', '"plain"'],
    ['quote " and \\', '"quote \\" and \\\\"'],
    ['<script>&</script>', '"\\u003cscript\\u003e\\u0026\\u003c/script\\u003e"'],
    ['\b\f\n\r\t\u0001\u001f\u007f', '"\\b\\f\\n\\r\\t\\u0001\\u001f\u007f"'],
    ['\u2028\u2029', '"\\u2028\\u2029"'],
    ['lone \ud800 surrogate', '"lone \ufffd surrogate"'],
    ['😀', '"😀"'],
  ])('%j', (value, json) => {
    expect(goString(value)).toBe(json);
  });

  it('omits an empty map and sorts keys by bytes', () => {
    expect(omitMap({})).toBeUndefined();
    expect(omitMap(undefined)).toBeUndefined();
    expect(omitMap({ z: '1', Z: '2', ä: '3', '😀': '4', '\uffff': '5' })).toBe(
      '{"Z":"2","z":"1","ä":"3","\uffff":"5","😀":"4"}',
    );
  });
});
