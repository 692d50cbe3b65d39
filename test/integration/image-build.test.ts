import { execFileSync } from 'node:child_process';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readOciLayout } from '../../src/oci/index.js';
import { apkoWorkspace } from '../kit/apko-workspace.js';
import { larder } from '../kit/cli.js';

// `larder image build` on apko's own test config (its ./testdata layout rebuilt in a temp
// folder from ../shared/fixtures), read back by umoci and skopeo.

function build(dir: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  return larder(['image', 'build', 'apko.yaml', '--state-dir', join(dir, 'state'), ...args], {
    cwd: dir,
    env,
  });
}

describe('larder image build', () => {
  it('writes a two-arch OCI layout that umoci unpacks and skopeo reads with our digests', async () => {
    const dir = await apkoWorkspace();
    const r = build(dir, ['-o', 'out', '-t', 'larder/test:latest', '--sbom-dir', 'sboms']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const digest = r.stdout.trim();
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const layout = await readOciLayout(join(dir, 'out'));
    expect(layout.entries[0]?.descriptor.digest).toBe(digest);
    const images = layout.entries[0]!.images;
    expect(images.map((i) => i.config.architecture).sort()).toEqual(['amd64', 'arm64']);
    expect(images[0]!.config.config?.Entrypoint).toEqual(['/bin/sh', '-l']);
    for (const arch of ['amd64', 'arm64']) {
      const bundle = join(dir, `bundle-${arch}`);
      execFileSync(
        'umoci',
        ['unpack', '--rootless', '--image', `${join(dir, 'out')}:larder/test:latest-${arch}`, bundle],
        { stdio: 'ignore' },
      );
      const etc = await readdir(join(bundle, 'rootfs', 'etc'));
      expect(etc).toEqual(expect.arrayContaining(['apk', 'apko.json', 'os-release', 'passwd']));
      expect(await readFile(join(bundle, 'rootfs', 'etc', 'apk', 'world'), 'utf8')).toBe(
        'pretend-baselayout=1.0.0-r0\nreplayout=1.0.0-r0\n',
      );
      const installed = await readFile(join(bundle, 'rootfs', 'lib', 'apk', 'db', 'installed'), 'utf8');
      expect(installed).toMatch(/^P:pretend-baselayout$/m);
      expect(installed).toMatch(/^P:replayout$/m);
      expect((await stat(join(bundle, 'rootfs', 'tmp'))).mode & 0o7777).toBe(0o1777);
    }
    const raw = JSON.parse(
      execFileSync('skopeo', ['inspect', '--raw', `oci:${join(dir, 'out')}:larder/test:latest`], {
        encoding: 'utf8',
      }),
    );
    expect(raw.manifests.map((m: { digest: string }) => m.digest).sort()).toEqual(
      images.map((i) => i.descriptor.digest).sort(),
    );
    expect((await readdir(join(dir, 'sboms'))).sort()).toEqual([
      'sbom-aarch64.cdx.json',
      'sbom-aarch64.spdx.json',
      'sbom-index.spdx.json',
      'sbom-x86_64.cdx.json',
      'sbom-x86_64.spdx.json',
    ]);
    const spdx = JSON.parse(await readFile(join(dir, 'sboms', 'sbom-x86_64.spdx.json'), 'utf8'));
    expect(spdx.packages.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['replayout', 'pretend-baselayout']),
    );
    expect((await readdir(dir)).filter((n) => n.startsWith('.larder-build-') || n.includes('.tmp'))).toEqual(
      [],
    );
  });

  it('is reproducible: same SOURCE_DATE_EPOCH → same digest; another epoch → another digest; a lock gives the same image', async () => {
    const dir = await apkoWorkspace();
    const epoch = String(1_600_000_000 + Math.floor(Math.random() * 1e8));
    const a = build(dir, ['-o', 'a'], { SOURCE_DATE_EPOCH: epoch });
    const b = build(dir, ['-o', 'b'], { SOURCE_DATE_EPOCH: epoch });
    const c = build(dir, ['-o', 'c'], { SOURCE_DATE_EPOCH: String(Number(epoch) + 1) });
    expect(a.status).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(c.stdout).not.toBe(a.stdout);
    expect(
      larder(['lock', 'apko.yaml', '-o', 'apko.lock.json', '--state-dir', join(dir, 'state')], { cwd: dir })
        .status,
    ).toBe(0);
    const locked = build(dir, ['-o', 'd', '--lockfile', 'apko.lock.json'], { SOURCE_DATE_EPOCH: epoch });
    expect(locked.stderr).toBe('');
    expect(locked.stdout).toBe(a.stdout);
  });

  it('docker and rootfs formats for one arch; several archs are a usage error', async () => {
    const dir = await apkoWorkspace();
    const docker = build(dir, [
      '-o',
      'img.tar',
      '--format',
      'docker',
      '--arch',
      'amd64',
      '-t',
      'larder/test:1',
    ]);
    expect(docker.status).toBe(0);
    const inspected = JSON.parse(
      execFileSync('skopeo', ['inspect', `docker-archive:${join(dir, 'img.tar')}`], { encoding: 'utf8' }),
    );
    expect(inspected.Architecture).toBe('amd64');
    const rootfs = build(dir, ['-o', 'rootfs.tar.gz', '--format', 'rootfs', '--arch', 'x86_64']);
    expect(rootfs.status).toBe(0);
    const listing = execFileSync('tar', ['-tzf', join(dir, 'rootfs.tar.gz')], { encoding: 'utf8' });
    expect(listing).toContain('etc/os-release\n');
    const many = build(dir, ['-o', 'x.tar', '--format', 'docker']);
    expect(many.status).toBe(2);
    expect(many.stderr).toMatch(/pick one arch with --arch/);
  });

  it('an unsatisfiable config fails with the explanation and leaves no output', async () => {
    const dir = await apkoWorkspace();
    const r = build(dir, ['-o', 'out', '--package-append', 'no-such-thing']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('no-such-thing (no such package)');
    expect((await readdir(dir)).filter((n) => n === 'out' || n.startsWith('.larder-build-'))).toEqual([]);
  });

  it('reports progress on stderr as plain lines when stderr is not a terminal, and -q silences it', async () => {
    const dir = await apkoWorkspace();
    const r = build(dir, ['-o', 'out', '--arch', 'x86_64,aarch64'], { LARDER_QUIET: '' });
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stderr.trimEnd().split('\n');
    for (const line of lines)
      expect(line).toMatch(/^larder: .+: done \((\d+\.\d (KiB|MiB) in )?\d+\.\d s\)$/);
    expect(lines.filter((l) => /^larder: image (x86_64|aarch64): done/.test(l))).toHaveLength(2);
    expect(
      lines.filter((l) => /^larder: write layer: done \(\d+\.\d KiB in/.test(l)).length,
    ).toBeGreaterThanOrEqual(2);
    const quiet = build(dir, ['-o', 'out2', '-q'], { LARDER_QUIET: '' });
    expect(quiet.status).toBe(0);
    expect(quiet.stderr).toBe('');
  });
});
