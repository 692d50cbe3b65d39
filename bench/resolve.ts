// Resolving a 20-package world on the real 5,004-package Alpine index, as ratios against
// apk-tools measured in the same run (APK_TOOLS=/path/to/apk, default /work/oracle/bin/apk if
// present; larder never ships or builds it):
//  - whole process: `larder resolve` vs `apk add --simulate` into an empty root;
//  - in-process: larder's parse + verify + universe + solve in a fresh process (no Node
//    start-up) vs apk-tools' whole run.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const FIXTURES = join(ROOT, '..', 'shared', 'fixtures');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const RUNS = 15;
const cases = JSON.parse(
  readFileSync(join(ROOT, 'test', 'fixtures', 'solver', 'alpine-317-aarch64.json'), 'utf8'),
) as { benchWorld: string[] };
const world = cases.benchWorld;

const work = mkdtempSync(join(tmpdir(), 'larder-bench-'));
mkdirSync(join(work, 'repo', 'aarch64'), { recursive: true });
symlinkSync(
  join(FIXTURES, 'index', 'alpine-317-aarch64', 'APKINDEX.tar.gz'),
  join(work, 'repo', 'aarch64', 'APKINDEX.tar.gz'),
);
const keys = join(FIXTURES, 'keys', 'alpine');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
function timeRuns(run: () => void): number {
  run();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    run();
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return median(samples);
}

const larderArgs = [
  CLI,
  'resolve',
  '--repository',
  join(work, 'repo'),
  '--keyring',
  keys,
  '--arch',
  'aarch64',
  '--state-dir',
  join(work, 'state'),
  ...world,
];
const count = execFileSync(process.execPath, larderArgs, { encoding: 'utf8' }).trim().split('\n').length;
const larderWhole = timeRuns(() => execFileSync(process.execPath, larderArgs, { stdio: 'ignore' }));
const nodeStart = timeRuns(() => execFileSync(process.execPath, ['-e', '0'], { stdio: 'ignore' }));

const inProcessScript = `
const t0 = performance.now();
const { readFileSync } = await import('node:fs');
const apk = await import(${JSON.stringify(join(ROOT, 'dist/src/apk/index.js'))});
const solver = await import(${JSON.stringify(join(ROOT, 'dist/src/solver/index.js'))});
const t1 = performance.now();
const keyring = await apk.loadKeyring([${JSON.stringify(keys)}]);
const index = apk.readApkIndex(readFileSync(${JSON.stringify(join(work, 'repo', 'aarch64', 'APKINDEX.tar.gz'))}), { keyring });
const universe = solver.buildUniverse([{ packages: solver.fromIndexRecords(index.records) }]);
const result = solver.solve(universe, ${JSON.stringify(world)}.map((w) => solver.parseWorldDependency(w)));
const t2 = performance.now();
if (!result.ok) throw new Error('bench world failed');
process.stdout.write(JSON.stringify({ load: t1 - t0, work: t2 - t1 }));`;
const inProcess: number[] = [];
const loads: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const r = JSON.parse(
    execFileSync(process.execPath, ['--input-type=module', '-e', inProcessScript], { encoding: 'utf8' }),
  ) as { load: number; work: number };
  inProcess.push(r.work);
  loads.push(r.load);
}
const larderInProcess = median(inProcess);

console.log(`resolve: world of ${world.length} → ${count} packages on the 5,004-package index`);
console.log(
  `larder: whole process ${larderWhole.toFixed(1)} ms (node -e 0: ${nodeStart.toFixed(1)} ms); in-process parse+verify+solve ${larderInProcess.toFixed(1)} ms (+ module load ${median(loads).toFixed(1)} ms)`,
);

const apkTools =
  process.env.APK_TOOLS ?? (existsSync('/work/oracle/bin/apk') ? '/work/oracle/bin/apk' : undefined);
if (apkTools === undefined) {
  console.log('apk-tools: not available (set APK_TOOLS=/path/to/apk to compare)');
} else {
  const apkRun = () => {
    const root = mkdtempSync(join(work, 'root-'));
    mkdirSync(join(root, 'etc', 'apk'), { recursive: true });
    writeFileSync(join(root, 'etc', 'apk', 'world'), '');
    const t0 = process.hrtime.bigint();
    const r = spawnSync(
      apkTools,
      [
        '--root',
        root,
        '--arch',
        'aarch64',
        '--keys-dir',
        keys,
        '--repository',
        join(work, 'repo'),
        '--no-network',
        '--no-cache',
        '--simulate',
        'add',
        ...world,
      ],
      { stdio: 'ignore' },
    );
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    rmSync(root, { recursive: true, force: true });
    if (r.status !== 0) throw new Error(`apk-tools failed with ${r.status}`);
    return ms;
  };
  apkRun();
  const apkWhole = median(Array.from({ length: RUNS }, apkRun));
  console.log(`apk-tools: whole run ${apkWhole.toFixed(1)} ms (${apkTools})`);
  console.log(
    `ratio whole process larder/apk: ${(larderWhole / apkWhole).toFixed(2)}x (goal <= 2x); in-process larder/apk whole run: ${(larderInProcess / apkWhole).toFixed(2)}x (goal <= 1x)`,
  );
}
rmSync(work, { recursive: true, force: true });
