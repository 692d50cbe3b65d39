// A factory state for the dashboard tests (unit and browser): two images (one clean, one exposed),
// an image with a hostile name, a closed exposure, packages, builds with logs, queue jobs, events
// and tokens. Times are pinned: NOW is 2026-01-02T00:00:00Z.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WorkspaceImage } from '../../../../src/factory/model.js';
import {
  appendEvent,
  createToken,
  recordBuild,
  recordImage,
  recordImageVersion,
  recordPackages,
  recordScan,
} from '../../../../src/factory/state/index.js';
import {
  createFakeFactoryService,
  type FakeFactoryService,
  fakeFactoryConfig,
  fakeWorkspace,
} from '../../../kit/fake-factory-service.js';

export const NOW = '2026-01-02T00:00:00.000Z';
export const HOSTILE = '<script>alert(1)</script>';
export const RUNNING_KEY = 'build:openssl@3.0.2-r0/x86_64#0123456789ab';
export const DONE_KEY = 'build:openssl@3.0.1-r0/x86_64#abcdef012345';
export const FAILED_KEY = 'build:zlib@1.3-r0/aarch64#fedcba987654';
export const at = (hour: number, minute = 0): string =>
  new Date(Date.UTC(2026, 0, 1, hour, minute)).toISOString();
const digest = (c: string): string => `sha256:${c.repeat(64)}`;

export interface Seeded {
  readonly service: FakeFactoryService;
  /** A token with the write scope (named alice) and one with only read (named bob). */
  readonly writeToken: string;
  readonly readToken: string;
}

function image(root: string, name: string): WorkspaceImage {
  return {
    name,
    configFile: join(root, 'images', `${name}.yaml`),
    publish: [`registry.test/${name}`],
    hash: digest('c'),
  };
}

export async function seedDashboard(options: { readonly publicReads?: boolean } = {}): Promise<Seeded> {
  const root = join(tmpdir(), 'larder-dashboard-test');
  const config = fakeFactoryConfig(root, { server: { publicReads: options.publicReads ?? true } });
  const images = [
    image(root, 'web'),
    image(root, 'api'),
    { ...image(root, HOSTILE), problem: `bad ${HOSTILE}` },
  ];
  const service = await createFakeFactoryService({
    workspace: fakeWorkspace(root, { config, images }),
    status: {
      reconciledAt: at(23),
      summary: ['+ build:openssl@3.0.2-r0/x86_64  recipe changed'],
      problems: ['recipe zlib: pipeline step 2 has no runs'],
      exposed: ['web'],
      feedVersion: 'feed-42',
    },
    now: () => NOW,
  });
  const store = service.store;
  for (const i of images)
    await recordImage(store, {
      name: i.name,
      configFile: i.configFile,
      configHash: i.hash,
      publish: i.publish,
      policy: 'zero-known-cve',
    });
  const lock = { packages: [] };
  await recordImageVersion(store, {
    image: 'web',
    indexDigest: digest('a'),
    digests: { x86_64: digest('1'), aarch64: digest('2') },
    lock,
    lockHash: digest('d'),
    configHash: digest('c'),
    feedVersion: 'feed-42',
    publishedAt: at(10),
    signed: true,
    attested: true,
  });
  await recordImageVersion(store, {
    image: 'api',
    indexDigest: digest('b'),
    digests: { x86_64: digest('3') },
    lock,
    lockHash: digest('e'),
    configHash: digest('c'),
    publishedAt: at(8),
    signed: false,
    attested: false,
  });
  const finding = (vulnId: string, pkg: string) => ({
    vulnId,
    aliases: [`GHSA-${vulnId.slice(-4)}`],
    package: pkg,
    origin: pkg,
    fixedIn: '3.0.2-r0',
    state: 'open' as const,
  });
  await recordScan(store, {
    image: 'web',
    digest: digest('a'),
    at: at(10),
    findings: [finding('CVE-2026-0001', 'openssl')],
  });
  await recordScan(store, {
    image: 'api',
    digest: digest('b'),
    at: at(6),
    findings: [finding('CVE-2025-9999', 'zlib')],
  });
  await recordScan(store, { image: 'api', digest: digest('b'), at: at(8), findings: [] });

  await recordPackages(store, [
    {
      name: 'openssl',
      version: '3.0.1-r0',
      arch: 'x86_64',
      origin: 'openssl',
      checksum: 'Q1abcdefghijklmnopqrstuvwxyz0=',
      size: 123456,
      buildKey: DONE_KEY,
      publishedAt: at(9),
    },
    {
      name: 'openssl',
      version: '3.0.1-r0',
      arch: 'aarch64',
      origin: 'openssl',
      checksum: 'Q1bcdefghijklmnopqrstuvwxyz01=',
      size: 120000,
      publishedAt: at(9),
    },
    {
      name: 'libssl3',
      version: '3.0.1-r0',
      arch: 'x86_64',
      origin: 'openssl',
      checksum: 'Q1cdefghijklmnopqrstuvwxyz012=',
      size: 4000,
      buildKey: DONE_KEY,
      publishedAt: at(9),
    },
  ]);
  const build = { recipe: 'openssl', arch: 'x86_64', recipeHash: digest('f') };
  await recordBuild(store, {
    ...build,
    key: DONE_KEY,
    version: '3.0.1-r0',
    status: 'succeeded',
    startedAt: at(8, 30),
    finishedAt: at(8, 50),
  });
  await recordBuild(store, {
    ...build,
    key: RUNNING_KEY,
    version: '3.0.2-r0',
    status: 'running',
    startedAt: at(23, 30),
  });
  await recordBuild(store, {
    recipe: 'zlib',
    arch: 'aarch64',
    recipeHash: digest('9'),
    key: FAILED_KEY,
    version: '1.3-r0',
    status: 'failed',
    startedAt: at(22),
    finishedAt: at(22, 5),
    error: `make: *** ${HOSTILE}`,
  });
  service.appendLog(DONE_KEY, '[fetch] openssl-3.0.1.tar.gz');
  service.appendLog(DONE_KEY, '[make] done <ok>');
  service.appendLog(RUNNING_KEY, '[fetch] openssl-3.0.2.tar.gz');

  await service.queue.enqueue([
    { key: RUNNING_KEY, kind: 'build', payload: {} },
    { key: FAILED_KEY, kind: 'build', payload: {} },
    { key: 'compose:web@0123456789ab#0123456789ab', kind: 'compose', payload: {}, after: [RUNNING_KEY] },
  ]);
  const running = await service.queue.claim('embedded', ['build'], 600_000);
  const failing = await service.queue.claim('embedded', ['build'], 600_000);
  if (running?.key !== RUNNING_KEY || failing?.key !== FAILED_KEY)
    throw new Error('seed: unexpected claim order');
  await service.queue.fail(failing.id, 'embedded', 'make exited with 2', { retryable: false });

  await appendEvent(store, {
    at: at(10),
    kind: 'image-published',
    subject: 'image:web',
    message: 'web published',
  });
  await appendEvent(store, {
    at: at(11),
    kind: 'image-blocked',
    subject: `image:${HOSTILE}`,
    message: `blocked: <img src=x onerror=alert(2)>`,
  });
  await appendEvent(store, {
    at: at(22, 5),
    kind: 'build-failed',
    subject: 'recipe:zlib',
    message: 'zlib 1.3-r0 failed on aarch64',
  });
  const writeToken = (await createToken(store, { name: 'alice', scopes: ['write'] })).token;
  const readToken = (await createToken(store, { name: 'bob', scopes: ['read'] })).token;
  return { service, writeToken, readToken };
}
