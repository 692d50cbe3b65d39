// Benchmarks print ratios against a peer measured in the same run (never absolute goals):
//  1. parsing the real 5,004-package Alpine index in-process vs the floor of just gunzipping
//     the same bytes with zlib;
//  2. `larder version compare` cold start vs `node -e 0`.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { loadKeyring, readApkIndex } from '../src/apk/index.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'shared', 'fixtures');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function timeMs(fn: () => void, runs: number): number {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return median(samples);
}

const indexBytes = readFileSync(join(FIXTURES, 'index/alpine-317-aarch64/APKINDEX.tar.gz'));
const keyring = await loadKeyring([join(FIXTURES, 'keys/alpine')]);
let count = 0;
for (let i = 0; i < 5; i++) count = readApkIndex(indexBytes, { keyring }).records.length; // warm up
const parse = timeMs(() => readApkIndex(indexBytes, { keyring }), 30);
const parseNoVerify = timeMs(() => readApkIndex(indexBytes), 30);
const floor = timeMs(() => gunzipSync(indexBytes), 30);
console.log(`index: ${count} packages, ${indexBytes.length} bytes`);
console.log(
  `index: gunzip floor ${floor.toFixed(2)} ms; parse ${parseNoVerify.toFixed(2)} ms (ratio ${(parseNoVerify / floor).toFixed(2)}x); parse+verify ${parse.toFixed(2)} ms (ratio ${(parse / floor).toFixed(2)}x)`,
);

const cli = join(import.meta.dirname, '..', 'dist', 'cli', 'main.js');
const spawnMs = (args: string[]) =>
  timeMs(() => execFileSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] }), 20);
spawnMs(['-e', '0']);
const node = spawnMs(['-e', '0']);
const larder = spawnMs([cli, 'version', 'compare', '1.2.3-r0', '1.2.10-r1']);
console.log(
  `cold start: node -e 0 ${node.toFixed(1)} ms; larder version compare ${larder.toFixed(1)} ms (ratio ${(larder / node).toFixed(2)}x)`,
);
