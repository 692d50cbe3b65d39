import { execFileSync, spawnSync } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { chmod, copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostApkArch } from '../../src/apk/index.js';
import {
  createBubblewrapRunner,
  findBwrap,
  type Sandbox,
  type SandboxStep,
  type StepLine,
} from '../../src/build/sandbox/index.js';
import { spawnStep } from '../../src/build/sandbox/spawn-step.js';
import { type ClosableFetcher, createFetcher } from '../../src/repo/index.js';
import { larder } from '../kit/cli.js';
import { own, ROOT, tempDir } from '../kit/paths.js';

// The real sandbox (required in CI): Debian's busybox-static binary packaged by larder into a
// signed test repository, installed as the guest root from `environment.contents`, whose `sh`
// runs the steps under bubblewrap. Needs bubblewrap and busybox-static (.ci/run installs both).
const ARCH = hostApkArch();
const KEY = own('keys', 'larder-test.rsa');
const PATH = '/usr/sbin:/usr/bin:/sbin:/bin';

function ok(r: { status: number; stdout: string; stderr: string }, what: string): void {
  expect(r.status, `${what}: ${r.stderr}`).toBe(0);
}

async function busyboxRepository(dir: string): Promise<string> {
  const tree = join(dir, 'tree');
  await mkdir(join(tree, 'bin'), { recursive: true });
  await mkdir(join(tree, 'etc', 'busybox-paths.d'), { recursive: true });
  await copyFile('/bin/busybox', join(tree, 'bin', 'busybox'));
  await chmod(join(tree, 'bin', 'busybox'), 0o755);
  // The applet links, as Alpine and Wolfi ship them: made at assembly, as apko does.
  const applets = execFileSync('/bin/busybox', ['--list-full'], { encoding: 'utf8' });
  await writeFile(join(tree, 'etc', 'busybox-paths.d', 'busybox'), applets);
  const repo = join(dir, 'repo');
  await mkdir(join(repo, ARCH), { recursive: true });
  const apk = join(repo, ARCH, 'busybox-1.35.0-r0.apk');
  ok(
    larder(
      ['apk', 'create', '--name', 'busybox', '--version', '1.35.0-r0', '--arch', ARCH, '--from', tree].concat(
        ['--license', 'GPL-2.0-only', '--sign-key', KEY, '-o', apk],
      ),
    ),
    'apk create',
  );
  ok(larder(['index', '--sign-key', KEY, '-o', join(repo, ARCH, 'APKINDEX.tar.gz'), apk]), 'index');
  return repo;
}

interface Ran {
  readonly lines: StepLine[];
  readonly stdout: string[];
  readonly error?: unknown;
}

async function run(
  sandbox: Sandbox,
  step: Partial<SandboxStep> & { script: string },
  network = false,
): Promise<Ran> {
  const lines: StepLine[] = [];
  const full: SandboxStep = { name: 'step', workdir: '', env: { PATH }, ...step };
  try {
    await sandbox.run(full, { onLine: (l) => lines.push(l), network });
    return { lines, stdout: lines.filter((l) => l.stream === 'stdout').map((l) => l.text) };
  } catch (error) {
    return { lines, stdout: lines.filter((l) => l.stream === 'stdout').map((l) => l.text), error };
  }
}

function listen(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = createServer((s) => s.end('hello from the host\n'));
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({ server, port: typeof address === 'object' && address !== null ? address.port : 0 });
    });
  });
}

const HOST_NS = ['net', 'user', 'pid', 'ipc', 'uts'].map((ns) => readlinkSync(`/proc/self/ns/${ns}`));

describe('the bubblewrap runner over a package root', () => {
  let dir: string;
  let stateDir: string;
  let workspace: string;
  let sandbox: Sandbox;
  let contents: { repositories: string[]; keyring: string[]; packages: string[] };
  let listening: { server: Server; port: number };
  const fetchers: ClosableFetcher[] = [];
  const fetcher = () => {
    const f = createFetcher({ stateDir, offline: false });
    fetchers.push(f);
    return f;
  };

  beforeAll(async () => {
    dir = await tempDir('larder-sandbox-');
    stateDir = join(dir, 'state');
    workspace = join(dir, 'workspace');
    await mkdir(workspace);
    const repo = await busyboxRepository(dir);
    contents = { repositories: [repo], keyring: [`${KEY}.pub`], packages: ['busybox'] };
    const runner = createBubblewrapRunner({ mode: 'package', fetcher: fetcher(), stateDir });
    sandbox = await runner.prepare({ workspace, contents, arch: ARCH });
    listening = await listen();
  });
  afterAll(async () => {
    listening?.server.close();
    await sandbox?.close();
    for (const f of fetchers) await f.close();
  });

  it("runs steps in new namespaces: the step's /proc/self/ns/* differ from the host's", async () => {
    const r = await run(sandbox, {
      script: 'for ns in net user pid ipc uts; do readlink /proc/self/ns/$ns; done',
    });
    expect(r.error).toBeUndefined();
    expect(r.stdout).toHaveLength(5);
    r.stdout.forEach((ns, i) => {
      expect(ns).toMatch(/^[a-z]+:\[\d+\]$/);
      expect(ns).not.toBe(HOST_NS[i]);
    });
  });

  it('has no network: only lo, and a server on the host loopback cannot be reached (but can with network)', async () => {
    const ifaces = await run(sandbox, { script: "sed -n '3,$p' /proc/net/dev | cut -d: -f1 | tr -d ' '" });
    expect(ifaces.stdout).toEqual(['lo']);
    // Nothing is sent (stdin is /dev/null): a newline written after the server has answered and
    // closed would kill nc with SIGPIPE now and then.
    const connect = `nc -w 2 127.0.0.1 ${listening.port} < /dev/null`;
    const closed = await run(sandbox, { name: 'offline', script: connect });
    expect(closed.error).toMatchObject({ code: 'STEP_FAILED', subject: 'offline' });
    const open = await run(sandbox, { name: 'fetch', script: connect }, true);
    expect(open.error).toBeUndefined();
    expect(open.stdout).toEqual(['hello from the host']);
  });

  it('binds the workspace read-write at /home/build (files appear on the host); the root is read-only', async () => {
    const r = await run(sandbox, {
      workdir: 'out/deep',
      script: 'pwd; echo made-inside > hello.txt; if touch /etc/x 2>/dev/null; then echo root-writable; fi',
    });
    expect(r.error).toBeUndefined();
    expect(r.stdout).toEqual(['/home/build/out/deep']);
    expect(await readFile(join(workspace, 'out', 'deep', 'hello.txt'), 'utf8')).toBe('made-inside\n');
  });

  it('gives the step only its own environment, and no capabilities', async () => {
    process.env.LARDER_SANDBOX_LEAK = 'must not pass';
    const r = await run(sandbox, {
      env: { PATH, HOME: '/home/build', FOO: 'bar baz' },
      script: "env | cut -d= -f1 | sort; grep '^CapEff' /proc/self/status",
    });
    delete process.env.LARDER_SANDBOX_LEAK;
    expect(r.error).toBeUndefined();
    const shellOwn = new Set(['PWD', 'SHLVL', 'OLDPWD', '_']);
    const names = r.stdout.slice(0, -1).filter((n) => !shellOwn.has(n));
    expect(names).toEqual(['FOO', 'HOME', 'PATH']);
    expect(r.stdout.at(-1)).toBe('CapEff:\t0000000000000000');
  });

  it('a failing step gives an error naming it, with its status and last line; set -e stops the script', async () => {
    const r = await run(sandbox, {
      name: 'compile',
      script: 'echo before\necho oops >&2\nfalse\necho after',
    });
    expect(r.error).toMatchObject({ code: 'STEP_FAILED', subject: 'compile' });
    expect(String((r.error as Error).message)).toBe("build step 'compile' failed with exit status 1: oops");
    expect(r.stdout).toEqual(['before']);
    const exit = await run(sandbox, { name: 'exit-7', script: 'exit 7' });
    expect((exit.error as Error).message).toContain("build step 'exit-7' failed with exit status 7");
  });

  it('streams output lines in order, tagged with the step name, while the step runs', async () => {
    const at: number[] = [];
    const lines: StepLine[] = [];
    const started = performance.now();
    await sandbox.run(
      {
        name: 'loop',
        workdir: '',
        env: { PATH },
        script: 'echo first; echo err >&2; sleep 1; for i in $(seq 1 300); do echo line $i; done',
      },
      {
        onLine: (l) => {
          lines.push(l);
          at.push(performance.now() - started);
        },
      },
    );
    const ended = performance.now() - started;
    expect(lines.every((l) => l.step === 'loop')).toBe(true);
    const out = lines.filter((l) => l.stream === 'stdout').map((l) => l.text);
    expect(out).toEqual(['first', ...Array.from({ length: 300 }, (_, i) => `line ${i + 1}`)]);
    expect(lines.filter((l) => l.stream === 'stderr').map((l) => l.text)).toEqual(['err']);
    expect(ended - at[0]!).toBeGreaterThan(700);
  });

  it('caches the guest root by its resolved inputs: a second prepare reuses it', async () => {
    const again = await createBubblewrapRunner({ mode: 'package', fetcher: fetcher(), stateDir }).prepare({
      workspace,
      contents,
      arch: ARCH,
    });
    const r = await run(again, { script: 'echo ok' });
    expect(r.stdout).toEqual(['ok']);
    const roots = await readdir(join(stateDir, 'build', 'roots'));
    expect(roots).toHaveLength(1);
    expect(roots[0]).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('the host runner', () => {
  it("binds the host's toolchain read-only: gcc compiles in the workspace, in new namespaces, without network", async () => {
    const workspace = await tempDir('larder-sandbox-host-');
    await writeFile(
      join(workspace, 'hello.c'),
      '#include <stdio.h>\nint main(void) { puts("built in the sandbox"); return 0; }\n',
    );
    const sandbox = await createBubblewrapRunner({ mode: 'host' }).prepare({
      workspace,
      contents: { repositories: [], keyring: [], packages: [] },
      arch: ARCH,
    });
    const r = await run(sandbox, {
      name: 'cc',
      script: [
        'cc -O2 -o hello hello.c',
        './hello',
        'readlink /proc/self/ns/net',
        "sed -n '3,$p' /proc/net/dev | cut -d: -f1 | tr -d ' '",
        'if touch /usr/x 2>/dev/null; then echo usr-writable; fi',
        'ls /home',
      ].join('\n'),
    });
    expect(r.error).toBeUndefined();
    expect(r.stdout[0]).toBe('built in the sandbox');
    expect(r.stdout[1]).not.toBe(HOST_NS[0]);
    expect(r.stdout.slice(2)).toEqual(['lo', 'build']);
    expect(execFileSync(join(workspace, 'hello'), { encoding: 'utf8' })).toBe('built in the sandbox\n');
    await sandbox.close();
  });
});

describe('when the sandbox cannot be made', () => {
  const probe = (command: string, args: string[], env: NodeJS.ProcessEnv = {}) => {
    const r = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
    expect(r.status, r.stderr).toBe(0);
    return JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as {
      ok: boolean;
      code?: string;
      message?: string;
    };
  };
  const script = join(ROOT, 'test', 'kit', 'sandbox-probe.ts');

  it('works here (the control for the cases below)', () => {
    expect(probe(process.execPath, ['--import', 'tsx', script])).toEqual({ ok: true });
  });

  it('user namespaces disabled (max_user_namespaces=0): says so, quoting bwrap, and gives the sysctl', () => {
    const r = probe('unshare', [
      '--user',
      '--map-root-user',
      'sh',
      '-c',
      `echo 0 > /proc/sys/user/max_user_namespaces && exec "${process.execPath}" --import tsx "${script}"`,
    ]);
    expect(r.ok).toBe(false);
    expect(r.code).toBe('SANDBOX_UNAVAILABLE');
    expect(r.message).toContain('/proc/sys/user/max_user_namespaces is 0');
    expect(r.message).toContain('bwrap: Creating new namespace failed');
    expect(r.message).toContain('sysctl -w user.max_user_namespaces=15000');
  });

  it('bwrap missing: names the package to install', () => {
    const r = probe(process.execPath, ['--import', 'tsx', script], { LARDER_BWRAP: '/nonexistent/bwrap' });
    expect(r.code).toBe('SANDBOX_UNAVAILABLE');
    expect(r.message).toContain('apt-get install bubblewrap');
  });

  it('a sandbox that cannot be set up is told apart from a failing step', async () => {
    const step: SandboxStep = { name: 'setup', script: 'true', workdir: '', env: {} };
    const bwrap = await findBwrap();
    const args = [
      '--ro-bind',
      '/nonexistent-root',
      '/',
      '--json-status-fd',
      '3',
      '--',
      '/bin/sh',
      '-c',
      'true',
    ];
    await expect(spawnStep(bwrap!, args, step, { onLine: () => {} })).rejects.toMatchObject({
      code: 'SANDBOX_UNAVAILABLE',
      message: expect.stringContaining("Can't find source path /nonexistent-root"),
    });
  });

  it('an aborted step is killed at once and reported as cancelled', async () => {
    const workspace = await tempDir('larder-sandbox-abort-');
    const sandbox = await createBubblewrapRunner({ mode: 'host' }).prepare({
      workspace,
      contents: { repositories: [], keyring: [], packages: [] },
      arch: ARCH,
    });
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 300);
    const t0 = performance.now();
    await expect(
      sandbox.run(
        { name: 'slow', script: 'sleep 30', workdir: '', env: { PATH } },
        { onLine: () => {}, signal: abort.signal },
      ),
    ).rejects.toMatchObject({ code: 'STEP_FAILED', message: "build step 'slow' was cancelled" });
    expect(performance.now() - t0).toBeLessThan(5000);
  });
});
