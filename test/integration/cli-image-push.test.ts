import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OCILayoutResult } from '../../src/oci/index.js';
import { larder, larderAsync } from '../kit/cli.js';
import { type FaultProxy, startFaultProxy } from '../kit/fault-proxy.js';
import { writeSampleLayout } from '../kit/oci-images.js';
import { tempDir } from '../kit/paths.js';
import { type LocalRegistry, startLocalRegistry } from '../kit/registry.js';
import { sampleBytes } from '../unit/oci/helpers.js';

// `larder image push LAYOUT REF` (the built CLI) against Debian's docker-registry 2.8, through a
// pass-through proxy that logs the requests; skopeo reads what was pushed.
const skopeo = (args: string[]) =>
  execFileSync('skopeo', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe('larder image push with docker-registry', () => {
  let registry: LocalRegistry;
  let proxy: FaultProxy;
  let dir: string;
  let written: OCILayoutResult;

  beforeAll(async () => {
    registry = await startLocalRegistry();
    proxy = await startFaultProxy(registry.host);
    dir = await tempDir();
    ({ written } = await writeSampleLayout(dir, {
      refName: 'v1',
      layers: (arch) =>
        [1, 2].map((n) => [{ name: `etc/noise${n}`, data: sampleBytes(150_000 * n, arch.length + n) }]),
    }));
  });

  afterAll(async () => {
    await proxy?.close();
    await registry?.stop();
  });

  it('pushes every platform under the tag and -t tags; prints the digest; skopeo sees it', async () => {
    const r = await larderAsync([
      'image',
      'push',
      join(dir, 'layout'),
      `${proxy.host}/team/app:1.0`,
      '-t',
      'stable',
    ]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${written.index.digest}\n`);
    for (const tag of ['1.0', 'stable']) {
      const raw = skopeo([
        'inspect',
        '--raw',
        '--tls-verify=false',
        `docker://${registry.host}/team/app:${tag}`,
      ]);
      expect(JSON.parse(raw).manifests).toHaveLength(2);
    }
    const info = JSON.parse(
      skopeo(['inspect', '--tls-verify=false', `docker://${registry.host}/team/app@${written.index.digest}`]),
    );
    expect(info.Layers).toHaveLength(2);
  });

  it('a second push sends no blob bytes (every HEAD hits)', async () => {
    const before = proxy.log.length;
    const r = await larderAsync(['image', 'push', join(dir, 'layout'), `${proxy.host}/team/app:1.0`]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${written.index.digest}\n`);
    const requests = proxy.log.slice(before);
    expect(requests.filter((line) => line.includes('/blobs/uploads/'))).toEqual([]);
    expect(requests.filter((line) => line.startsWith('HEAD ') && line.includes('/blobs/'))).toHaveLength(6);
  });

  it('refuses a directory that is not an OCI layout and an unknown --ref-name', () => {
    const notLayout = larder(['image', 'push', join(dir, 'staging'), `${registry.host}/team/app:x`]);
    expect(notLayout.status).not.toBe(0);
    expect(notLayout.stderr).toMatch(/index\.json/);
    const named = larder([
      'image',
      'push',
      join(dir, 'layout'),
      `${registry.host}/team/app:x`,
      '--ref-name',
      'nope',
    ]);
    expect(named.status).not.toBe(0);
    expect(named.stderr).toMatch(/nope/);
  });
});
