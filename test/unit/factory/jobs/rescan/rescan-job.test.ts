import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isLarderError } from '../../../../../src/core/index.js';
import { composeJob, recordedPlatforms } from '../../../../../src/factory/jobs/compose/index.js';
import { rescanJob } from '../../../../../src/factory/jobs/rescan/index.js';
import { isRetryable } from '../../../../../src/factory/service.js';
import {
  imageFindings,
  latestImageVersions,
  listEvents,
  openFindings,
} from '../../../../../src/factory/state/index.js';
import {
  advisoryYaml,
  type ComposeWorld,
  composeWorld,
  DETECTED,
  FALSE_POSITIVE,
  FIXED_IN,
  jobOf,
} from '../compose/compose-kit.js';

let world: ComposeWorld;
let digest: string;

beforeEach(async () => {
  world = await composeWorld();
  await world.addPackage('libx', '1.0-r0', { files: { 'etc/os-release': 'ID=larder-test\n' } });
  await world.addPackage('app', '1.0-r0', { depends: ['libx'] });
  // Published without references: the rescan reads only the recorded lock.
  const published = await composeJob(
    jobOf('compose', 'compose:app', {
      image: 'app',
      configFile: world.configFile,
      publish: [],
      lockHash: 'sha256:planned',
      configHash: 'sha256:c0nf1g',
    }),
    world.context(),
  );
  digest = published.digest as string;
});
afterEach(async () => {
  await world.store.close();
});

const rescan = (now: string, feedVersion = 'planned00000') =>
  rescanJob(
    jobOf('rescan', `rescan:app@${digest.slice(7, 19)}#${feedVersion}`, {
      image: 'app',
      digest,
      feedVersion,
    }),
    world.context(undefined, now),
  );

describe('rescanJob', () => {
  it('re-matches the published lock: new data exposes the image, a fix opens it, a false positive covers it', async () => {
    const [before] = await latestImageVersions(world.store);
    await world.writeAdvisory('libx', advisoryYaml('libx', DETECTED));
    const first = await rescan('2026-11-28T06:00:00.000Z');
    expect(first).toMatchObject({ digest, findings: 1, awaitingFix: 1, exposed: 1 });
    expect(first.feedVersion).not.toBe(before!.feedVersion);
    const [after] = await latestImageVersions(world.store);
    expect(after!.feedVersion).toBe(first.feedVersion);
    expect((await openFindings(world.store, 'app')).map((f) => [f.vulnId, f.state, f.firstSeen])).toEqual([
      ['CGA-9m9w-f4q4-w37p', 'awaiting-fix', '2026-11-28T06:00:00.000Z'],
    ]);
    const exposed = (await listEvents(world.store, { kind: 'image-exposed' }))[0];
    expect(exposed).toMatchObject({ subject: 'image:app', at: '2026-11-28T06:00:00.000Z' });
    expect(exposed!.message).toContain('CGA-9m9w-f4q4-w37p (unknown) in libx 1.0-r0, no fix yet');

    // The same data again: nothing new, no second exposure event.
    const again = await rescan('2026-11-28T06:30:00.000Z');
    expect(again).toMatchObject({ findings: 1, exposed: 0 });
    expect(await listEvents(world.store, { kind: 'image-exposed' })).toHaveLength(1);

    await world.writeAdvisory('libx', advisoryYaml('libx', FIXED_IN('1.0-r1')));
    const fixed = await rescan('2026-11-28T07:00:00.000Z');
    expect(fixed).toMatchObject({ findings: 1, awaitingFix: 0, exposed: 0 });
    expect((await openFindings(world.store, 'app')).map((f) => [f.state, f.fixedIn, f.firstSeen])).toEqual([
      ['open', '1.0-r1', '2026-11-28T06:00:00.000Z'],
    ]);

    await world.writeAdvisory('libx', advisoryYaml('libx', FALSE_POSITIVE));
    const covered = await rescan('2026-11-28T08:00:00.000Z');
    expect(covered).toMatchObject({ findings: 0, awaitingFix: 0 });
    expect(await openFindings(world.store, 'app')).toEqual([]);
    expect((await imageFindings(world.store, 'app')).map((f) => f.state)).toEqual(['not-affected']);
    expect(world.logs.filter((l) => l.startsWith(`stage: scan: ${digest} against feed `)).length).toBe(4);
  });

  it('refuses a version that was never published, and a broken payload, without retry', async () => {
    const unknown = await rescanJob(
      jobOf('rescan', 'rescan:app@000000000000#x', {
        image: 'app',
        digest: `sha256:${'0'.repeat(64)}`,
        feedVersion: 'x',
      }),
      world.context(),
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isLarderError(unknown, 'NOT_FOUND'), String(unknown)).toBe(true);
    expect(isRetryable(unknown)).toBe(false);
    const broken = await rescanJob(
      jobOf('rescan', 'rescan:bad', { image: 'app', digest: 7 }),
      world.context(),
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isLarderError(broken, 'JOB_INVALID'), String(broken)).toBe(true);
    expect((broken as Error).message).toBe(
      'job rescan:bad: payload.digest must be a non-empty string, got 7',
    );
  });
});

describe('recordedPlatforms', () => {
  it('reads back what compose recorded', async () => {
    const [version] = await latestImageVersions(world.store);
    const platforms = recordedPlatforms(version!.lock, 'v');
    expect(platforms).toEqual([
      {
        arch: 'x86_64',
        distro: { id: 'larder-test' },
        packages: expect.arrayContaining([
          { name: 'libx', version: '1.0-r0', origin: 'libx' },
          { name: 'app', version: '1.0-r0', origin: 'app' },
        ]),
      },
    ]);
  });

  it('refuses broken stored locks, naming what is wrong', () => {
    const cases: [unknown, string][] = [
      [null, 'has no platforms list'],
      [{ platforms: {} }, 'has no platforms list'],
      [{ platforms: [{ packages: [] }] }, 'platform 0: needs arch and packages'],
      [{ platforms: [{ arch: 'x86_64', packages: [], distro: 3 }] }, 'platform 0: distro needs an id'],
      [
        { platforms: [{ arch: 'x86_64', packages: [{ name: 'a', version: '1' }] }] },
        'platform 0 package 0: needs',
      ],
    ];
    for (const [lock, message] of cases) {
      let err: unknown;
      try {
        recordedPlatforms(lock, 'image app version 3');
      } catch (e) {
        err = e;
      }
      expect(isLarderError(err, 'STORE_INVALID'), String(err)).toBe(true);
      expect((err as Error).message).toContain(`image app version 3: the recorded lock ${message}`);
    }
  });
});
