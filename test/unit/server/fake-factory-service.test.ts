import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listEvents } from '../../../src/factory/state/index.js';
import { createFakeFactoryService, fakeWorkspace } from '../../kit/fake-factory-service.js';

describe('the fake factory service kit', () => {
  it('records events, logs, wakes, publishes and advisories', async () => {
    const service = await createFakeFactoryService({ workspace: fakeWorkspace('/ws') });
    const seen: number[] = [];
    const off = service.onEvent((e) => seen.push(e.id));
    const e = await service.emit({
      at: '2026-01-01T00:00:00Z',
      kind: 'feed-refreshed',
      subject: 'feed',
      message: 'm',
    });
    off();
    await service.emit({ at: '2026-01-01T00:00:01Z', kind: 'feed-refreshed', subject: 'feed', message: 'n' });
    expect(seen).toEqual([e.id]);
    expect((await listEvents(service.store)).map((r) => r.message)).toEqual(['n', 'm']);
    service.appendLog('k', 'a');
    service.appendLog('k', 'b');
    expect((await service.jobLog('k', 1)).map((l) => [l.seq, l.line])).toEqual([[2, 'b']]);
    const dir = await mkdtemp(join(tmpdir(), 'fake-service-'));
    await writeFile(join(dir, 'hello-1.0-r0.apk'), 'bytes');
    const infos = await service.publisher.publish(
      'x86_64',
      [{ fileName: 'hello-1.0-r0.apk', path: join(dir, 'hello-1.0-r0.apk') }],
      { key: 'build:x', recipe: 'hello' },
    );
    expect(infos).toMatchObject([
      { name: 'hello', version: '1.0-r0', arch: 'x86_64', origin: 'hello', size: 5 },
    ]);
    await service.saveAdvisory({
      package: 'hello',
      vulnerability: 'CVE-2026-1',
      type: 'fixed',
      fixedVersion: '1.0-r1',
    });
    expect(service.advisories).toHaveLength(1);
    expect(service.wakes).toEqual(['advisory hello CVE-2026-1']);
    expect(service.workspace().config.repository.name).toBe('main');
    await service.close();
    expect(service.closed).toBe(true);
  });
});
