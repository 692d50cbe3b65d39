// Sandbox overhead: a few build-like steps (compile and link C with gcc, a shell loop, many
// short processes, tar+gzip of the workspace) run as steps of the bubblewrap host runner vs the
// same scripts run directly by /bin/sh in the same directory with the same environment. Prints
// the median of ROUNDS rounds for each and their ratio (goal: under 1.15x). Needs bwrap and gcc.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
      env: step.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', () => {});
    child.stderr.on('data', () => {});
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${step.name}: exit ${code}`))));
  });
}

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
  // Alternate which goes first so caches warm both equally; round -1 is a warm-up.
  const order: Array<'bwrap' | 'direct'> = round % 2 === 0 ? ['bwrap', 'direct'] : ['direct', 'bwrap'];
  for (const how of order) {
    let total = 0;
    for (const step of STEPS) {
      const t0 = performance.now();
      if (how === 'bwrap') await sandbox.run(step, { onLine: () => {} });
      else await direct(dir, step);
      const ms = performance.now() - t0;
      total += ms;
      if (round >= 0) perStep.get(step.name)![how].push(ms);
    }
    if (round >= 0) totals[how].push(total);
  }
}
await sandbox.close();
rmSync(dir, { recursive: true, force: true });

for (const [name, t] of perStep)
  console.log(
    `${name.padEnd(11)} bwrap ${median(t.bwrap).toFixed(1).padStart(7)} ms   direct ${median(t.direct).toFixed(1).padStart(7)} ms   ${(median(t.bwrap) / median(t.direct)).toFixed(3)}x`,
  );
const ratio = median(totals.bwrap) / median(totals.direct);
console.log(
  `sandbox overhead (host runner, ${STEPS.length} steps, median of ${ROUNDS}): bwrap ${median(totals.bwrap).toFixed(0)} ms / direct ${median(totals.direct).toFixed(0)} ms = ${ratio.toFixed(3)}x (goal < 1.15x)`,
);
