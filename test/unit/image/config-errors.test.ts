import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mergedConfigIssues } from '../../../src/image/config/parse.js';
import {
  type ConfigIssue,
  formatIssue,
  loadImageConfig,
  parseImageConfig,
} from '../../../src/image/index.js';
import { places, rejection, writeTree } from './helpers.js';

const issuesOf = (text: string): string[] => parseImageConfig(text, 'apko.yaml').issues.map(formatIssue);

describe('image config validation: every problem, with line:column', () => {
  it('reports several problems of one file together, in one CONFIG_INVALID error', async () => {
    const dir = await writeTree({
      'apko.yaml': [
        'contents:', //                          1
        '  repositorys:', //                     2
        '    - https://example.com/os', //       3
        '  packages:', //                        4
        '    - foo==1', //                       5
        '    - 1.0', //                          6
        '    - ok=1.0', //                       7
        'archs: [x86_64, mips]', //              8
        'cmd: 12', //                            9
        'os-release:', //                        10
        '  id: x y', //                          11
        '',
      ].join('\n'),
    });
    const err = await rejection(loadImageConfig(join(dir, 'apko.yaml')), 'CONFIG_INVALID');
    const file = join(dir, 'apko.yaml');
    expect(err.message.split('\n')).toEqual([
      `invalid image config ${file} (6 problems):`,
      `${file}:2:3: contents.repositorys: unknown key 'repositorys'`,
      `${file}:5:7: contents.packages[0]: 'foo==1' is not a valid dependency: apko reads operator '==' as "any version" (use =, <, <=, >, >=, ~ or =~)`,
      `${file}:6:7: contents.packages[1]: expected a string, got the number 1.0 (quote it to make it a string)`,
      `${file}:8:17: archs[1]: unknown architecture 'mips' (386 amd64 arm64 arm/v6 arm/v7 ppc64le riscv64 s390x loong64, their apk names, or all)`,
      `${file}:9:6: cmd: expected a string, got the number 12 (quote it to make it a string)`,
      `${file}:11:7: os-release.id: only letters, digits, ".", "_" and "-" may be used`,
    ]);
    expect((err.cause as ConfigIssue[]).map((i) => i.path)).toEqual([
      'contents.repositorys',
      'contents.packages[0]',
      'contents.packages[1]',
      'archs[1]',
      'cmd',
      'os-release.id',
    ]);
  });

  it('an unknown key is an error at its own line:column, at any depth', () => {
    expect(issuesOf('volumes: []\nfoo: bar\n')).toEqual(["apko.yaml:2:1: foo: unknown key 'foo'"]);
    expect(issuesOf('entrypoint:\n  command: x\n  shell: y\n')).toEqual([
      "apko.yaml:3:3: entrypoint.shell: unknown key 'shell'",
    ]);
    expect(issuesOf('accounts:\n  users:\n    - username: a\n      uid: 10\n      home: /x\n')).toEqual([
      "apko.yaml:5:7: accounts.users[0].home: unknown key 'home'",
    ]);
    expect(issuesOf('contents:\n  baseimage:\n    image: x\n    tag: y\n')).toEqual([
      "apko.yaml:4:5: contents.baseimage.tag: unknown key 'tag'",
    ]);
  });

  it.each([
    ['YAML syntax', 'contents:\n  packages: [a, b\n', ['3:1 ']],
    ['duplicate keys', 'cmd: a\ncmd: b\n', ['2:1 ']],
    ['an empty file', '', ['1:1 ']],
    ['a list at the top level', '- a\n', ['1:1 ']],
    ['a list where a mapping belongs', 'contents: [a]\n', ['1:1 contents']],
    ['a mapping where a list belongs', 'contents:\n  packages: {a: b}\n', ['2:3 contents.packages']],
    ['a null list entry', 'contents:\n  packages:\n    - a\n    -\n', ['4:6 contents.packages[1]']],
    ['a boolean package', 'contents:\n  packages:\n    - true\n', ['3:7 contents.packages[0]']],
    ['a package apk rejects', 'contents:\n  packages:\n    - foo=1.0a.1\n', ['3:7 contents.packages[0]']],
    [
      'a tag before the version',
      'contents:\n  packages:\n    - foo@edge=1.0\n',
      ['3:7 contents.packages[0]'],
    ],
    [
      'a repository with two spaces',
      'contents:\n  repositories:\n    - "@a b c"\n',
      ['3:7 contents.repositories[0]'],
    ],
    [
      'a repository tag without @',
      'contents:\n  repositories:\n    - "main https://x"\n',
      ['3:7 contents.repositories[0]'],
    ],
    ['an empty keyring entry', 'contents:\n  keyring: [""]\n', ['2:13 contents.keyring[0]']],
    ['all among other archs', 'archs: [all, x86_64]\n', ['1:1 archs']],
    ['noarch as an image arch', 'archs: [noarch]\n', ['1:9 archs[0]']],
    [
      'a uid given as a string',
      'accounts:\n  users:\n    - username: a\n      uid: "10"\n',
      ['4:12 accounts.users[0].uid'],
    ],
    [
      'a negative gid',
      'accounts:\n  groups:\n    - groupname: a\n      gid: -1\n',
      ['4:12 accounts.groups[0].gid'],
    ],
    ['an unknown layer format', 'format: zip\n', ['1:9 format']],
    ['a string budget', 'layering:\n  strategy: origin\n  budget: "2"\n', ['3:11 layering.budget']],
    [
      'runtime_keyring problems',
      'contents:\n  runtime_keyring:\n    - name: .hidden\n      content: x\n    - name: k\n    - name: a\n      content: x\n    - name: a\n      content: y\n',
      [
        '3:13 contents.runtime_keyring[0].name',
        '5:7 contents.runtime_keyring[1]',
        '8:13 contents.runtime_keyring[3].name',
      ],
    ],
    [
      'a bad certificate name',
      'certificates:\n  additional:\n    - name: ../x\n      content: y\n',
      ['3:13 certificates.additional[0].name', '4:16 certificates.additional[0].content'],
    ],
    [
      'a base image with an entrypoint',
      'contents:\n  baseimage:\n    image: x\nentrypoint:\n  command: /bin/sh\n',
      ['2:3 contents.baseimage'],
    ],
    ['erofs with layering', 'format: erofs\nlayering:\n  strategy: origin\n', ['1:9 format']],
  ])('%s', (_name, text, expected) => {
    const parsed = parseImageConfig(text, 'apko.yaml');
    // Cross-field rules run once includes are merged in; the loader applies them after parsing.
    const merged = parsed.config === undefined ? [] : mergedConfigIssues(parsed.config, parsed.source);
    const issues = [...parsed.issues, ...merged];
    expect(places(issues)).toEqual(expected);
    for (const issue of issues) expect(issue.message).not.toBe('');
  });

  it('names the missing key and the offending value', () => {
    expect(issuesOf('contents:\n  runtime_keyring:\n    - name: k\n')).toEqual([
      "apko.yaml:3:7: contents.runtime_keyring[0]: missing required key 'content'",
    ]);
    expect(issuesOf('accounts:\n  users:\n    - uid: "10"\n')).toEqual([
      "apko.yaml:3:12: accounts.users[0].uid: expected a number, got the string '10'",
    ]);
    expect(issuesOf('contents:\n  packages:\n    - foo@edge=1.0\n')).toEqual([
      "apko.yaml:3:7: contents.packages[0]: 'foo@edge=1.0' is not a valid dependency for apko (write the tag last, 'name=version@tag', with a tag of letters and digits)",
    ]);
  });

  it('quoted numbers, dependency spellings apko and apk agree on, and tags are fine', () => {
    const text = [
      'contents:',
      '  repositories: ["@local ./packages", https://example.com/os/]',
      '  packages:',
      '    - "1.0"',
      '    - foo=1.0',
      '    - bar>=2',
      '    - baz~1.2',
      '    - qux=~1.2',
      '    - so:libc.so.6',
      '    - pinned=1.0-r0@local',
      '    - "!conflicting"',
      '',
    ].join('\n');
    const parsed = parseImageConfig(text, 'apko.yaml');
    expect(parsed.issues).toEqual([]);
    expect(parsed.config?.contents.packages).toHaveLength(8);
  });
});
