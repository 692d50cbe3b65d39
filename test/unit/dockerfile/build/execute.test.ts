// buildDockerfile on FROM scratch and COPY/ADD/metadata: no sandbox, no registry, no repository.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readTar } from '../../../../src/archive/index.js';
import {
  buildDockerfile,
  type DockerBuildOptions,
  parseDockerfile,
} from '../../../../src/dockerfile/index.js';
import type { LayerInput } from '../../../../src/oci/index.js';
import { createFetcher } from '../../../../src/repo/index.js';

let dir: string;
let context: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'larder-df-exec-'));
  context = join(dir, 'ctx');
  await mkdir(join(context, 'app', 'secret'), { recursive: true });
  await writeFile(join(context, 'app', 'main.sh'), 'echo main\n', { mode: 0o644 });
  await writeFile(join(context, 'app', 'secret', 'key'), 'k');
  await writeFile(join(context, 'app', 'notes.md'), 'notes');
  await writeFile(join(context, '.dockerignore'), '# comment\napp/secret\n**/*.md\n');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function build(text: string, extra: Partial<DockerBuildOptions> = {}) {
  const work = await mkdtemp(join(dir, 'work-'));
  return buildDockerfile({
    dockerfile: parseDockerfile(text, 'Dockerfile'),
    contextDir: context,
    arch: 'x86_64',
    fetcher: createFetcher({ stateDir: join(dir, 'state'), offline: true }),
    stateDir: join(dir, 'state'),
    workDir: work,
    sourceDateEpoch: 1_700_000_000,
    ...extra,
  });
}

interface Entry {
  path: string;
  mode: number;
  uid: number;
  gid: number;
  body?: string;
}

async function layerEntries(layer: LayerInput): Promise<Entry[]> {
  if (!('blobPath' in layer)) throw new Error('layer has no file');
  const entries = readTar(gunzipSync(await readFile(layer.blobPath)));
  return entries.map((e) => ({
    path: e.header.name.replace(/^\.\//, ''),
    mode: e.header.mode,
    uid: e.header.uid,
    gid: e.header.gid,
    ...(e.data && e.data.length > 0 ? { body: e.data.toString('utf8') } : {}),
  }));
}

const FULL = [
  '# syntax=docker/dockerfile:1',
  'ARG VERSION=1.0',
  'FROM scratch AS final',
  'ARG VERSION',
  'ENV APP_HOME=/opt/app \\',
  '    GREETING="hello world"',
  'WORKDIR ${APP_HOME}',
  'COPY --chown=1000:1000 --chmod=0755 app/ ./',
  'COPY <<EOT /etc/motd',
  'version ${VERSION} in $APP_HOME',
  'EOT',
  'LABEL org.opencontainers.image.version=$VERSION maintainer="me"',
  'EXPOSE 8080 53/udp 9000-9001',
  'VOLUME ["/data"]',
  'USER 1000:1000',
  'STOPSIGNAL SIGTERM',
  'HEALTHCHECK --interval=30s --retries=3 CMD ["/opt/app/main.sh"]',
  'ENTRYPOINT ["/opt/app/main.sh"]',
  'CMD run --verbose',
  '',
].join('\n');

describe('buildDockerfile: FROM scratch, COPY and the image config', () => {
  it('copies from the context with .dockerignore, --chown and --chmod, and maps every config instruction', async () => {
    const result = await build(FULL);
    const config = result.image.image.config!;
    expect(config.config).toEqual({
      Env: ['APP_HOME=/opt/app', 'GREETING=hello world'],
      WorkingDir: '/opt/app',
      Labels: { 'org.opencontainers.image.version': '1.0', maintainer: 'me' },
      ExposedPorts: { '8080/tcp': {}, '53/udp': {}, '9000/tcp': {}, '9001/tcp': {} },
      Volumes: { '/data': {} },
      User: '1000:1000',
      StopSignal: 'SIGTERM',
      Healthcheck: { Test: ['CMD', '/opt/app/main.sh'], Interval: 30e9, Retries: 3 },
      Entrypoint: ['/opt/app/main.sh'],
      Cmd: ['/bin/sh', '-c', 'run --verbose'],
    });
    expect(config.created).toBe('2023-11-14T22:13:20Z');
    const layers = result.image.image.layers;
    expect(layers).toHaveLength(3); // WORKDIR, COPY app/, COPY heredoc
    const copied = await layerEntries(layers[1]!);
    const paths = copied.map((e) => e.path.replace(/\/$/, ''));
    expect(paths).toContain('opt/app/main.sh');
    expect(paths.some((p) => p.includes('secret') || p.endsWith('.md'))).toBe(false);
    const main = copied.find((e) => e.path === 'opt/app/main.sh')!;
    expect(main).toMatchObject({ mode: 0o755, uid: 1000, gid: 1000, body: 'echo main\n' });
    const motd = (await layerEntries(layers[2]!)).find((e) => e.path === 'etc/motd')!;
    expect(motd).toMatchObject({ body: 'version 1.0 in /opt/app\n', uid: 0, mode: 0o644 });
    const history = config.history!;
    expect(history.filter((h) => h.empty_layer !== true)).toHaveLength(3);
    expect(history.map((h) => h.created_by)).toContain('COPY --chown=1000:1000 --chmod=0755 app/ ./');
  });

  it('is reproducible with SOURCE_DATE_EPOCH', async () => {
    const text = 'FROM scratch\nCOPY app /app\nENV A=b\n';
    const a = await build(text);
    const b = await build(text);
    const digest = (r: Awaited<ReturnType<typeof build>>) =>
      createHash('sha256').update(JSON.stringify(r.image.image.config)).digest('hex') +
      r.image.image.layers.map((l) => l.digest).join();
    expect(digest(a)).toBe(digest(b));
  });

  it('builds what the target needs: COPY --from a stage, an unused stage skipped, --build-arg', async () => {
    const text = [
      'ARG NAME=first',
      'FROM scratch AS one',
      'COPY app/main.sh /built/main.sh',
      'FROM scratch AS unused',
      'COPY missing-file /x',
      'FROM scratch AS two',
      'ARG NAME',
      'COPY --from=one /built/ /from-one/',
      'ENV NAME=$NAME',
      '',
    ].join('\n');
    const r = await build(text, { buildArgs: { NAME: 'given', EXTRA: '1' } });
    expect(r.stage).toBe('two');
    expect(r.image.image.config!.config!.Env).toEqual(['NAME=given']);
    expect(r.warnings).toEqual(['--build-arg EXTRA was not consumed by any ARG']);
    const entries = await layerEntries(r.image.image.layers[0]!);
    expect(entries.map((e) => e.path)).toContain('from-one/main.sh');
    const one = await build(text, { target: 'one' });
    expect(one.stage).toBe('one');
  });

  it('FROM --platform of the build platform (also through TARGETPLATFORM) is accepted', async () => {
    const r = await build(
      'FROM --platform=$TARGETPLATFORM scratch AS a\nFROM --platform=linux/amd64 a\nENV X=1\n',
    );
    expect(r.image.image.platform).toMatchObject({ os: 'linux', architecture: 'amd64' });
  });

  it('FROM an earlier stage keeps its files, config and layers', async () => {
    const r = await build(
      'FROM scratch AS base\nCOPY app/main.sh /a\nUSER 5\nFROM base\nCOPY app/main.sh /b\n',
    );
    expect(r.image.image.layers).toHaveLength(2);
    expect(r.image.image.config!.config!.User).toBe('5');
  });
});

describe('buildDockerfile: ONBUILD', () => {
  it("runs the base's triggers after FROM and does not pass them on", async () => {
    const r = await build('FROM scratch AS base\nONBUILD COPY app/main.sh /onbuild\nFROM base\nENV A=1\n');
    expect(r.image.image.config!.config!.OnBuild).toBeUndefined();
    const files = (await layerEntries(r.image.image.layers[0]!)).map((e) => e.path);
    expect(files).toContain('onbuild');
    const base = await build('FROM scratch AS base\nONBUILD COPY app/main.sh /onbuild\n');
    expect(base.image.image.config!.config!.OnBuild).toEqual(['COPY app/main.sh /onbuild']);
  });

  it('reports a failing trigger at the FROM line', async () => {
    await expect(build('FROM scratch AS base\nONBUILD COPY nope /x\nFROM base\n')).rejects.toMatchObject({
      message: expect.stringMatching(/^Dockerfile:3: ONBUILD COPY nope \/x: .*no such file/),
    });
  });
});

describe('buildDockerfile: errors name Dockerfile:LINE', () => {
  it.each([
    ['FROM scratch\nCOPY ../outside /x\n', /^Dockerfile:2: .*outside the build context/],
    [
      'FROM scratch\nCOPY nothing-here /x\n',
      /^Dockerfile:2: .*no such file or directory in the build context/,
    ],
    ['FROM scratch\nCOPY app/secret/key /x\n', /^Dockerfile:2: .*no such file/],
    ['FROM scratch AS a\nFROM scratch\nCOPY --from=bulid /x /y\n', /^Dockerfile:3: .*no stage named bulid/],
    ['FROM scratch\nCOPY --chmod=u+x app /x\n', /^Dockerfile:2: .*--chmod=u\+x/],
    ['FROM scratch\nCOPY --chown=nobody app /x\n', /^Dockerfile:2: .*unable to find user nobody/],
    ['FROM scratch\nEXPOSE 99999\n', /^Dockerfile:2: .*EXPOSE 99999/],
    ['FROM scratch\nCOPY --parents app /x\n', /^Dockerfile:2: .*--parents is not supported/],
    ['FROM scratch\nADD --checksum=sha256:00 app /x\n', /^Dockerfile:2: .*--checksum/],
    [
      'FROM --platform=linux/arm64 scratch\n',
      /^Dockerfile:1: FROM --platform=linux\/arm64: this build is for linux\/amd64/,
    ],
    ['ARG P=riscv9\nFROM --platform=$P scratch\n', /^Dockerfile:2: FROM --platform=riscv9: not a platform/],
    ['FROM scratch\nRUN --mount=type=ssh true\n', /^Dockerfile:2: .*type=ssh is not supported/],
    ['FROM scratch\nRUN --mount=type=cache true\n', /^Dockerfile:2: .*type=cache needs target=/],
    [
      'FROM scratch\nRUN --mount=type=bind,source=../x,target=/x true\n',
      /^Dockerfile:2: .*outside the build context/,
    ],
    ['FROM scratch\nRUN --mount=type=secret,id=tok,required true\n', /^Dockerfile:2: .*no --secret id=tok/],
    [
      'FROM scratch\nRUN --mount=type=cache,target=/c,bogus=1 true\n',
      /^Dockerfile:2: .*unknown option bogus/,
    ],
    ['FROM scratch\nRUN --security=insecure true\n', /^Dockerfile:2: .*--security is not supported/],
    [
      'FROM scratch\nHEALTHCHECK --interval=soon CMD true\n',
      /^Dockerfile:2: .*--interval must be a duration/,
    ],
  ])('%j', async (text, message) => {
    await expect(build(text)).rejects.toMatchObject({ message: expect.stringMatching(message) });
  });

  it('--target must name a stage', async () => {
    await expect(build('FROM scratch AS a\n', { target: 'b' })).rejects.toMatchObject({
      code: 'USAGE',
      message: expect.stringMatching(/--target b: no such stage/),
    });
  });
});
