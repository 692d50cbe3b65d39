// The embedded engine end to end in one process, over a real SQLite file: the real gatherer
// (repository index, image resolution with makeLock), vulnerability data (refreshVulnData),
// local publisher and security.json; only the job bodies are fakes (test/unit/factory/engine).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { readApkIndex } from '../../src/apk/index.js';
import { createFactory, type Factory } from '../../src/factory/engine/index.js';
import { appendJobLog, listEvents, readJobLog } from '../../src/factory/state/index.js';
import { openStore, type Store } from '../../src/store/index.js';
import { tempDir } from '../kit/paths.js';
import { type PostgresCluster, startPostgres } from '../kit/postgres.js';
import { engineWorkspace, fakeBodies, settled, WORKSPACE } from '../unit/factory/engine/engine-kit.js';

describe('the factory engine over a SQLite file', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  it('converges, rescans after an advisory, and a restart finds nothing to do', async () => {
    const root = await engineWorkspace(WORKSPACE);
    const stateDir = await tempDir('larder-engine-state-');
    const database = join(await tempDir('larder-engine-db-'), 'state.sqlite');
    const fake = fakeBodies();
    const start = async (): Promise<{ store: Store; factory: Factory }> => {
      const store = await openStore(database);
      const factory = await createFactory({
        workspaceDir: root,
        store,
        stateDir,
        bodies: fake.bodies,
        pollMs: 200,
        runnerPollMs: 20,
      });
      const stop = async () => {
        await factory.close();
        await store.close();
      };
      cleanup.push(stop);
      return { store, factory };
    };

    const first = await start();
    await settled(first.factory);
    const index = readApkIndex(await readFile(join(root, 'repo', 'x86_64', 'APKINDEX.tar.gz')));
    expect(index.records.map((r) => `${r.name}-${r.version}`).sort()).toEqual([
      'app-1.0.0-r0',
      'liba-1.0.0-r0',
    ]);
    expect(fake.started.filter((k) => k.startsWith('compose:app@'))).toHaveLength(1);
    const feedBefore = first.factory.status().feedVersion;
    expect(feedBefore).toMatch(/^[0-9a-f]{12}$/);

    await first.factory.saveAdvisory({
      package: 'liba',
      vulnerability: 'CVE-2026-1234',
      type: 'fixed',
      fixedVersion: '1.0.0-r0',
    });
    await settled(first.factory);
    const feedAfter = first.factory.status().feedVersion;
    expect(feedAfter).not.toBe(feedBefore);
    expect(fake.started.filter((k) => k.startsWith('rescan:'))).toEqual([
      expect.stringMatching(new RegExp(`^rescan:app@[0-9a-f]{12}#${feedAfter}$`)),
    ]);
    const secdb = JSON.parse(new TextDecoder().decode(await first.factory.securityJson())) as {
      packages: { pkg: { name: string } }[];
    };
    expect(secdb.packages.map((p) => p.pkg.name)).toContain('liba');
    const kinds = (await listEvents(first.store, { limit: 100 })).map((e) => e.kind);
    expect(kinds).toContain('advisory-changed');
    expect(kinds).toContain('feed-refreshed');
    expect(kinds).toContain('package-published');

    await cleanup.pop()?.();
    const reopened = await openStore(database);
    const eventsBefore = (await listEvents(reopened, { limit: 1000 })).length;
    await reopened.close();
    const second = await start();
    await settled(second.factory);
    expect(second.factory.status().summary[0]).toMatch(/^nothing to do/);
    expect([...fake.done.values()].every((n) => n === 1)).toBe(true);
    // The snapshot in the state directory: a restart with nothing changed reports nothing new.
    expect((await listEvents(second.store, { limit: 1000 })).length).toBe(eventsBefore);
  });
});

describe('job logs on PostgreSQL', () => {
  let cluster: PostgresCluster | undefined;
  afterAll(() => cluster?.stop());

  it('concurrent appenders of one key get gapless, distinct seqs', async () => {
    cluster = await startPostgres();
    const store = await openStore(await cluster.createDatabase());
    try {
      const batch = (tag: string) => Array.from({ length: 30 }, (_, i) => ({ at: 't', line: `${tag}${i}` }));
      await Promise.all(['a', 'b', 'c', 'd'].map((tag) => appendJobLog(store, 'build:x', batch(tag))));
      const lines = await readJobLog(store, 'build:x', 0);
      expect(lines.map((l) => l.seq)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
      // Each batch stays contiguous.
      for (const tag of ['a', 'b', 'c', 'd']) {
        const seqs = lines.filter((l) => l.line.startsWith(tag)).map((l) => l.seq);
        expect(seqs.at(-1)).toBe((seqs[0] as number) + 29);
      }
      expect((await readJobLog(store, 'build:x', 118)).map((l) => l.seq)).toEqual([119, 120]);
    } finally {
      await store.close();
    }
  });
});
