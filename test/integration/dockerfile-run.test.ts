// RUN in the real sandbox through buildDockerfile: heredocs, #! scripts, --mount (cache, secret,
// tmpfs, bind), USER and WORKDIR ownership, ADD of a URL (checksum) and of a local archive.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostApkArch } from '../../src/apk/index.js';
import {
  applyLayers,
  buildDockerfile,
  type DockerBuildOptions,
  parseDockerfile,
} from '../../src/dockerfile/index.js';
import { createFetcher } from '../../src/repo/index.js';
import { prepareDockerContext } from '../kit/dockerfile-context.js';

let dir: string;
let context: string;
let server: Server;
let base: string;
let host: string;
let port: number;
const payload = Buffer.from('downloaded bytes\n');
const payloadSum = `sha256:${createHash('sha256').update(payload).digest('hex')}`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'larder-df-run-'));
  await import('node:fs/promises').then((fs) => fs.chmod(dir, 0o755));
  ({ context } = await prepareDockerContext(dir));
  await mkdir(join(context, 'tree', 'inner'), { recursive: true });
  await writeFile(join(context, 'tree', 'inner', 'f.txt'), 'from the archive\n');
  execFileSync('tar', ['-czf', join(context, 'tree.tar.gz'), '-C', join(context, 'tree'), '.']);
  await writeFile(join(dir, 'token.txt'), 's3cr3t\n');
  server = createServer((req, res) => {
    if (req.url === '/files/data.txt') {
      res.writeHead(200, { 'last-modified': 'Tue, 14 Nov 2023 22:13:20 GMT' });
      res.end(payload);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host = '127.0.0.1';
  port = (server.address() as AddressInfo).port;
  base = `http://${host}:${port}`;
}, 120_000);

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

async function build(text: string, extra: Partial<DockerBuildOptions> = {}) {
  const work = await mkdtemp(join(dir, 'work-'));
  const result = await buildDockerfile({
    dockerfile: parseDockerfile(text, 'Dockerfile'),
    contextDir: context,
    arch: hostApkArch(),
    fetcher: createFetcher({ stateDir: join(dir, 'state'), offline: false }),
    stateDir: join(dir, 'state'),
    workDir: work,
    sourceDateEpoch: 1_700_000_000,
    ...extra,
  });
  const root = join(work, 'final');
  await applyLayers(
    result.image.image.layers.map((l) => ({ blobPath: (l as { blobPath: string }).blobPath })),
    root,
  );
  return { result, root };
}

describe('RUN in bubblewrap', () => {
  it('runs heredocs, #! scripts, as USER, with WORKDIR owned by that user', async () => {
    const { root, result } = await build(
      [
        'FROM larder:images/runtime.yaml',
        'RUN <<EOF',
        'echo "plain heredoc as $(id -u)" > /heredoc.txt',
        'EOF',
        'RUN <<EOF',
        '#!/bin/sh -e',
        'echo "script ran" > /script.txt',
        'EOF',
        'RUN cat <<EOT > /fed.txt',
        'fed through the shell',
        'EOT',
        'USER app',
        'WORKDIR /home/app/work',
        'RUN id -u > mine.txt && touch /tmp/x',
        '',
      ].join('\n'),
    );
    expect(await readFile(join(root, 'heredoc.txt'), 'utf8')).toBe('plain heredoc as 0\n');
    expect(await readFile(join(root, 'script.txt'), 'utf8')).toBe('script ran\n');
    expect(await readFile(join(root, 'fed.txt'), 'utf8')).toBe('fed through the shell\n');
    expect(await readFile(join(root, 'home/app/work/mine.txt'), 'utf8')).toBe('1000\n');
    expect((await stat(join(root, 'home/app/work'))).uid).toBe(1000);
    expect((await stat(join(root, 'home/app/work/mine.txt'))).uid).toBe(1000);
    // No trace of the script file, and the mount points bwrap needed are not in any layer.
    await expect(stat(join(root, `.larder-run-${process.pid}`))).rejects.toThrow();
    const history = result.image.image.config!.history!.map((h) => h.created_by);
    expect(history).toContain('RUN <<EOF');
  });

  it('binds --mount cache (kept across builds), secret, tmpfs and bind, none of it in a layer', async () => {
    const text = [
      'FROM larder:images/build.yaml',
      'RUN --mount=type=cache,target=/cache echo run >> /cache/runs && wc -l < /cache/runs > /runs.txt',
      'RUN --mount=type=secret,id=token cat /run/secrets/token > /seen-secret.txt',
      'RUN --mount=type=tmpfs,target=/scratch echo gone > /scratch/f && ls /scratch > /tmpfs.txt',
      'RUN --mount=type=bind,source=static,target=/mnt ls /mnt > /bound.txt',
      'RUN --mount=type=bind,source=static,target=/mnt touch /mnt/x 2>/dev/null || echo ro > /bind-ro.txt',
      '',
    ].join('\n');
    const secrets = { token: join(dir, 'token.txt') };
    const first = await build(text, { secrets });
    expect(await readFile(join(first.root, 'runs.txt'), 'utf8')).toBe('1\n');
    expect(await readFile(join(first.root, 'seen-secret.txt'), 'utf8')).toBe('s3cr3t\n');
    expect(await readFile(join(first.root, 'tmpfs.txt'), 'utf8')).toBe('f\n');
    expect(await readFile(join(first.root, 'bound.txt'), 'utf8')).toBe('index.html\n');
    expect(await readFile(join(first.root, 'bind-ro.txt'), 'utf8')).toBe('ro\n');
    for (const gone of ['cache/runs', 'run/secrets/token', 'scratch/f', 'mnt/index.html'])
      await expect(stat(join(first.root, gone))).rejects.toThrow();
    const second = await build(text, { secrets });
    expect(await readFile(join(second.root, 'runs.txt'), 'utf8')).toBe('2\n');
  });

  it('fails with the status and Dockerfile:LINE, and the network is off unless asked', async () => {
    await expect(build('FROM larder:images/build.yaml\nRUN echo out && exit 3\n')).rejects.toMatchObject({
      code: 'DOCKERFILE_STEP_FAILED',
      message: expect.stringMatching(/^Dockerfile:2: RUN echo out && exit 3: .*3/),
    });
    const { root } = await build(
      `FROM larder:images/build.yaml\nRUN (printf 'GET /files/data.txt HTTP/1.0\\r\\n\\r\\n' | nc ${host} ${port} | grep -q downloaded && echo yes || echo no) > /net.txt\n`,
    );
    expect(await readFile(join(root, 'net.txt'), 'utf8')).toBe('no\n');
    const online = await build(
      `FROM larder:images/build.yaml\nRUN (printf 'GET /files/data.txt HTTP/1.0\\r\\n\\r\\n' | nc ${host} ${port} | grep -q downloaded && echo yes || echo no) > /net.txt\n`,
      { network: true },
    );
    expect(await readFile(join(online.root, 'net.txt'), 'utf8')).toBe('yes\n');
  });
});

describe('ADD', () => {
  it('downloads a URL checked against --checksum, and unpacks a local archive', async () => {
    const { root } = await build(
      [
        'FROM scratch',
        `ADD --checksum=${payloadSum} ${base}/files/data.txt /dl/`,
        'ADD tree.tar.gz /unpacked/',
        '',
      ].join('\n'),
    );
    expect(await readFile(join(root, 'dl', 'data.txt'))).toEqual(payload);
    const st = await stat(join(root, 'dl', 'data.txt'));
    expect(st.mode & 0o777).toBe(0o600);
    expect(Math.floor(st.mtimeMs / 1000)).toBe(1_700_000_000);
    expect(await readFile(join(root, 'unpacked', 'inner', 'f.txt'), 'utf8')).toBe('from the archive\n');
    const wrong = `sha256:${'0'.repeat(64)}`;
    await expect(
      build(`FROM scratch\nADD --checksum=${wrong} ${base}/files/data.txt /dl/\n`),
    ).rejects.toMatchObject({
      message: expect.stringMatching(/^Dockerfile:2: ADD .*checksum mismatch/),
    });
    await expect(build(`FROM scratch\nADD ${base}/files/missing /dl/\n`)).rejects.toThrow(
      /^Dockerfile:2: .*HTTP 404/,
    );
  });
});
