import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateApkKeyPair, loadApkSigningKey, readApkIndex } from '../../../../../src/apk/index.js';
import { buildRecipe, pipelineLibrary } from '../../../../../src/build/index.js';
import { LarderError } from '../../../../../src/core/index.js';
import { listEvents, listPackages, type Workspace } from '../../../../../src/factory/index.js';
import { createLocalPublisher } from '../../../../../src/factory/jobs/publisher/index.js';
import type { BuiltPackageFile } from '../../../../../src/factory/service.js';
import { createFetcher } from '../../../../../src/repo/index.js';
import { openStore } from '../../../../../src/store/index.js';
import { createFakeSandboxRunner } from '../../../../kit/fake-sandbox.js';
import { tempDir } from '../../../../kit/paths.js';
import { jobWorkspace } from '../build/job-kit.js';

const RECIPE = `package:
  name: tool
  version: 3.1.0
  epoch: 2
  description: a tool
  copyright:
    - license: MIT
pipeline:
  - name: install
    runs: true
`;

const now = () => '2026-11-28T05:02:00.000Z';

/** Builds the recipe with a fake sandbox, signed with `key`, for `arch`. */
async function built(ws: Workspace, key: string, arch = 'x86_64'): Promise<BuiltPackageFile[]> {
  const outDir = await tempDir('larder-pub-out-');
  const result = await buildRecipe({
    recipe: ws.recipes[0]?.file as string,
    library: pipelineLibrary([]),
    arch,
    runner: createFakeSandboxRunner({ install: () => 0 }),
    fetcher: createFetcher({ stateDir: await tempDir() }),
    outDir,
    signKey: await loadApkSigningKey(key),
    emptyWorkspace: true,
  });
  return result.packages.map((p) => ({ fileName: basename(p.path), path: p.path }));
}

async function failure(promise: Promise<unknown>): Promise<LarderError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof LarderError)) throw new Error(`expected a LarderError, got ${String(err)}`);
  return err;
}

describe('the local publisher', () => {
  it('publishes into the repository with a signed index, records the packages and one event each', async () => {
    const ws = await jobWorkspace({ 'recipes/tool.yaml': RECIPE });
    const store = await openStore(':memory:');
    const publisher = createLocalPublisher(ws, store, { now });
    const files = await built(ws, ws.config.repository.signingKey);
    const build = { key: 'build:tool@3.1.0-r2/x86_64#abc', recipe: 'tool' };
    const published = await publisher.publish('x86_64', files, build);
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({ name: 'tool', version: '3.1.0-r2', arch: 'x86_64', origin: 'tool' });
    expect(published[0]?.checksum).toMatch(/^Q1[A-Za-z0-9+/]{27}=$/);
    const dir = join(ws.config.repository.dir, 'x86_64');
    const bytes = await readFile(join(dir, 'tool-3.1.0-r2.apk'));
    expect(published[0]?.size).toBe(bytes.length);
    const index = readApkIndex(await readFile(join(dir, 'APKINDEX.tar.gz')));
    expect(index.records.map((r) => [r.name, r.version, r.checksum])).toEqual([
      ['tool', '3.1.0-r2', published[0]?.checksum],
    ]);
    expect(await listPackages(store)).toEqual([{ ...published[0], buildKey: build.key, publishedAt: now() }]);
    const events = await listEvents(store);
    expect(events.map((e) => [e.kind, e.subject, e.message])).toEqual([
      ['package-published', 'package:tool-3.1.0-r2', 'published tool-3.1.0-r2 (x86_64) built from tool'],
    ]);
    expect(events[0]?.details).toMatchObject({ build: build.key, checksum: published[0]?.checksum });

    // A retried job publishes the same files again: nothing changes.
    const again = await publisher.publish('x86_64', files, build);
    expect(again).toEqual(published);
    expect(await listEvents(store)).toHaveLength(1);
    expect(await listPackages(store)).toHaveLength(1);
    expect(await readFile(join(dir, 'tool-3.1.0-r2.apk'))).toEqual(bytes);
    expect(await publisher.publish('x86_64', [], build)).toEqual([]);

    // A reproducible rebuild (its build-dep changed, its bytes did not) by another build: the
    // record now names that build, keeps its first publication time, and no event is added.
    const rebuild = { key: 'build:tool@3.1.0-r2/x86_64#abc.def', recipe: 'tool' };
    const later = () => '2026-12-01T00:00:00.000Z';
    await createLocalPublisher(ws, store, { now: later }).publish('x86_64', files, rebuild);
    expect(await listPackages(store)).toEqual([
      { ...published[0], buildKey: rebuild.key, publishedAt: now() },
    ]);
    expect(await listEvents(store)).toHaveLength(1);
  });

  it('serialises concurrent publishes of the same files: one record, one event', async () => {
    const ws = await jobWorkspace({ 'recipes/tool.yaml': RECIPE });
    const store = await openStore(':memory:');
    const publisher = createLocalPublisher(ws, store, { now });
    const files = await built(ws, ws.config.repository.signingKey);
    const build = { key: 'build:k', recipe: 'tool' };
    await Promise.all([publisher.publish('x86_64', files, build), publisher.publish('x86_64', files, build)]);
    expect(await listEvents(store)).toHaveLength(1);
  });

  it('refuses a package not signed by the repository key, naming the file', async () => {
    const ws = await jobWorkspace({ 'recipes/tool.yaml': RECIPE });
    const store = await openStore(':memory:');
    const keys = await tempDir('larder-other-key-');
    await generateApkKeyPair('other', { dir: keys, bits: 2048 });
    const files = await built(ws, join(keys, 'other.rsa'));
    const err = await failure(
      createLocalPublisher(ws, store).publish('x86_64', files, { key: 'k', recipe: 'tool' }),
    );
    expect(err.code).toBe('SIGNATURE_UNTRUSTED');
    expect(err.message).toContain(files[0]?.path);
    expect(await listPackages(store)).toEqual([]);
  });

  it('refuses garbage, a misnamed file, a package of another arch and an arch the repository lacks', async () => {
    const ws = await jobWorkspace({ 'recipes/tool.yaml': RECIPE });
    const store = await openStore(':memory:');
    const publisher = createLocalPublisher(ws, store);
    const build = { key: 'k', recipe: 'tool' };
    const dir = await tempDir('larder-bad-apk-');

    const garbage = join(dir, 'tool-3.1.0-r2.apk');
    await writeFile(garbage, 'not a package');
    const bad = await failure(
      publisher.publish('x86_64', [{ fileName: 'tool-3.1.0-r2.apk', path: garbage }], build),
    );
    expect(bad.message).toContain(garbage);

    const [file] = await built(ws, ws.config.repository.signingKey);
    const misnamed = join(dir, 'tool-9.apk');
    await copyFile(file?.path as string, misnamed);
    const named = await failure(
      publisher.publish('x86_64', [{ fileName: 'tool-9.apk', path: misnamed }], build),
    );
    expect(named.code).toBe('PACKAGE_INVALID');
    expect(named.message).toBe(
      `${misnamed}: package holds tool 3.1.0-r2, so it must be named tool-3.1.0-r2.apk, not tool-9.apk`,
    );

    const arm = await built(ws, ws.config.repository.signingKey, 'aarch64');
    const other = await failure(publisher.publish('x86_64', arm, build));
    expect(other.code).toBe('PACKAGE_INVALID');
    expect(other.message).toBe(`${arm[0]?.path}: package is built for aarch64, not x86_64`);

    const lacking = await failure(publisher.publish('riscv64', arm, build));
    expect(lacking.message).toContain("cannot publish for arch 'riscv64': the repository's archs are x86_64");
    expect(await listPackages(store)).toEqual([]);
    expect(await listEvents(store)).toEqual([]);
  });
});
