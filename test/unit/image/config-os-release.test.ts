// `os-release` (apko's block until July 2024) and `certificates` in config files: accepted,
// modelled, merged through include, and every mistake placed at its line:column.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatIssue, loadImageConfig, parseImageConfig } from '../../../src/image/index.js';
import { fixtureCertificates } from '../../kit/certificates.js';
import { writeTree } from './helpers.js';

const issuesOf = (text: string) => parseImageConfig(text, 'apko.yaml').issues.map(formatIssue);
const indent = (pem: string) => pem.replace(/^/gm, '        ').trimEnd();

describe('os-release in the config', () => {
  it('is read into the model with every key', () => {
    const parsed = parseImageConfig(
      'os-release:\n  id: wolfi\n  name: Wolfi\n  version-id: "20230201"\n  pretty-name: Wolfi\n' +
        '  home-url: https://wolfi.dev\n  bug-report-url: https://github.com/wolfi-dev/os/issues\n',
      'apko.yaml',
    );
    expect(parsed.issues).toEqual([]);
    expect(parsed.config?.osRelease).toEqual({
      id: 'wolfi',
      name: 'Wolfi',
      versionId: '20230201',
      prettyName: 'Wolfi',
      homeUrl: 'https://wolfi.dev',
      bugReportUrl: 'https://github.com/wolfi-dev/os/issues',
    });
  });

  it('reports unknown keys and values that would break the file, each at its place', () => {
    expect(
      issuesOf(
        'os-release:\n  idd: x\n  id: a/b\n  version-id: 1 0\n  name: \'say "hi"\'\n  home-url: $HOME\n',
      ),
    ).toEqual([
      'apko.yaml:3:7: os-release.id: only letters, digits, ".", "_" and "-" may be used',
      'apko.yaml:5:9: os-release.name: must be one line without ", \\, ` or $',
      'apko.yaml:4:15: os-release.version-id: only letters, digits, ".", "_" and "-" may be used',
      'apko.yaml:6:13: os-release.home-url: must be one line without ", \\, ` or $',
      "apko.yaml:2:3: os-release.idd: unknown key 'idd'",
    ]);
    expect(issuesOf('os-release: wolfi\n')).toEqual([
      "apko.yaml:1:13: os-release: expected a mapping, got the string 'wolfi'",
    ]);
  });

  it('merges through include like the other blocks: the including file’s block wins whole', async () => {
    const dir = await writeTree({
      'base.yaml': 'os-release:\n  id: base\n  name: Base\n',
      'with.yaml': 'include: base.yaml\nos-release:\n  id: main\n',
      'without.yaml': 'include: base.yaml\ncmd: x\n',
    });
    expect((await loadImageConfig(join(dir, 'with.yaml'))).config.osRelease).toEqual({ id: 'main' });
    expect((await loadImageConfig(join(dir, 'without.yaml'))).config.osRelease).toEqual({
      id: 'base',
      name: 'Base',
    });
  });
});

describe('certificates in the config', () => {
  const cert = fixtureCertificates().get('cert-b')!;

  it('accepts PEM content (text around the block too) and keeps it as written', () => {
    const text = `certificates:\n  additional:\n    - name: corp.root_1\n      content: |\n        # comment\n${indent(cert)}\n`;
    const parsed = parseImageConfig(text, 'apko.yaml');
    expect(parsed.issues).toEqual([]);
    expect(parsed.config?.certificates?.additional).toEqual([
      { name: 'corp.root_1', content: `# comment\n${cert}` },
    ]);
  });

  it.each([
    ['no PEM', 'content: hello', 'content', 16, 'no PEM certificate found'],
    [
      'two certificates',
      `content: |\n${indent(cert)}\n${indent(cert)}`,
      'content',
      16,
      'multiple certificates',
    ],
    ['no content', 'other: x', '- name: bad', 7, "missing required key 'content'"],
  ])('%s → CONFIG_INVALID at certificates.additional[1]', (_what, entry, at, column, message) => {
    const head = `certificates:\n  additional:\n    - name: ok\n      content: |\n${indent(cert)}\n`;
    const text = `${head}    - name: bad\n      ${entry}\n`;
    // The line of `at` within the second entry.
    const line = text.slice(0, text.indexOf(at, head.length)).split('\n').length;
    const issues = issuesOf(text);
    const placed = issues.filter((i) =>
      i.startsWith(`apko.yaml:${line}:${column}: certificates.additional[1]`),
    );
    expect(placed).toEqual([expect.stringContaining(message)]);
    expect(issues.every((i) => i.includes('certificates.additional[1]'))).toBe(true);
  });
});
