import { execFileSync } from 'node:child_process';
import { lstat, readdir, readFile, readlink, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readOciLayout } from '../../src/oci/index.js';
import { apkoWorkspace } from '../kit/apko-workspace.js';
import { larder } from '../kit/cli.js';
import { shared } from '../kit/paths.js';

// apko's layering.yaml (`layering: {strategy: origin, budget: 2}`) built by `larder image build`,
// unpacked by umoci and compared with the single-layer build of the same config. Its build
// repository `./packages` is the melange-test repository; its runtime repository is only
// written to /etc/apk/repositories, never fetched.

const EPOCH = { SOURCE_DATE_EPOCH: '1700000000' };

async function workspace(): Promise<string> {
  const dir = await apkoWorkspace();
  await symlink(shared('repo', 'melange-test'), join(dir, 'packages'));
  const layered = await readFile(shared('apko', 'layering.yaml'), 'utf8');
  await writeFile(join(dir, 'layering.yaml'), layered);
  const single = layered.replace(/^layering:\n(?: {2}.*\n?)*/m, '');
  expect(single).not.toContain('layering');
  await writeFile(join(dir, 'single.yaml'), single);
  return dir;
}

function build(dir: string, config: string, out: string, extra: string[] = []) {
  const r = larder(
    [
      'image',
      'build',
      config,
      '-o',
      out,
      '-t',
      'larder/test:latest',
      '--state-dir',
      join(dir, 'state'),
      ...extra,
    ],
    { cwd: dir, env: EPOCH },
  );
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.trim();
}

/** Every path under `root` with its type, mode, owner and content (or link target). */
async function snapshot(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const visit = async (rel: string) => {
    for (const name of (await readdir(join(root, rel))).sort()) {
      const path = rel === '' ? name : `${rel}/${name}`;
      const st = await lstat(join(root, path));
      let what = `${st.mode.toString(8)} ${st.uid}:${st.gid}`;
      if (st.isSymbolicLink()) what += ` -> ${await readlink(join(root, path))}`;
      else if (st.isFile()) what += ` ${(await readFile(join(root, path))).toString('base64')}`;
      else if (st.isCharacterDevice()) what += ` dev ${st.rdev}`;
      out.set(path, what);
      if (st.isDirectory()) await visit(path);
    }
  };
  await visit('');
  return out;
}

function unpack(dir: string, layout: string, arch: string): string {
  const bundle = join(dir, `${layout}-${arch}`);
  const rootless = process.getuid?.() === 0 ? [] : ['--rootless'];
  execFileSync(
    'umoci',
    ['unpack', ...rootless, '--image', `${join(dir, layout)}:larder/test:latest-${arch}`, bundle],
    {
      stdio: 'ignore',
    },
  );
  return join(bundle, 'rootfs');
}

describe('larder image build with layering', () => {
  it.each([
    // replayout replaces pretend-baselayout: one group, so one package layer and the top one.
    ['layering.yaml as it is', [], 2],
    // Three origin groups for a budget of 2: the two smaller ones share the second layer.
    [
      'three origins, budget 2',
      ['--package-append', 'custom-ca-certs-1', '--package-append', 'custom-ca-certs-2'],
      3,
    ],
  ])('%s: the layers umoci unpacks give the single-layer rootfs', async (_name, extra, count) => {
    const dir = await workspace();
    const digest = build(dir, 'layering.yaml', 'layered', [...extra, '--sbom-dir', 'sboms']);
    build(dir, 'single.yaml', 'single', extra);
    const layered = await readOciLayout(join(dir, 'layered'));
    expect(layered.entries[0]?.descriptor.digest).toBe(digest);
    const single = await readOciLayout(join(dir, 'single'));
    for (const img of layered.entries[0]!.images) {
      expect(img.manifest.layers).toHaveLength(count);
      expect(img.config.rootfs.diff_ids).toHaveLength(count);
      expect(img.config.history).toHaveLength(count);
    }
    for (const img of single.entries[0]!.images) expect(img.manifest.layers).toHaveLength(1);
    for (const arch of ['amd64', 'arm64']) {
      const layeredRoot = unpack(dir, 'layered', arch);
      const singleRoot = unpack(dir, 'single', arch);
      const a = await snapshot(layeredRoot);
      const b = await snapshot(singleRoot);
      expect([...a.keys()]).toEqual([...b.keys()]);
      // /etc/apko.json records the config, which differs in `layering` alone.
      const config = async (root: string) => {
        const { layering: _, ...rest } = JSON.parse(await readFile(join(root, 'etc', 'apko.json'), 'utf8'));
        return rest;
      };
      if (a.has('etc/apko.json')) expect(await config(layeredRoot)).toEqual(await config(singleRoot));
      a.delete('etc/apko.json');
      b.delete('etc/apko.json');
      expect(a).toEqual(b);
      expect(a.get('etc/apk/repositories')).toBeDefined();
    }
    const inspected = JSON.parse(larder(['image', 'inspect', 'layered', '--json'], { cwd: dir }).stdout) as {
      images: { layers: unknown[]; packages: [string, string][] }[];
    };
    for (const img of inspected.images) {
      expect(img.layers).toHaveLength(count);
      expect(img.packages.map(([name]) => name)).toEqual(
        expect.arrayContaining([
          'pretend-baselayout',
          'replayout',
          ...extra.filter((e) => !e.startsWith('--')),
        ]),
      );
    }
    const spdx = JSON.parse(await readFile(join(dir, 'sboms', 'sbom-x86_64.spdx.json'), 'utf8'));
    expect(spdx.packages.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['replayout', 'pretend-baselayout']),
    );
  });

  it('is reproducible, writes a multi-layer docker archive, and a one-layer rootfs tarball', async () => {
    const dir = await workspace();
    expect(build(dir, 'layering.yaml', 'a')).toBe(build(dir, 'layering.yaml', 'b'));
    build(dir, 'layering.yaml', 'img.tar', ['--format', 'docker', '--arch', 'amd64']);
    const inspected = JSON.parse(
      execFileSync('skopeo', ['inspect', `docker-archive:${join(dir, 'img.tar')}`], { encoding: 'utf8' }),
    );
    expect(inspected.Layers).toHaveLength(2);
    build(dir, 'layering.yaml', 'rootfs.tar.gz', ['--format', 'rootfs', '--arch', 'amd64']);
    const listing = execFileSync('tar', ['-tzf', join(dir, 'rootfs.tar.gz')], { encoding: 'utf8' });
    expect(listing).toContain('etc/os-release\n');
    expect(listing).toContain('etc/apk/world\n');
  });

  it('a bad budget is a usage error naming the field', async () => {
    const dir = await workspace();
    const text = (await readFile(join(dir, 'layering.yaml'), 'utf8')).replace('budget: 2', 'budget: 0');
    await writeFile(join(dir, 'bad.yaml'), text);
    const r = larder(['image', 'build', 'bad.yaml', '-o', 'out', '--state-dir', join(dir, 'state')], {
      cwd: dir,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/CONFIG_INVALID.*layering\.budget/s);
  });
});
