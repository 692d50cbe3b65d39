import { describe, expect, it } from 'vitest';
import { newPackageRecord } from '../../../src/apk/index.js';
import {
  fromIndexRecord,
  fromIndexRecords,
  parseWorldDependency,
  worldDependencyText,
} from '../../../src/solver/index.js';

describe('fromIndexRecord', () => {
  it('parses dependency, provide and install_if strings', () => {
    const rec = {
      ...newPackageRecord('a', '1-r0'),
      checksum: 'Q1hdUpqRv5mYgJEqW52UmVsvmyysE=',
      depends: ['b>=2', '!c', 'so:libz.so.1'],
      provides: ['cmd:a=1-r0', '/bin/a'],
      installIf: ['x', 'y=1'],
      providerPriority: 10,
      installedSize: 5,
      arch: 'aarch64',
    };
    expect(fromIndexRecord(rec)).toEqual({
      name: 'a',
      version: '1-r0',
      checksum: 'Q1hdUpqRv5mYgJEqW52UmVsvmyysE=',
      depends: [
        { name: 'b', conflict: false, op: '>=', version: '2' },
        { name: 'c', conflict: true, op: 'any' },
        { name: 'so:libz.so.1', conflict: false, op: 'any' },
      ],
      provides: [{ name: 'cmd:a', version: '1-r0' }, { name: '/bin/a' }],
      installIf: [
        { name: 'x', conflict: false, op: 'any' },
        { name: 'y', conflict: false, op: '=', version: '1' },
      ],
      providerPriority: 10,
      installedSize: 5,
      arch: 'aarch64',
    });
  });

  it.each([
    ['depends', { depends: ['b>='] }, "a-1: D: 'b>='"],
    ['provides', { provides: ['x>1'] }, "a-1: p: 'x>1'"],
    ['install_if', { installIf: ['@bad'] }, "a-1: i: '@bad'"],
  ])('names the package and the string for a bad %s entry', (_, fields, message) => {
    expect(() => fromIndexRecord({ ...newPackageRecord('a', '1'), ...fields })).toThrow(message);
  });
});

describe('parseWorldDependency', () => {
  it('accepts apk fuzzy ranges <~ and >~, printed as apk does', () => {
    const d = parseWorldDependency('busybox<~1.36');
    expect(d).toEqual({ name: 'busybox', conflict: false, op: '<~', version: '1.36' });
    expect(worldDependencyText(d)).toBe('busybox?1.36');
    expect(parseWorldDependency('a@edge>=1')).toEqual({
      name: 'a',
      conflict: false,
      op: '>=',
      version: '1',
      tag: 'edge',
    });
  });
});

describe('fromIndexRecords', () => {
  const records = [
    { ...newPackageRecord('a', '1'), depends: ['so:libc.so', 'b>=1'], provides: ['cmd:a=1'] },
    { ...newPackageRecord('b', '2'), depends: ['so:libc.so'], installIf: ['b>=1'] },
  ];

  it('gives what fromIndexRecord gives, one object per distinct string', () => {
    const batch = fromIndexRecords(records);
    expect(batch).toEqual(records.map((r) => fromIndexRecord(r)));
    expect(batch[0]!.depends[0]).toBe(batch[1]!.depends[0]);
    expect(batch[0]!.depends[1]).toBe(batch[1]!.installIf[0]);
  });

  it('names the package and the string that does not parse', () => {
    const bad = [...records, { ...newPackageRecord('c', '3'), depends: ['so:libc.so', 'x>='] }];
    expect(() => fromIndexRecords(bad)).toThrow("c-3: D: 'x>='");
  });
});
