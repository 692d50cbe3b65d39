import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LarderError } from '../../../../src/core/index.js';
import {
  applyIgnoreRules,
  applyOnlyFixed,
  compileGlob,
  parseIgnoreRules,
} from '../../../../src/vuln/report/index.js';
import { own } from '../../../kit/paths.js';
import { prng } from '../../../kit/prng.js';
import { finding, pkg, rangeRecord } from './builders.js';

const read = (name: string) => readFileSync(own('ignore-rules', name), 'utf8');

describe('ignore-rules files', () => {
  it('reads every field; a rule knows its file:line:col', () => {
    const rules = parseIgnoreRules(read('rules.yaml'), 'rules.yaml');
    expect(rules).toHaveLength(5);
    expect(rules[0]).toEqual({
      vulnerability: 'CVE-2024-0001',
      includeAliases: false,
      reason: 'accepted until the 3.1 upgrade',
      source: 'rules.yaml:2:3',
    });
    expect(rules[2]).toMatchObject({
      package: { name: 'busybox', version: '1.36.1-r2', type: 'apk' },
      fixState: 'not-fixed',
    });
    // `version: 3.0` is a YAML number: the rule keeps its text.
    expect(rules[4]?.package).toEqual({ version: '3.0', upstreamName: 'openssl' });
    expect(parseIgnoreRules(read('grype-style.yaml'), 'g.yaml')).toHaveLength(1);
    expect(parseIgnoreRules('', 'empty.yaml')).toEqual([]);
    expect(parseIgnoreRules('# nothing\n', 'c.yaml')).toEqual([]);
  });

  const BAD: Record<string, string[]> = {
    'bad-fix-state.yaml': [
      "1:14: 'fix-state' value 'broken' is not one of fixed, not-fixed, wont-fix, unknown",
    ],
    'bad-glob.yaml': ["2:15: 'location' glob 'usr/[lib': unclosed '['"],
    'bad-include-aliases.yaml': ["2:20: 'include-aliases' is true or false"],
    'bad-type.yaml': ["2:11: 'type' value 'deb' is not one of apk, go-module"],
    'duplicate-key.yaml': ['2:3: Map keys must be unique'],
    'empty-reason.yaml': ["2:11: 'reason' must be a non-empty string"],
    'ignore-not-list.yaml': ['1:9: expected a list of rules'],
    'matches-everything.yaml': ['1:3: a rule must set vulnerability, package or fix-state'],
    'missing-reason.yaml': ["1:3: a rule needs a 'reason'"],
    'not-a-list.yaml': ["1:1: unknown key 'vulnerability'", "2:1: unknown key 'reason'"],
    'package-empty.yaml': ["1:12: 'package' sets none of its fields"],
    'package-not-mapping.yaml': [
      "1:12: 'package' is a mapping of name, version, type, location, upstream-name",
    ],
    'rule-not-mapping.yaml': ['1:3: a rule is a mapping'],
    'several-problems.yaml': ["4:14: 'fix-state' value 'nope'", "5:3: a rule needs a 'reason'"],
    'syntax.yaml': ['3:1: Flow sequence in block collection'],
    'two-documents.yaml': ['3:1: one YAML document expected'],
    'unknown-key.yaml': [
      "3:3: unknown key 'severity' (known: vulnerability, include-aliases, package, fix-state, reason)",
    ],
    'unknown-package-key.yaml': [
      "3:5: unknown key 'arch' (known: name, version, type, location, upstream-name)",
    ],
    'vulnerability-list.yaml': ["1:18: 'vulnerability' must be a non-empty string"],
  };

  it('the table covers the whole bad corpus', () => {
    expect(readdirSync(own('ignore-rules', 'bad')).sort()).toEqual(Object.keys(BAD).sort());
  });

  it.each(Object.entries(BAD))(
    'bad/%s → IGNORE_RULES_INVALID at line:col, every problem',
    (name, expected) => {
      let err: unknown;
      try {
        parseIgnoreRules(read(`bad/${name}`), name);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(LarderError);
      expect((err as LarderError).code).toBe('IGNORE_RULES_INVALID');
      const lines = (err as Error).message.split('\n').map((l) => l.trim());
      expect(lines).toHaveLength(expected.length);
      expected.forEach((fragment, i) => {
        expect(lines[i]).toContain(`${name}:${fragment}`);
      });
    },
  );

  it('3,000 mutated files parse or throw IGNORE_RULES_INVALID', () => {
    const base = read('rules.yaml');
    const pieces = [
      '-',
      ':',
      ' ',
      '\n',
      '  ',
      '[',
      '{',
      '"',
      '*a',
      '&a ',
      '!!int ',
      '? ',
      'reason: x\n',
      'package:\n',
    ];
    const random = prng(0x1617);
    let parsed = 0;
    for (let i = 0; i < 3000; i++) {
      let text = base;
      for (let r = 0; r < 1 + Math.floor(random() * 3); r++) {
        const at = Math.floor(random() * text.length);
        const cut = Math.floor(random() * 6);
        const piece = pieces[Math.floor(random() * pieces.length)] ?? '';
        text =
          random() < 0.5
            ? text.slice(0, at) + piece + text.slice(at + cut)
            : text.slice(0, at) + text.slice(at + cut);
      }
      try {
        const rules = parseIgnoreRules(text, 'fuzz.yaml');
        for (const rule of rules) expect(rule.reason.length).toBeGreaterThan(0);
        parsed++;
      } catch (err) {
        if (!(err instanceof LarderError) || err.code !== 'IGNORE_RULES_INVALID')
          throw new Error(`case ${i}: ${String(err)}\n${text}`);
      }
    }
    expect(parsed).toBeGreaterThan(200);
  }, 90_000);
});

describe('applying ignore rules', () => {
  const rules = parseIgnoreRules(read('rules.yaml'), 'rules.yaml');
  const busybox = pkg('busybox', '1.36.1-r2');
  const libcrypto = pkg('libcrypto3', '3.0', { origin: 'openssl' });
  const goTool = pkg('example.com/tool', 'v1.0.0', { ecosystem: 'go', locations: ['usr/bin/sub/tool'] });
  const goLib = pkg('example.com/lib', 'v1.0.0', { ecosystem: 'go', locations: ['opt/app/lib'] });
  const go = (p: typeof goTool, id: string) =>
    finding(p, id, 'high', { record: rangeRecord(p.name, id, 'v2') });

  it.each([
    [
      'by id',
      finding(busybox, 'CVE-2024-0001', 'low', { fix: { state: 'fixed', versions: ['2-r0'] } }),
      'rules.yaml:2:3',
    ],
    [
      'by alias, ignoring case',
      finding(busybox, 'GHSA-x', 'low', { aliases: ['CVE-2024-0002'] }),
      'rules.yaml:4:3',
    ],
    ['by package, version, type and fix state', finding(busybox, 'CVE-2024-0099', 'low'), 'rules.yaml:7:3'],
    ['by type and location glob', go(goTool, 'GO-1'), 'rules.yaml:13:3'],
    ['by upstream name, version and id', finding(libcrypto, 'CVE-2024-0003', 'low'), 'rules.yaml:17:3'],
  ])('suppresses %s', (_, f, source) => {
    const result = applyIgnoreRules([f], rules);
    expect(result.findings).toEqual([]);
    expect(result.suppressed[0]?.reason.source).toBe(source);
    expect(result.suppressed[0]?.reason.kind).toBe('ignore-rule');
    expect(result.suppressed[0]?.reason.detail).toMatch(/^ignore rule: /);
  });

  it.each([
    [
      'an alias without include-aliases',
      finding(pkg('zlib', '1.3-r0'), 'GHSA-y', 'low', { aliases: ['CVE-2024-0001'] }),
    ],
    [
      'a fixed finding of the not-fixed rule',
      finding(busybox, 'CVE-9', 'low', { fix: { state: 'fixed', versions: ['2-r0'] } }),
    ],
    ['another version', finding(pkg('busybox', '1.36.1-r3'), 'CVE-9', 'low')],
    ['a location outside the glob', go(goLib, 'GO-2')],
    ['another origin', finding(pkg('libcrypto3', '3.0', { origin: 'libressl' }), 'CVE-2024-0003', 'low')],
  ])('keeps %s', (_, f) => {
    expect(applyIgnoreRules([f], rules).findings).toEqual([f]);
  });

  it('lists rules that matched nothing', () => {
    const result = applyIgnoreRules([finding(busybox, 'CVE-2024-0001', 'low')], rules);
    expect(result.unused.map((r) => r.source)).toEqual([
      'rules.yaml:4:3',
      'rules.yaml:7:3',
      'rules.yaml:13:3',
      'rules.yaml:17:3',
    ]);
  });

  it('--only-fixed moves findings without a fix to suppressed', () => {
    const fixed = finding(busybox, 'CVE-1', 'low', { fix: { state: 'fixed', versions: ['2-r0'] } });
    const wont = finding(busybox, 'CVE-2', 'low', { fix: { state: 'wont-fix', versions: [] } });
    const none = finding(busybox, 'CVE-3', 'low');
    const result = applyOnlyFixed([fixed, wont, none]);
    expect(result.findings).toEqual([fixed]);
    expect(result.suppressed.map((s) => [s.finding.vulnerability, s.reason.kind, s.reason.detail])).toEqual([
      ['CVE-2', 'only-fixed', 'no fix available (fix state wont-fix)'],
      ['CVE-3', 'only-fixed', 'no fix available (fix state not-fixed)'],
    ]);
  });
});

describe('location globs', () => {
  it.each([
    ['usr/bin/**', 'usr/bin/a/b', true],
    ['usr/bin/*', 'usr/bin/a/b', false],
    ['usr/bin/*', 'usr/bin/a', true],
    ['/usr/**/tool', 'usr/tool', true],
    ['**/*.jar', 'opt/app/lib/x.jar', true],
    ['opt/?pp/*', 'opt/app/x', true],
    ['opt/[ab]pp/*', 'opt/cpp/x', false],
    ['opt/[!c]pp/*', 'opt/app/x', true],
    ['{usr,opt}/lib/*', 'opt/lib/x', true],
    ['usr/lib/a.b', 'usr/lib/aXb', false],
    ['usr/lib/(x)+', 'usr/lib/(x)+', true],
  ])('%s vs %s → %s', (pattern, path, expected) => {
    const glob = compileGlob(pattern);
    expect(typeof glob).toBe('function');
    expect((glob as (p: string) => boolean)(path)).toBe(expected);
  });

  it('reports what is not a glob', () => {
    expect(compileGlob('a/{b,c')).toEqual({ problem: "unclosed '{'" });
    expect(compileGlob('a/[b')).toEqual({ problem: "unclosed '[' at character 3" });
  });
});
