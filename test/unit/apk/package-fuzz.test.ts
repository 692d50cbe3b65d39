import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { loadKeyring, readApkIndex, readApkPackage } from '../../../src/apk/index.js';
import { LarderError } from '../../../src/core/index.js';
import { own, shared } from '../../kit/paths.js';
import { prng } from '../../kit/prng.js';

/** Mutates a copy: flip, overwrite, cut, duplicate or splice random byte runs. */
function mutate(input: Buffer, rand: () => number): Buffer {
  const b = Buffer.from(input);
  const pos = Math.floor(rand() * b.length);
  switch (Math.floor(rand() * 5)) {
    case 0:
      b[pos] = b[pos]! ^ (1 << Math.floor(rand() * 8));
      return b;
    case 1:
      for (let i = 0; i < 16 && pos + i < b.length; i++) b[pos + i] = Math.floor(rand() * 256);
      return b;
    case 2:
      return b.subarray(0, pos);
    case 3:
      return Buffer.concat([b.subarray(0, pos), b.subarray(pos - Math.min(pos, 64))]);
    default:
      return Buffer.concat([b.subarray(0, pos), Buffer.from([0x1f, 0x8b, 8, 0]), b.subarray(pos)]);
  }
}

async function* once(bytes: Buffer): AsyncGenerator<Uint8Array> {
  yield bytes;
}

// A mutated package or index must either read (and then verify or not) or throw a
// LarderError: never another exception, never a hang.
describe('fuzzing the package and index readers', () => {
  it('2,000 mutations of a signed package', async () => {
    const base = await readFile(own('bad', 'unknown-key.apk'));
    const keyring = await loadKeyring([own('keys', 'other-test.rsa.pub')]);
    const rand = prng(20261127);
    let read = 0;
    let rejected = 0;
    for (let i = 0; i < 2000; i++) {
      const input = mutate(base, rand);
      try {
        await readApkPackage(once(input), { keyring, name: `mutation ${i}` });
        read++;
      } catch (err) {
        if (!(err instanceof LarderError)) throw new Error(`mutation ${i}: ${String(err)}`, { cause: err });
        expect(err.message).toContain(`mutation ${i}`);
        rejected++;
      }
    }
    expect(read + rejected).toBe(2000);
    expect(rejected).toBeGreaterThan(1000);
  });

  it('500 mutations of a real signed index', async () => {
    const base = await readFile(shared('repo', 'melange-test', 'x86_64', 'APKINDEX.tar.gz'));
    const keyring = await loadKeyring([shared('keys', 'melange')]);
    const rand = prng(7);
    for (let i = 0; i < 500; i++) {
      try {
        readApkIndex(mutate(base, rand), { keyring, allowUntrusted: true });
      } catch (err) {
        if (!(err instanceof LarderError)) throw new Error(`mutation ${i}: ${String(err)}`, { cause: err });
      }
    }
  });
});
