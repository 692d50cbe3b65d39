import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  LarderError,
  parseQ1Checksum,
  q1Checksum,
  rawDigest,
  writeFileAtomic,
} from '../../src/core/index.js';

describe('core', () => {
  it('round-trips Q1 checksums', () => {
    const sha = rawDigest('sha1', 'hello');
    const q1 = q1Checksum(sha);
    expect(q1).toMatch(/^Q1[A-Za-z0-9+/]{27}=$/);
    expect(parseQ1Checksum(q1)?.equals(sha)).toBe(true);
    expect(parseQ1Checksum(`X1${sha.toString('hex')}`)?.equals(sha)).toBe(true);
    expect(parseQ1Checksum('Q1short')).toBeUndefined();
  });

  it('writes atomically and leaves no temp files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'larder-core-'));
    const file = join(dir, 'sub', 'out.txt');
    await writeFileAtomic(file, 'one');
    await writeFileAtomic(file, 'two');
    expect(await readFile(file, 'utf8')).toBe('two');
    expect(await readdir(join(dir, 'sub'))).toEqual(['out.txt']);
  });

  it('cleans up when a streamed write fails', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'larder-core-'));
    async function* failing() {
      yield Buffer.from('partial');
      throw new Error('boom');
    }
    await expect(writeFileAtomic(join(dir, 'x'), failing())).rejects.toBeInstanceOf(LarderError);
    expect(await readdir(dir)).toEqual([]);
  });
});
