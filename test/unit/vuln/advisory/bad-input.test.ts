import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isLarderError } from '../../../../src/core/index.js';
import {
  formatAdvisoryIssue,
  parseAdvisoryText,
  readAdvisoryDocument,
  sortAdvisoryIssues,
} from '../../../../src/vuln/advisory/index.js';
import { own } from '../../../kit/paths.js';

const EVENT_TYPES =
  'detection, true-positive-determination, fixed, false-positive-determination, pending-upstream-fix, fix-not-planned, analysis-not-planned';

/** Every file of test/fixtures/advisories/bad and every problem it must be reported with. */
const EXPECTED: Record<string, string[]> = {
  'bad-aliases': [
    '10:9: advisories[0].aliases[1]: alias CVE-2024-10001 is listed twice',
    "11:9: advisories[0].aliases[2]: 'RHSA-2024:1234' is not a CVE, GHSA or Go vulnerability id",
    "12:9: advisories[0].aliases[3]: 'CGA-2222-3333-4444' is not a CVE, GHSA or Go vulnerability id",
  ],
  'bad-id': ["7:9: advisories[0].id: 'CGA-abcd-efgh-ijkl' is not a CGA id (CGA-xxxx-xxxx-xxxx)"],
  'bad-timestamp': [
    "11:20: advisories[0].events[0].timestamp: timestamp '2024-13-01T00:00:00Z' is not RFC 3339 (YYYY-MM-DDTHH:MM:SSZ)",
    "15:20: advisories[0].events[1].timestamp: timestamp 'yesterday' is not RFC 3339 (YYYY-MM-DDTHH:MM:SSZ)",
  ],
  'duplicate-ids': ['16:9: advisories[1].id: duplicate advisory id CGA-2222-3333-4444 (also advisories[0])'],
  'duplicate-key': ['13:9: Map keys must be unique'],
  empty: ['1:1: the file is empty'],
  'invalid-fixed-version': [
    "14:26: advisories[0].events[0].data.fixed-version: invalid fixed-version '1.1.0-r1-r0': more than one -rN epoch",
  ],
  'malformed-yaml': ['9:5: Flow sequence in block collection must be sufficiently indented and end with a ]'],
  'manual-with-data': ["15:11: advisories[0].events[0].data.data: unknown key 'data'"],
  'many-problems': [
    "1:17: schema-version: schema-version '3.0.0' is not 2.x (larder reads schema 2)",
    "9:9: advisories[0].aliases[0]: 'CVE-24-1' is not a CVE, GHSA or Go vulnerability id",
    "14:26: advisories[0].events[0].data.fixed-version: invalid fixed-version 'banana-r1': 'a' at offset 1 cannot follow a letter",
    `18:15: advisories[1].events[0].type: unknown event type 'whatever' (expected one of: ${EVENT_TYPES})`,
    '19:9: advisories[2].id: duplicate advisory id CGA-5555-6666-7777 (also advisories[1])',
    "21:9: advisories[2].events[0]: missing required key 'timestamp'",
  ],
  'missing-epoch': [
    "14:26: advisories[0].events[0].data.fixed-version: fixed-version '1.2.3' must be a full version with its epoch (-rN)",
  ],
  'missing-note': [
    "11:9: advisories[0].events[0]: missing required key 'data'",
    '16:17: advisories[0].events[1].data.note: note must not be empty',
  ],
  'name-mismatch': [
    "4:9: package.name: package 'openssl' must be in a file named openssl.advisories.yaml, not name-mismatch.advisories.yaml",
  ],
  'no-events': ['10:5: advisories[0].events: an advisory has at least one event'],
  'scan-missing-field': ["15:11: advisories[0].events[0].data.data: missing required key 'componentType'"],
  'schema-v1': [
    "1:1: missing required key 'schema-version'",
    '4:1: advisories: expected a list, got a mapping',
  ],
  'two-documents': ['5:1: an advisory file is one YAML document'],
  'unknown-detection-type': [
    "14:17: advisories[0].events[0].data.type: unknown detection type 'scan/v2' (expected one of: manual, nvdapi, scan/v1)",
  ],
  'unknown-event-type': [
    `16:15: advisories[0].events[1].type: unknown event type 'fixed-soon' (expected one of: ${EVENT_TYPES})`,
  ],
  'unknown-fp-type': [
    "14:17: advisories[0].events[0].data.type: unknown false-positive type 'vulnerable_code_not_present' (expected one of: vulnerability-record-analysis-contested, component-vulnerability-mismatch, vulnerable-code-version-not-used, vulnerable-code-not-included-in-package, vulnerable-code-not-in-execution-path, vulnerable-code-cannot-be-controlled-by-adversary, inline-mitigations-exist)",
  ],
  'unknown-keys': [
    "5:3: package.version: unknown key 'version'",
    "9:5: advisories[0].severity: unknown key 'severity'",
    "17:11: advisories[0].events[0].data.fixed-commit: unknown key 'fixed-commit'",
  ],
  'wrong-shapes': [
    "3:10: package: expected a mapping, got 'wrong-shapes'",
    "7:14: advisories[0].aliases: expected a list, got 'CVE-2024-10001'",
    "9:9: advisories[0].events[0]: expected a mapping, got 'just a string'",
  ],
};

const BAD = own('advisories', 'bad');

describe('bad advisory documents (test/fixtures/advisories/bad)', () => {
  it('the corpus and the table name the same files', () => {
    const files = readdirSync(BAD).map((f) => f.replace(/\.advisories\.yaml$/, ''));
    expect(files.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.entries(EXPECTED))('%s: every problem, at its line and column', (name, expected) => {
    const file = `${name}.advisories.yaml`;
    const parsed = parseAdvisoryText(readFileSync(`${BAD}/${file}`, 'utf8'), file);
    expect(parsed.document).toBeUndefined();
    expect(sortAdvisoryIssues(parsed.issues).map(formatAdvisoryIssue)).toEqual(
      expected.map((e) => `${file}:${e}`),
    );
  });

  it.each(Object.keys(EXPECTED))(
    '%s: readAdvisoryDocument throws ADVISORY_INVALID naming the file',
    async (name) => {
      const file = `${BAD}/${name}.advisories.yaml`;
      const err = await readAdvisoryDocument(file).catch((e: unknown) => e);
      expect(isLarderError(err, 'ADVISORY_INVALID')).toBe(true);
      expect((err as Error).message).toContain(`${file}:`);
    },
  );
});
