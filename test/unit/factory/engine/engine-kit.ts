// A factory workspace and fake job bodies for the engine tests: builds write and publish real
// signed packages (so the gatherer reads a real index), composes and rescans record what the
// real bodies would, and every call is counted per key.
import { createHash } from 'node:crypto';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { loadApkSigningKey, writeApkPackage } from '../../../../src/apk/index.js';
import type { Factory } from '../../../../src/factory/engine/index.js';
import type { JobRecord } from '../../../../src/factory/model.js';
import type { JobBodies, JobContext } from '../../../../src/factory/service.js';
import {
  latestImageVersions,
  recordBuild,
  recordImageVersion,
  updateImageVersion,
} from '../../../../src/factory/state/index.js';
import { initWorkspace } from '../../../../src/factory/workspace/index.js';
import { pkgMeta } from '../../../kit/meta.js';
import { tempDir } from '../../../kit/paths.js';

/** `larder init` (2048-bit keys) with its recipes and images replaced by `files`. */
export async function engineWorkspace(files: Readonly<Record<string, string>>): Promise<string> {
  const root = join(await tempDir('larder-engine-'), 'ws');
  await initWorkspace(root, { rsaBits: 2048 });
  for (const dir of ['recipes', 'images'])
    for (const name of await readdir(join(root, dir)))
      await rm(join(root, dir, name), { recursive: true, force: true });
  for (const [path, text] of Object.entries(files)) await put(root, path, text);
  return root;
}

export async function put(root: string, path: string, text: string): Promise<void> {
  await mkdir(dirname(join(root, path)), { recursive: true });
  await writeFile(join(root, path), text);
}

export function recipe(name: string, version: string, needs: readonly string[] = []): string {
  const env =
    needs.length === 0
      ? ''
      : `environment:\n  contents:\n    packages:\n${needs.map((n) => `      - ${n}\n`).join('')}`;
  return `package:\n  name: ${name}\n  version: ${version}\n  epoch: 0\n  description: ${name}\n  copyright:\n    - license: MIT\n${env}pipeline:\n  - runs: "true"\n`;
}

export const image = (packages: readonly string[]): string =>
  `contents:\n  packages:\n${packages.map((p) => `    - ${p}\n`).join('')}archs: [x86_64]\n`;

export const WORKSPACE = {
  'recipes/liba.yaml': recipe('liba', '1.0.0'),
  'recipes/app.yaml': recipe('app', '1.0.0', ['liba']),
  'images/app.yaml': image(['app', 'liba']),
};

/** The fake bodies and what they were asked to do. */
export interface FakeBodies {
  readonly bodies: JobBodies;
  /** Per key: how many times a body ran it to success. */
  readonly done: Map<string, number>;
  /** Keys in the order their bodies started. */
  readonly started: string[];
  /** Delays a body (ms) before it does its work. */
  delayMs: number;
}

export function fakeBodies(): FakeBodies {
  const done = new Map<string, number>();
  const started: string[] = [];
  const fake: FakeBodies = { bodies: undefined as unknown as JobBodies, done, started, delayMs: 0 };
  const finish = (job: JobRecord) => done.set(job.key, (done.get(job.key) ?? 0) + 1);
  const wait = (signal: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      if (fake.delayMs <= 0) return resolve();
      const timer = setTimeout(resolve, fake.delayMs);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(signal.reason);
      });
    });
  const p = (job: JobRecord, field: string): string => String(job.payload[field]);
  (fake as { bodies: JobBodies }).bodies = {
    async build(job, ctx: JobContext) {
      started.push(job.key);
      await wait(ctx.signal);
      const name = p(job, 'recipe');
      const version = `${p(job, 'version')}-r${p(job, 'epoch')}`;
      const startedAt = ctx.now();
      ctx.log(`[build] ${name} ${version}`);
      const repo = ctx.workspace.config.repository;
      const out = join(await tempDir('larder-engine-apk-'), `${name}-${version}.apk`);
      await writeApkPackage(out, {
        meta: pkgMeta({ pkgname: name, pkgver: version, origin: name, arch: p(job, 'arch') }),
        entries: [],
        signKey: await loadApkSigningKey(repo.signingKey),
      });
      await ctx.publisher.publish(p(job, 'arch'), [{ fileName: `${name}-${version}.apk`, path: out }], {
        key: job.key,
        recipe: name,
      });
      await recordBuild(ctx.store, {
        key: job.key,
        recipe: name,
        version,
        arch: p(job, 'arch'),
        recipeHash: p(job, 'recipeHash'),
        status: 'succeeded',
        startedAt,
        finishedAt: ctx.now(),
      });
      finish(job);
      return { packages: [`${name}-${version}`] };
    },
    async compose(job, ctx) {
      started.push(job.key);
      await wait(ctx.signal);
      await recordImageVersion(ctx.store, {
        image: p(job, 'image'),
        indexDigest: `sha256:${createHash('sha256').update(job.key).digest('hex')}`,
        digests: {},
        lock: {},
        lockHash: p(job, 'lockHash'),
        configHash: p(job, 'configHash'),
        feedVersion: p(job, 'feedVersion'),
        publishedAt: ctx.now(),
        signed: false,
        attested: false,
      });
      finish(job);
      return { digest: 'sha256:x' };
    },
    async rescan(job, ctx) {
      started.push(job.key);
      const version = (await latestImageVersions(ctx.store)).find((v) => v.image === p(job, 'image'));
      if (version !== undefined)
        await updateImageVersion(ctx.store, version.id, { feedVersion: p(job, 'feedVersion') });
      finish(job);
      return {};
    },
    async 'update-check'(job) {
      started.push(job.key);
      finish(job);
      return {};
    },
  };
  return fake;
}

/** Waits until `check` holds (polling every 20 ms), or fails after `ms`. */
export async function until(check: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Waits until the factory has nothing left to do: no job pending or running and a reconcile planned nothing. */
export async function settled(factory: Factory, ms = 30_000): Promise<void> {
  await until(async () => {
    await factory.reconciler.idle();
    const stats = await factory.queue.stats();
    if (stats.pending > 0 || stats.running > 0 || (factory.runner?.running() ?? 0) > 0) return false;
    const plan = factory.reconciler.last()?.plan;
    if (plan === undefined || plan.jobs.length > 0 || plan.inFlight.length > 0) {
      factory.wake('test: settled?');
      return false;
    }
    return true;
  }, ms);
}
