// The published JSON Schema of the image config (schemas/image-config.schema.json): committed
// fresh, and it accepts and rejects what larder's own parser does for the shape of a file.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { schemaFiles } from '../../../scripts/gen-config-schema.js';
import { IMAGE_CONFIG_SCHEMA_ID, imageConfigJsonSchema } from '../../../src/image/config/json-schema.js';
import { parseImageConfig } from '../../../src/image/index.js';
import { fixtureCertificates } from '../../kit/certificates.js';
import { ROOT, shared } from '../../kit/paths.js';

const COMMITTED = join(ROOT, 'schemas', 'image-config.schema.json');

function committedSchema(): Record<string, unknown> {
  return JSON.parse(readFileSync(COMMITTED, 'utf8')) as Record<string, unknown>;
}

let validator: ValidateFunction | undefined;
function validate(): ValidateFunction {
  if (validator === undefined) {
    // strict: a keyword ajv does not know fails the compile (string maps take a union of types).
    const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
    // ajv-formats is CommonJS: under NodeNext its default import is the module object.
    addFormats.default(ajv);
    validator = ajv.compile(committedSchema());
  }
  return validator;
}

function accepts(text: string): boolean {
  return validate()(parseYaml(text));
}

describe('image config JSON Schema', () => {
  it('the committed file is a fresh generation (run `npm run gen:schema` if not)', () => {
    const files = schemaFiles();
    expect(files.map((f) => f.path)).toEqual([COMMITTED]);
    expect(readFileSync(COMMITTED, 'utf8')).toBe(files[0]?.text);
    expect(committedSchema()).toEqual(imageConfigJsonSchema());
  });

  it('is draft 2020-12 with an $id and a title', () => {
    const schema = committedSchema();
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toBe(IMAGE_CONFIG_SCHEMA_ID);
    expect(schema.title).toEqual(expect.any(String));
    expect(schema.additionalProperties).toBe(false);
  });

  it('accepts every apko fixture config', () => {
    const names = readdirSync(shared('apko')).filter((n) => n.endsWith('.yaml'));
    expect(names.length).toBeGreaterThanOrEqual(5);
    for (const name of names) {
      const ok = validate()(parseYaml(readFileSync(shared('apko', name), 'utf8')));
      expect({ name, ok, errors: validate().errors ?? null }).toEqual({ name, ok: true, errors: null });
    }
  });

  it.each([
    ['an unknown top-level key', 'contents:\n  packages: [a]\nbogus: 1\n'],
    ['an unknown os-release key', 'os-release:\n  version: x\n'],
    ['an unknown nested key', 'contents:\n  packages: [a]\n  pacakges: [b]\n'],
    ['a string where a list is wanted', 'archs: x86_64\n'],
    ['a negative uid', 'accounts:\n  users:\n    - username: a\n      uid: -1\n'],
    ['a runtime key without content', 'contents:\n  runtime_keyring:\n    - name: k\n'],
    ['an unknown format', 'format: squashfs\n'],
  ])('rejects %s, as larder does', (_what, text) => {
    expect(accepts(text)).toBe(false);
    expect(parseImageConfig(text, 'x.yaml').issues.length).toBeGreaterThan(0);
  });

  it.each([
    [
      'scalars of any type in string maps',
      'environment:\n  PORT: 8080\n  DEBUG: true\nannotations:\n  a: 1.5\n',
    ],
    ['every section', EVERY_SECTION],
  ])('accepts %s, as larder does', (_what, text) => {
    expect(accepts(text)).toBe(true);
    expect(parseImageConfig(text, 'x.yaml').issues).toEqual([]);
  });
});

const EVERY_SECTION = `contents:
  build_repositories: [./build]
  runtime_repositories: [https://example.org/runtime]
  repositories: ['@edge https://example.org/edge', ./packages]
  keyring: [./k.rsa.pub]
  runtime_keyring:
    - name: k.rsa.pub
      content: key
  packages: [busybox, 'hello>=1.0']
entrypoint:
  type: service-bundle
  services:
    web: /usr/bin/web
cmd: --help
stop-signal: SIGTERM
work-dir: /app
accounts:
  run-as: app
  users:
    - username: app
      uid: 1000
      gid: 1000
      shell: /bin/sh
      homedir: /home/app
  groups:
    - groupname: app
      gid: 1000
      members: [app]
archs: [x86_64, aarch64]
environment:
  PATH: /usr/bin
paths:
  - path: /app
    type: directory
    uid: 1000
    gid: 1000
    permissions: 0o755
    recursive: true
vcs-url: https://example.org/repo
annotations:
  org.opencontainers.image.title: demo
volumes: [/data]
layering:
  strategy: origin
  budget: 2
format: tar
certificates:
  providers: [ca-certificates]
  additional:
    - name: corp
      content: |
${fixtureCertificates().get('cert-a')!.replace(/^/gm, '        ').trimEnd()}
os-release:
  id: demo
  name: Demo
  version-id: '1.0'
  pretty-name: Demo 1.0
  home-url: https://example.org
  bug-report-url: https://example.org/bugs
`;
