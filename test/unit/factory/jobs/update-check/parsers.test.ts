import { describe, expect, it } from 'vitest';
import { LarderError } from '../../../../../src/core/index.js';
import {
  parseLsRemoteTags,
  parseReleaseMonitorVersions,
  releaseMonitorUrl,
  updateCheckPayload,
} from '../../../../../src/factory/jobs/update-check/index.js';
import { isRetryable } from '../../../../../src/factory/service.js';

function thrown(work: () => unknown): LarderError {
  try {
    work();
  } catch (err) {
    if (err instanceof LarderError) return err;
    throw err;
  }
  throw new Error('expected a LarderError');
}

describe('git ls-remote --tags output', () => {
  it('lists tag names once, annotated tags peeled, other refs and junk lines skipped', () => {
    const out = [
      'aaa\trefs/tags/v1.0',
      'bbb\trefs/tags/v1.0^{}',
      'ccc\trefs/tags/v0.9',
      'ddd\trefs/heads/main',
      'garbage line',
      '',
      'eee\trefs/tags/',
    ].join('\n');
    expect(parseLsRemoteTags(out)).toEqual(['v0.9', 'v1.0']);
    expect(parseLsRemoteTags('')).toEqual([]);
  });
});

describe('release-monitor answers', () => {
  const source = 'http://rm/api/v2/versions/?project_id=7';
  const body = { latest_version: '2.0', versions: ['2.0rc1', '2.0', '1.9'], stable_versions: ['2.0', '1.9'] };

  it('gives the stable versions, or every version with prereleases enabled or no stable list', () => {
    expect(parseReleaseMonitorVersions(JSON.stringify(body), source, false)).toEqual(['2.0', '1.9']);
    expect(parseReleaseMonitorVersions(JSON.stringify(body), source, true)).toEqual(['2.0rc1', '2.0', '1.9']);
    expect(parseReleaseMonitorVersions('{"versions":["3"]}', source, false)).toEqual(['3']);
  });

  it('rejects broken answers naming the URL and what is wrong', () => {
    const cases: Array<[string, string]> = [
      ['', 'not JSON'],
      ['<html>', 'not JSON'],
      ['[]', 'expected a JSON object with "versions"'],
      ['null', 'expected a JSON object with "versions"'],
      ['{}', '"versions" must be a list of strings'],
      ['{"versions":"1.0"}', '"versions" must be a list of strings'],
      ['{"versions":["1.0", 2]}', '"versions"[1] must be a string, got 2'],
      ['{"versions":[],"stable_versions":{}}', '"stable_versions" must be a list of strings'],
    ];
    for (const [text, message] of cases) {
      const err = thrown(() => parseReleaseMonitorVersions(text, source, false));
      expect(err.code).toBe('FETCH_FAILED');
      expect(err.message).toContain(`${source}: unexpected release-monitor answer: ${message}`);
    }
  });

  it('builds the versions URL under any base', () => {
    expect(releaseMonitorUrl('https://release-monitoring.org', '7')).toBe(
      'https://release-monitoring.org/api/v2/versions/?project_id=7',
    );
    expect(releaseMonitorUrl('http://127.0.0.1:9/', 'a b')).toBe(
      'http://127.0.0.1:9/api/v2/versions/?project_id=a%20b',
    );
  });
});

describe('update-check payloads', () => {
  it('takes recipe, file and slot', () => {
    expect(
      updateCheckPayload({
        key: 'k',
        payload: { recipe: 'a', file: '/w/a.yaml', slot: '2026-11-28T00:00:00.000Z' },
      }),
    ).toEqual({ recipe: 'a', file: '/w/a.yaml', slot: '2026-11-28T00:00:00.000Z' });
  });

  it('rejects broken payloads without retry, naming the key and field', () => {
    const cases: Array<[unknown, string]> = [
      [null, 'the payload is not an object'],
      ['x', 'the payload is not an object'],
      [{ file: '/a', slot: 's' }, 'payload.recipe must be a non-empty string, got nothing'],
      [{ recipe: 'a', file: 3, slot: 's' }, 'payload.file must be a non-empty string, got 3'],
      [{ recipe: 'a', file: '/a', slot: '' }, 'payload.slot must be a non-empty string, got ""'],
    ];
    for (const [payload, message] of cases) {
      const err = thrown(() =>
        updateCheckPayload({ key: 'update-check:a@s', payload: payload as Record<string, unknown> }),
      );
      expect(err.code).toBe('JOB_INVALID');
      expect(err.message).toBe(`job update-check:a@s: ${message}`);
      expect(isRetryable(err)).toBe(false);
    }
  });
});
