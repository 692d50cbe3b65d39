import { describe, expect, it } from 'vitest';
import { mergedConfigIssues } from '../../../src/image/config/parse.js';
import { loadImageConfig, parseImageConfig } from '../../../src/image/index.js';
import { places, rejection, writeTree } from './helpers.js';

function issues(text: string) {
  const parsed = parseImageConfig(text, 'apko.yaml');
  const merged = parsed.config === undefined ? [] : mergedConfigIssues(parsed.config, parsed.source);
  return [...parsed.issues, ...merged];
}

describe('layering in the image config', () => {
  it.each([
    ['an unknown strategy', 'layering:\n  strategy: size\n  budget: 2\n', ['2:13 layering.strategy']],
    ['a budget without a strategy', 'layering:\n  budget: 2\n', ['2:3 layering.strategy']],
    ['a zero budget', 'layering:\n  strategy: origin\n  budget: 0\n', ['3:11 layering.budget']],
    ['a negative budget', 'layering:\n  strategy: origin\n  budget: -3\n', ['3:11 layering.budget']],
    ['a fractional budget', 'layering:\n  strategy: origin\n  budget: 1.5\n', ['3:11 layering.budget']],
    [
      'layering on a base image',
      'contents:\n  baseimage:\n    image: base\nlayering:\n  strategy: origin\n',
      ['4:1 layering'],
    ],
    ['erofs with layering', 'format: erofs\nlayering:\n  strategy: origin\n', ['1:9 format']],
  ])('%s is refused with its place', (_name, text, expected) => {
    const found = issues(text);
    expect(places(found)).toEqual(expected);
    for (const issue of found) expect(issue.message).not.toBe('');
  });

  it.each([
    ['origin with a budget', 'layering:\n  strategy: origin\n  budget: 10\n'],
    ['origin without a budget', 'layering:\n  strategy: origin\n'],
    ['an empty layering (one layer, as in apko)', 'layering: {}\n'],
  ])('%s is accepted', (_name, text) => {
    expect(issues(text)).toEqual([]);
  });

  it('loading a config with a bad budget is CONFIG_INVALID naming the field', async () => {
    const dir = await writeTree({ 'apko.yaml': 'layering:\n  strategy: origin\n  budget: 0\n' });
    const err = await rejection(loadImageConfig(`${dir}/apko.yaml`), 'CONFIG_INVALID');
    expect(err.message).toContain('layering.budget');
  });
});
