// Shared setup of the server unit tests: a fake service with recorded state, and an app over it.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createToken,
  recordAdvisories,
  recordBuild,
  recordImage,
  recordImageVersion,
  recordPackages,
  recordScan,
} from '../../../src/factory/state/index.js';
import { createServerApp, type ServerAppOptions } from '../../../src/server/index.js';
import {
  createFakeFactoryService,
  type FakeFactoryService,
  fakeFactoryConfig,
  fakeWorkspace,
} from '../../kit/fake-factory-service.js';

export const BUILD_KEY = 'build:hello@1.0-r0/x86_64#0123456789ab';
export const COMPOSE_KEY = 'compose:greet@aaaaaaaaaaaa#bbbbbbbbbbbb';

export interface Fixture {
  readonly root: string;
  readonly service: FakeFactoryService;
  readonly app: ReturnType<typeof createServerApp>;
  /** A token with the write scope. */
  readonly token: string;
  /** A token without scopes (reads only). */
  readonly readToken: string;
}

export async function fixture(
  options: { readonly publicReads?: boolean; readonly app?: ServerAppOptions } = {},
): Promise<Fixture> {
  const root = await mkdtemp(join(tmpdir(), 'larder-server-'));
  await mkdir(join(root, 'repo/x86_64'), { recursive: true });
  await mkdir(join(root, 'keys'));
  const config = fakeFactoryConfig(root, { server: { publicReads: options.publicReads ?? true } });
  const service = await createFakeFactoryService({
    workspace: fakeWorkspace(root, { config }),
    status: {
      reconciledAt: '2026-01-02T00:00:00.000Z',
      summary: ['+ build:hello  never built'],
      problems: [],
      exposed: ['greet'],
      feedVersion: 'feed-1',
    },
  });
  const store = service.store;
  await recordPackages(store, [
    {
      name: 'hello',
      version: '1.0-r0',
      arch: 'x86_64',
      origin: 'hello',
      checksum: 'Q1abc=',
      size: 10,
      buildKey: BUILD_KEY,
      publishedAt: '2026-01-01T00:10:00.000Z',
    },
  ]);
  await recordBuild(store, {
    key: BUILD_KEY,
    recipe: 'hello',
    version: '1.0-r0',
    arch: 'x86_64',
    recipeHash: 'sha256:01',
    status: 'succeeded',
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:02:00.000Z',
  });
  await recordBuild(store, {
    key: 'build:other@2.0-r0/x86_64#ffffffffffff',
    recipe: 'other',
    version: '2.0-r0',
    arch: 'x86_64',
    recipeHash: 'sha256:02',
    status: 'failed',
    startedAt: '2026-01-01T01:00:00.000Z',
    finishedAt: '2026-01-01T01:00:30.000Z',
    error: 'step 2 failed',
  });
  await service.queue.enqueue([
    { key: BUILD_KEY, kind: 'build', payload: { recipe: 'hello' } },
    { key: COMPOSE_KEY, kind: 'compose', payload: { image: 'greet' }, after: [BUILD_KEY] },
  ]);
  await recordImage(store, {
    name: 'greet',
    configFile: join(root, 'images/greet.yaml'),
    configHash: 'sha256:cc',
    publish: ['127.0.0.1:5000/greet:latest'],
    policy: 'zero-known-cve',
  });
  const v = {
    image: 'greet',
    digests: { x86_64: 'sha256:m1' },
    lock: { packages: [] },
    lockHash: 'sha256:l1',
    configHash: 'sha256:cc',
    signed: true,
    attested: false,
  };
  await recordImageVersion(store, {
    ...v,
    indexDigest: 'sha256:i1',
    publishedAt: '2026-01-01T00:20:00.000Z',
  });
  await recordScan(store, {
    image: 'greet',
    digest: 'sha256:i1',
    at: '2026-01-01T00:20:00.000Z',
    findings: [
      {
        vulnId: 'CVE-2026-0001',
        aliases: [],
        package: 'hello',
        origin: 'hello',
        state: 'open',
        fixedIn: '1.0-r1',
      },
      {
        vulnId: 'CVE-2026-0002',
        aliases: ['GHSA-aaaa-bbbb-cccc'],
        package: 'hello',
        origin: 'hello',
        state: 'open',
      },
    ],
  });
  await recordImageVersion(store, {
    ...v,
    indexDigest: 'sha256:i2',
    publishedAt: '2026-01-01T00:30:00.000Z',
  });
  await recordScan(store, {
    image: 'greet',
    digest: 'sha256:i2',
    at: '2026-01-01T00:30:00.000Z',
    findings: [
      {
        vulnId: 'CVE-2026-0002',
        aliases: ['GHSA-aaaa-bbbb-cccc'],
        package: 'hello',
        origin: 'hello',
        state: 'open',
      },
    ],
  });
  await recordAdvisories(store, [
    {
      package: 'hello',
      id: 'CGA-xxxx-yyyy-zzzz',
      aliases: ['CVE-2026-0001'],
      state: 'fixed',
      updatedAt: '2026-01-01T00:25:00.000Z',
    },
  ]);
  for (let i = 1; i <= 3; i++)
    await service.emit({
      at: `2026-01-01T00:0${i}:00.000Z`,
      kind: 'package-published',
      subject: `package:hello-${i}`,
      message: `event ${i}`,
    });
  await writeFile(join(root, 'keys/larder.rsa.pub'), '-----BEGIN PUBLIC KEY-----\n');
  await writeFile(join(root, 'repo/x86_64/APKINDEX.tar.gz'), 'index bytes');
  await writeFile(join(root, 'repo/x86_64/hello-1.0-r0.apk'), 'package bytes');
  await writeFile(join(root, 'secret.apk'), 'outside');
  const token = (await createToken(store, { name: 'writer', scopes: ['write'] })).token;
  const readToken = (await createToken(store, { name: 'reader', scopes: [] })).token;
  const app = createServerApp(service, {
    version: '9.9.9',
    logPollMs: 10,
    keepAliveMs: 50,
    dashboard: false,
    ...options.app,
  });
  return { root, service, app, token, readToken };
}

export const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
