import { describe, expect, it } from 'vitest';
import {
  bwrapArgs,
  checkStepEnv,
  guestWorkdir,
  LineSplitter,
  type SandboxStep,
  shellQuote,
  stepShellScript,
} from '../../../src/build/sandbox/index.js';
import { MAX_LINE_BYTES } from '../../../src/build/sandbox/line-splitter.js';
import { exitCodeOf } from '../../../src/build/sandbox/spawn-step.js';

const STEP: SandboxStep = {
  name: 'configure',
  script: './configure --prefix=/usr',
  workdir: 'src',
  env: { A: '1' },
};

function valueAfter(args: string[], flag: string): string[] {
  const out: string[] = [];
  args.forEach((a, i) => {
    if (a === flag) out.push(args[i + 1]!);
  });
  return out;
}

describe('bwrapArgs', () => {
  const base = { workspace: '/ws', statusFd: 3 } as const;

  it('package root: read-only root, namespaces, no network, no capabilities, workspace at /home/build', () => {
    const args = bwrapArgs({ ...base, root: { kind: 'package', dir: '/roots/abc' }, network: false }, STEP);
    for (const flag of ['--unshare-user', '--unshare-pid', '--unshare-ipc', '--unshare-uts', '--unshare-net'])
      expect(args).toContain(flag);
    expect(args).toContain('--die-with-parent');
    expect(valueAfter(args, '--cap-drop')).toEqual(['ALL']);
    expect(args.join(' ')).toContain('--ro-bind /roots/abc /');
    expect(args.join(' ')).toContain('--bind /ws /home/build');
    expect(args.join(' ')).toContain('--proc /proc --dev /dev --tmpfs /tmp');
    expect(valueAfter(args, '--json-status-fd')).toEqual(['3']);
    expect(args).not.toContain('--uid');
    const dd = args.indexOf('--');
    expect(args.slice(dd + 1, dd + 3)).toEqual(['/bin/sh', '-c']);
    expect(args.at(-1)).toBe(stepShellScript(STEP));
    // the environment never travels on the command line
    expect(args.join(' ')).not.toContain('--setenv');
  });

  it('network steps keep the host network and get resolv.conf; cache dir and build uid', () => {
    const args = bwrapArgs(
      {
        ...base,
        root: { kind: 'package', dir: '/r' },
        network: true,
        resolvConf: '/etc/resolv.conf',
        cacheDir: '/cache',
        guestId: 1000,
      },
      STEP,
    );
    expect(args).not.toContain('--unshare-net');
    expect(args.join(' ')).toContain('--ro-bind /etc/resolv.conf /etc/resolv.conf');
    expect(args.join(' ')).toContain('--bind /cache /var/cache/melange');
    expect(valueAfter(args, '--uid')).toEqual(['1000']);
    expect(valueAfter(args, '--gid')).toEqual(['1000']);
  });

  it('host root: each host path bound read-only or re-made as its symlink; resolv.conf only with network', () => {
    const args = bwrapArgs(
      {
        ...base,
        root: {
          kind: 'host',
          mounts: [
            { kind: 'ro-bind', path: '/usr' },
            { kind: 'symlink', path: '/bin', target: 'usr/bin' },
          ],
        },
        network: false,
        resolvConf: '/etc/resolv.conf',
      },
      STEP,
    );
    expect(args.join(' ')).toContain('--ro-bind /usr /usr --symlink usr/bin /bin');
    expect(args.join(' ')).not.toContain('resolv.conf');
    expect(args).not.toContain('/roots/abc');
  });
});

describe('step scripts', () => {
  it('wraps the script as melange does: set -e, make and enter the workdir, exit 0', () => {
    const s = stepShellScript(STEP).split('\n');
    expect(s[0]).toBe('set -e');
    expect(s).toContain('[ -d /home/build/src ] || mkdir -p /home/build/src');
    expect(s).toContain('cd /home/build/src');
    expect(s.at(-2)).toBe(STEP.script);
    expect(s.at(-1)).toBe('exit 0');
  });

  it('workdirs: relative under /home/build, absolute kept, empty is the workspace', () => {
    expect(guestWorkdir({ ...STEP, workdir: 'a/../b' })).toBe('/home/build/b');
    expect(guestWorkdir({ ...STEP, workdir: '/opt//x/' })).toBe('/opt/x/');
    expect(guestWorkdir({ ...STEP, workdir: '' })).toBe('/home/build');
  });

  it('quotes workdirs for the shell', () => {
    expect(shellQuote("it's here")).toBe(`'it'"'"'s here'`);
    expect(shellQuote('/home/build/x-1.2')).toBe('/home/build/x-1.2');
    expect(stepShellScript({ ...STEP, workdir: '/a b;rm -rf x' })).toContain("cd '/a b;rm -rf x'");
  });

  it('rejects bad environment names and NUL bytes, naming the step', () => {
    expect(() => checkStepEnv({ ...STEP, env: { 'A-B': '1' } })).toThrow(/configure.*"A-B"/);
    expect(() => checkStepEnv({ ...STEP, env: { A: 'x\0y' } })).toThrow(/NUL/);
    expect(() => stepShellScript({ ...STEP, script: 'a\0b' })).toThrow(/configure.*NUL/);
    expect(() => checkStepEnv(STEP)).not.toThrow();
  });
});

describe('LineSplitter', () => {
  it('cuts at newlines across chunks, keeps UTF-8 whole and passes on the last partial line', () => {
    const lines: string[] = [];
    const s = new LineSplitter((t) => lines.push(t));
    const bytes = Buffer.from('one\nü-two\n\nthree', 'utf8');
    for (let i = 0; i < bytes.length; i += 3) s.push(bytes.subarray(i, i + 3));
    expect(lines).toEqual(['one', 'ü-two', '']);
    s.end();
    expect(lines).toEqual(['one', 'ü-two', '', 'three']);
  });

  it('passes on an endless line in bounded pieces', () => {
    const lines: string[] = [];
    const s = new LineSplitter((t) => lines.push(t));
    s.push(Buffer.alloc(MAX_LINE_BYTES * 2 + 5, 0x61));
    s.push(Buffer.from('\n'));
    expect(lines.map((l) => l.length)).toEqual([MAX_LINE_BYTES, MAX_LINE_BYTES, 5]);
  });
});

describe('exitCodeOf', () => {
  it("reads bwrap's status lines; none when the step never started", () => {
    expect(exitCodeOf('{ "child-pid": 5, "mnt-namespace": 1 }\n{ "exit-code": 3 }\n')).toBe(3);
    expect(exitCodeOf('{ "child-pid": 5 }\n')).toBeUndefined();
    expect(exitCodeOf('not json\n')).toBeUndefined();
  });
});
