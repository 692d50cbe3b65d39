import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOciLayout } from '../../src/oci/index.js';
import { larder } from '../kit/cli.js';
import { type DockerContext, HELLO_VERSION, prepareDockerContext } from '../kit/dockerfile-context.js';
import { tempDir } from '../kit/paths.js';
import { type LocalRegistry, startLocalRegistry } from '../kit/registry.js';

// `larder docker build` end to end (issue 9 §4) on the multi-stage Dockerfile of
// test/kit/dockerfile-context.ts: a build stage with Debian's busybox-static as its shell, a
// shell-less stage that adds a package natively, and a runtime stage that gets the artifacts,
// adds `hello`, deletes a file of its base and runs as uid 1000. The result is read by skopeo
// and umoci, run by runc and bwrap, catalogued, rebuilt reproducibly, pushed signed and
// attested to a local docker-registry, and refused by a vulnerability policy.
const ENV = { SOURCE_DATE_EPOCH: '1700000000' };

let dir: string;
let ctx: DockerContext;
let registry: LocalRegistry;
let digest: string;
let progress: string;
let rootfs: string;

function docker(args: string[], env: NodeJS.ProcessEnv = {}) {
  return larder(['docker', 'build', ...args, '--state-dir', join(dir, 'state'), ctx.context], {
    cwd: dir,
    env: { ...ENV, ...env },
  });
}

function cli(args: string[]) {
  return larder(args, { cwd: dir });
}

function unpack(layout: string, ref: string): string {
  const bundle = join(dir, `bundle-${layout}`);
  execFileSync('umoci', ['unpack', '--image', `${join(dir, layout)}:${ref}`, bundle], { stdio: 'pipe' });
  return bundle;
}

/** Every layer's file list (`tar -t`), in manifest order. */
async function layerListings(layout: string): Promise<string[][]> {
  const image = (await readOciLayout(join(dir, layout))).entries[0]!.images[0]!;
  return image.manifest.layers.map((l) =>
    execFileSync('tar', ['-tzf', join(dir, layout, 'blobs', 'sha256', l.digest.slice('sha256:'.length))], {
      encoding: 'utf8',
    })
      .split('\n')
      .filter((n) => n !== ''),
  );
}

/** Runs an unpacked bundle's process (args, env, cwd, uid/gid from umoci's config.json) under bwrap. */
async function bwrapRun(bundle: string): Promise<string> {
  const { process: p } = JSON.parse(await readFile(join(bundle, 'config.json'), 'utf8'));
  const env = (p.env as string[]).flatMap((kv) => [
    '--setenv',
    kv.slice(0, kv.indexOf('=')),
    kv.slice(kv.indexOf('=') + 1),
  ]);
  const r = spawnSync(
    'bwrap',
    ['--bind', join(bundle, 'rootfs'), '/', '--proc', '/proc', '--dev', '/dev', '--unshare-all'].concat(
      ['--die-with-parent', '--uid', String(p.user.uid), '--gid', String(p.user.gid), '--chdir', p.cwd],
      ['--clearenv', ...env, ...p.args],
    ),
    { encoding: 'utf8' },
  );
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout;
}

beforeAll(async () => {
  dir = await tempDir('larder-docker-build-');
  ctx = await prepareDockerContext(dir);
  registry = await startLocalRegistry();
  expect(cli(['keygen', '--type', 'ecdsa-p256', '--name', 'ci']).status).toBe(0);
  const r = docker(['-o', 'out', '-t', 'app:1'], { LARDER_QUIET: '' });
  expect(r.status, r.stderr).toBe(0);
  expect(r.stdout).toMatch(/^sha256:[0-9a-f]{64}\n$/);
  digest = r.stdout.trim();
  progress = r.stderr;
  rootfs = join(unpack('out', 'app:1'), 'rootfs');
}, 180_000);

afterAll(async () => {
  await registry?.stop();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe('larder docker build: the image', () => {
  it('writes an OCI layout whose index digest is printed; skopeo reads the Dockerfile config; progress names stages', async () => {
    const layout = await readOciLayout(join(dir, 'out'));
    expect(layout.entries[0]!.descriptor.digest).toBe(digest);
    const image = layout.entries[0]!.images[0]!;
    expect(image.config.architecture).toBe(ctx.arch === 'x86_64' ? 'amd64' : 'arm64');
    const config = image.config.config!;
    expect(config.User).toBe('1000');
    expect(config.WorkingDir).toBe('/srv');
    expect(config.Entrypoint).toEqual(['/usr/local/bin/app']);
    expect(config.Cmd).toEqual(['--serve']);
    expect(config.Env).toEqual(expect.arrayContaining(['GREETING=hello from larder', 'APP_VERSION=1.0.0']));
    expect(config.ExposedPorts).toEqual({ '8080/tcp': {} });
    expect(config.Labels).toMatchObject({
      'org.opencontainers.image.title': 'app',
      'org.opencontainers.image.version': '1.0.0',
    });
    const inspected = JSON.parse(
      execFileSync('skopeo', ['inspect', `oci:${join(dir, 'out')}:app:1`], { encoding: 'utf8' }),
    );
    expect(inspected.Labels['org.opencontainers.image.title']).toBe('app');
    expect(inspected.Layers).toHaveLength(image.manifest.layers.length);
    expect(progress).toMatch(/^\[[\w-]+ \d+\/\d+\] FROM larder:images\/build\.yaml/m);
    expect(progress).toMatch(/^\[[\w-]+ \d+\/\d+\] RUN apk add hello/m);
    expect(progress).toMatch(/^\[[\w-]+ \d+\/\d+\] RUN rm \/etc\/motd/m);
    // The final stage does not need `minimal`: it is not built.
    expect(progress).not.toMatch(/^\[minimal /m);
    expect(progress).not.toContain('images/static.yaml');
  });

  it('runs under runc and under bwrap as uid 1000 and prints what it should', async () => {
    const bundle = join(dir, 'bundle-out');
    const expected = `${ctx.expectedOutput().join('\n')}\n`;
    expect(await bwrapRun(bundle)).toBe(expected);
    const spec = JSON.parse(await readFile(join(bundle, 'config.json'), 'utf8'));
    expect(spec.process.user).toMatchObject({ uid: 1000, gid: 1000 });
    spec.process.terminal = false;
    await writeFile(join(bundle, 'config.json'), JSON.stringify(spec));
    const r = spawnSync('runc', ['run', '--bundle', bundle, `larder-docker-build-${process.pid}`], {
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(expected);
  });

  it('the deleted base file is absent and whited out; COPY --chown/--chmod; .dockerignore kept files out', async () => {
    await expect(stat(join(rootfs, 'etc', 'motd'))).rejects.toThrow(/ENOENT/);
    const layers = await layerListings('out');
    expect(layers[0]).toContain('etc/motd');
    expect(layers.filter((l) => l.includes('etc/.wh.motd'))).toHaveLength(1);
    const app = await stat(join(rootfs, 'usr', 'local', 'bin', 'app'));
    expect({ uid: app.uid, gid: app.gid, mode: app.mode & 0o7777 }).toEqual({
      uid: 1000,
      gid: 1000,
      mode: 0o755,
    });
    const conf = await stat(join(rootfs, 'etc', 'app', 'app.conf'));
    expect({ uid: conf.uid, gid: conf.gid }).toEqual({ uid: 0, gid: 0 });
    expect(await readFile(join(rootfs, 'etc', 'app', 'context.txt'), 'utf8')).toBe(
      '.dockerignore\nDockerfile\nimages\nkeys\nsrc\nstatic\n',
    );
    expect(await readFile(join(rootfs, 'etc', 'app', 'manifest.txt'), 'utf8')).toBe(
      'app\napp.conf\ncontext.txt\n',
    );
    expect(await readFile(join(rootfs, 'srv', 'static', 'index.html'), 'utf8')).toBe('<h1>app</h1>\n');
  });

  it('RUN apk add updated the installed database and world; catalog and the SBOM list hello', async () => {
    const installed = await readFile(join(rootfs, 'lib', 'apk', 'db', 'installed'), 'utf8');
    expect(installed.match(/^P:.*$/gm)?.sort()).toEqual(['P:app-base', 'P:busybox', 'P:hello']);
    expect(installed).toContain(`P:hello\nV:${HELLO_VERSION}\n`);
    expect((await readFile(join(rootfs, 'etc', 'apk', 'world'), 'utf8')).split('\n')).toContain('hello');
    const catalog = cli(['catalog', join(dir, 'out')]);
    expect(catalog.status, catalog.stderr).toBe(0);
    expect(catalog.stdout).toMatch(new RegExp(`^apk +hello +${HELLO_VERSION.replace('.', '\\.')} `, 'm'));
    expect(catalog.stdout).toMatch(/^apk +busybox +1\.35\.0-r0 /m);
  });

  it('is reproducible: the same inputs and SOURCE_DATE_EPOCH give the same digest; another epoch another', () => {
    const again = docker(['-o', 'again', '-t', 'app:1']);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout.trim()).toBe(digest);
    const later = docker(['-o', 'later', '-t', 'app:1'], { SOURCE_DATE_EPOCH: '1700000001' });
    expect(later.status, later.stderr).toBe(0);
    expect(later.stdout.trim()).not.toBe(digest);
  });
});

describe('larder docker build: targets and build args', () => {
  it('--target build with --build-arg: the build stage alone, its deleted file whited out, args applied', async () => {
    const r = docker(
      ['--target', 'build', '--build-arg', 'VERSION=2.5.0', '--build-arg', 'GREETING=hi'].concat([
        '-o',
        'build-stage',
        '-t',
        'build:1',
      ]),
    );
    expect(r.status, r.stderr).toBe(0);
    const root = join(unpack('build-stage', 'build:1'), 'rootfs');
    expect((await readFile(join(root, 'out', 'app'), 'utf8')).split('\n')[1]).toBe(
      'echo "app 2.5.0 as uid $(id -u) gid $(id -g) in $(pwd)"',
    );
    expect(await readFile(join(root, 'out', 'app.conf'), 'utf8')).toBe('greeting=hi\n');
    expect((await stat(join(root, 'out', 'app'))).mode & 0o777).toBe(0o600);
    await expect(stat(join(root, 'out', 'scratch.tmp'))).rejects.toThrow(/ENOENT/);
    expect(
      (await layerListings('build-stage')).filter((l) => l.includes('out/.wh.scratch.tmp')),
    ).toHaveLength(1);
    expect((await readdir(join(root, 'work'))).sort()).toEqual([
      '.dockerignore',
      'Dockerfile',
      'images',
      'keys',
      'src',
      'static',
    ]);
    const config = (await readOciLayout(join(dir, 'build-stage'))).entries[0]!.images[0]!.config.config!;
    expect(config.User ?? '').toBe('');
    expect(config.WorkingDir).toBe('/work');
    expect(config.Env).toContain('OUT=/out');
  });

  it('--target minimal: RUN apk add on a base with no shell at all', async () => {
    const r = docker(['--target', 'minimal', '-o', 'minimal', '-t', 'minimal:1']);
    expect(r.status, r.stderr).toBe(0);
    const root = join(unpack('minimal', 'minimal:1'), 'rootfs');
    await expect(stat(join(root, 'bin', 'sh'))).rejects.toThrow(/ENOENT/);
    expect(await readFile(join(root, 'usr', 'bin', 'hello'), 'utf8')).toContain(
      'hello from the hello package',
    );
    const installed = await readFile(join(root, 'lib', 'apk', 'db', 'installed'), 'utf8');
    expect(installed.match(/^P:.*$/gm)?.sort()).toEqual(['P:app-base', 'P:hello']);
  });

  it('--build-arg VERSION reaches the final stage: label, env and what the entrypoint prints', async () => {
    const r = docker(['--build-arg', 'VERSION=3.1.4', '-o', 'versioned', '-t', 'app:3']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).not.toBe(digest);
    const config = (await readOciLayout(join(dir, 'versioned'))).entries[0]!.images[0]!.config.config!;
    expect(config.Labels?.['org.opencontainers.image.version']).toBe('3.1.4');
    expect(await bwrapRun(unpack('versioned', 'app:3'))).toBe(`${ctx.expectedOutput('3.1.4').join('\n')}\n`);
  });
});

describe('larder docker build --push', () => {
  it('pushes signed and attested: verify, verify-attestation (SBOM lists hello) and skopeo agree on the digest', async () => {
    const ref = `${registry.host}/team/app:1`;
    const r = docker(['--push', '-t', ref, '--key', join(dir, 'ci.key'), '--attest']);
    expect(r.status, `${r.stderr}\n${registry.log()}`).toBe(0);
    expect(r.stdout.trim()).toBe(digest);
    const verified = cli(['verify', ref, '--key', join(dir, 'ci.pub')]);
    expect(verified.status, verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(new RegExp(`^OK legacy ${digest} `, 'm'));
    const raw = execFileSync('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${ref}`]);
    expect(`sha256:${createHash('sha256').update(raw).digest('hex')}`).toBe(digest);
    const sbom = cli(['verify-attestation', ref, '--type', 'spdxjson', '--key', join(dir, 'ci.pub')]);
    expect(sbom.status, sbom.stderr).toBe(0);
    const documents = sbom.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).predicate as { packages?: { name: string }[] });
    expect(documents.some((d) => d.packages?.some((p) => p.name === 'hello'))).toBe(true);
  });

  it('a vulnerability policy refusal exits 1 and pushes nothing', async () => {
    const advisories = join(dir, 'advisories');
    await mkdir(advisories, { recursive: true });
    await writeFile(
      join(advisories, 'hello.advisories.yaml'),
      'schema-version: 2.0.2\n\npackage:\n  name: hello\n\nadvisories:\n  - id: CGA-2x4j-hq8v-7f3c\n    aliases: [CVE-2026-41234]\n    events:\n      - timestamp: 2026-11-01T00:00:00Z\n        type: fixed\n        data:\n          fixed-version: 2.13-r0\n',
    );
    const ref = `${registry.host}/team/refused:1`;
    const r = docker(['--push', '-t', ref, '--advisories', advisories, '--policy', 'zero-known-cve']);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('CVE-2026-41234');
    expect(r.stderr).toContain('hello');
    const tags = await fetch(`http://${registry.host}/v2/team/refused/tags/list`);
    expect(tags.status).toBe(404);
  });
});
