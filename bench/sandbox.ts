// Sandbox overhead: a few build-like steps (compile and link C with gcc, a shell loop, many
// short processes, tar+gzip of the workspace) run as steps of the bubblewrap host runner vs the
// same scripts run directly by /bin/sh in the same directory with the same environment (and a
// tmpfs TMPDIR, as the sandbox's /tmp is one). Each step runs both ways back to back; prints the
// per-step medians, the ratio of the median totals over ROUNDS rounds (default 5) and of the best
// totals (goal: under 1.15x), and the fixed cost of an empty step. Needs bwrap and gcc.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBubblewrapRunner, type SandboxStep } from '../src/build/sandbox/index.js';

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const FILES = 6;
const ENV = { PATH: '/usr/bin:/bin', HOME: '/home/build', LC_ALL: 'C' };

function cFile(i: number): string {
  const fns = Array.from(
    { length: 40 },
    (_, j) =>
      `static double f${j}(double x) { double y = x; for (int k = 0; k < ${j + 3}; k++) y = y * 1.0001 + ${j}; return y; }`,
  );
  const calls = Array.from({ length: 40 }, (_, j) => `s += f${j}(s);`).join(' ');
  return `#include <stdio.h>\n${fns.join('\n')}\ndouble unit${i}(double s) { ${calls} return s; }\n`;
}

const STEPS: SandboxStep[] = [
  {
    name: 'compile',
    workdir: 'src',
    env: ENV,
    script: [
      `for i in $(seq 0 ${FILES - 1}); do gcc -pipe -O2 -c unit$i.c -o unit$i.o; done`,
      'gcc -pipe -O2 -o prog main.c unit*.o',
      './prog',
    ].join('\n'),
  },
  {
    name: 'shell-loop',
    workdir: '',
    env: ENV,
    script: 'i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done; echo $i',
  },
  {
    name: 'processes',
    workdir: '',
    env: ENV,
    script: 'for i in $(seq 1 300); do cat /dev/null; done; echo done',
  },
  {
    // The fixed cost of a step: namespaces, mounts and a shell, nothing else.
    name: 'empty',
    workdir: '',
    env: ENV,
    script: ':',
  },
  {
    name: 'archive',
    workdir: '',
    env: ENV,
    script: 'tar -cf - src | gzip -6 > src.tar.gz; ls -l src.tar.gz >/dev/null',
  },
];

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'larder-bench-sandbox-'));
  const src = join(dir, 'src');
  mkdirSync(src);
  for (let i = 0; i < FILES; i++) writeFileSync(join(src, `unit${i}.c`), cFile(i));
  const decls = Array.from({ length: FILES }, (_, i) => `double unit${i}(double);`).join('\n');
  const body = Array.from({ length: FILES }, (_, i) => `s = unit${i}(s);`).join(' ');
  writeFileSync(
    join(src, 'main.c'),
    `#include <stdio.h>\n${decls}\nint main(void) { double s = 1; ${body} printf("%f\\n", s); return 0; }\n`,
  );
  return dir;
}

function direct(dir: string, step: SandboxStep): Promise<void> {
  return new Promise((resolve, reject) => {
    const cwd = join(dir, step.workdir);
    const child = spawn('/bin/sh', ['-c', `set -e\n${step.script}\nexit 0`], {
      cwd,
      // The sandbox's /tmp is a tmpfs: give the direct run one too, so only the sandbox differs.
      env: { ...step.env, TMPDIR: SHM_TMP },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', () => {});
    child.stderr.on('data', () => {});
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${step.name}: exit ${code}`))));
  });
}

const SHM_TMP = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'larder-bench-'));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const dir = workspace();
const sandbox = await createBubblewrapRunner({ mode: 'host' }).prepare({
  workspace: dir,
  contents: { repositories: [], keyring: [], packages: [] },
  arch: 'x86_64',
});
const perStep = new Map<string, { bwrap: number[]; direct: number[] }>(
  STEPS.map((s) => [s.name, { bwrap: [], direct: [] }]),
);
const totals = { bwrap: [] as number[], direct: [] as number[] };
for (let round = -1; round < ROUNDS; round++) {
  // Each step runs both ways back to back, in alternating order, so both see the same load on
  // a shared machine; round -1 is a warm-up.
  const total = { bwrap: 0, direct: 0 };
  for (const [i, step] of STEPS.entries()) {
    const order: Array<'bwrap' | 'direct'> =
      (round + i) % 2 === 0 ? ['bwrap', 'direct'] : ['direct', 'bwrap'];
    for (const how of order) {
      const t0 = performance.now();
      if (how === 'bwrap') await sandbox.run(step, { onLine: () => {} });
      else await direct(dir, step);
      const ms = performance.now() - t0;
      total[how] += ms;
      if (round >= 0) perStep.get(step.name)![how].push(ms);
    }
  }
  if (round >= 0) {
    totals.bwrap.push(total.bwrap);
    totals.direct.push(total.direct);
  }
}
await sandbox.close();
rmSync(dir, { recursive: true, force: true });
rmSync(SHM_TMP, { recursive: true, force: true });

for (const [name, t] of perStep)
  console.log(
    `${name.padEnd(11)} bwrap ${median(t.bwrap).toFixed(1).padStart(7)} ms   direct ${median(t.direct).toFixed(1).padStart(7)} ms   ${(median(t.bwrap) / median(t.direct)).toFixed(3)}x`,
  );
const ratio = median(totals.bwrap) / median(totals.direct);
const best = Math.min(...totals.bwrap) / Math.min(...totals.direct);
console.log(
  `sandbox overhead (host runner, ${STEPS.length} steps, median of ${ROUNDS}): bwrap ${median(totals.bwrap).toFixed(0)} ms / direct ${median(totals.direct).toFixed(0)} ms = ${ratio.toFixed(3)}x; best of ${ROUNDS}: ${best.toFixed(3)}x (goal < 1.15x)`,
);
