import { describe, expect, it } from 'vitest';
import { bytes, progressRenderer } from '../../src/cli/progress.js';

function fakeOutput(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, out: { isTTY, columns: 80, write: (t: string) => writes.push(t) } };
}

describe('progress on stderr', () => {
  it('prints plain lines when not a terminal: one per finished task and per warning', () => {
    let t = 0;
    const { writes, out } = fakeOutput(false);
    const { listener, close } = progressRenderer(out, { now: () => t });
    listener({ kind: 'start', task: 'GET https://r/x.apk', total: 4096 });
    listener({ kind: 'advance', task: 'GET https://r/x.apk', done: 2048, total: 4096 });
    listener({ kind: 'advance', task: 'GET https://r/x.apk', done: 4096, total: 4096 });
    t = 1500;
    listener({ kind: 'finish', task: 'GET https://r/x.apk' });
    listener({ kind: 'warn', message: 'lock is old', subject: 'apko.lock.json' });
    listener({ kind: 'start', task: 'image x86_64' });
    t = 4000;
    listener({ kind: 'finish', task: 'image x86_64' });
    close();
    expect(writes.join('')).toBe(
      [
        'larder: GET https://r/x.apk: done (4.0 KiB in 1.5 s)',
        'larder: warning: apko.lock.json: lock is old',
        'larder: image x86_64: done (2.5 s)',
        '',
      ].join('\n'),
    );
  });

  it('draws live bars on a terminal, redrawn in place and cleared at the end', () => {
    let t = 0;
    const { writes, out } = fakeOutput(true);
    const { listener, close } = progressRenderer(out, { now: () => t });
    listener({ kind: 'start', task: 'push sha256:ab', total: 1024 * 1024 });
    t = 200;
    listener({ kind: 'advance', task: 'push sha256:ab', done: 512 * 1024, total: 1024 * 1024 });
    const text = writes.join('');
    expect(text).toContain('[############............]  50%  512.0 KiB/1.0 MiB  push sha256:ab');
    // The second drawing first moves up over the first bar and clears it.
    expect(text).toContain('\x1b[1A\x1b[J');
    t = 210; // within 100 ms of the last drawing: no redraw
    const before = writes.length;
    listener({ kind: 'advance', task: 'push sha256:ab', done: 600 * 1024, total: 1024 * 1024 });
    expect(writes.length).toBe(before);
    listener({ kind: 'finish', task: 'push sha256:ab' });
    close();
    expect(writes.join('')).toMatch(/larder: push sha256:ab: done \(600\.0 KiB in 0\.2 s\)\n$/);
  });

  it('keeps only warnings when quiet', () => {
    const { writes, out } = fakeOutput(true);
    const { listener, close } = progressRenderer(out, { quiet: true });
    listener({ kind: 'start', task: 'write layer' });
    listener({ kind: 'advance', task: 'write layer', done: 10 });
    listener({ kind: 'finish', task: 'write layer' });
    listener({ kind: 'warn', message: 'careful' });
    close();
    expect(writes.join('')).toBe('larder: warning: careful\n');
  });

  it('formats sizes in binary units', () => {
    expect([0, 1023, 1024, 1536, 5 * 1024 * 1024, 3 * 1024 ** 3].map(bytes)).toEqual([
      '0 B',
      '1023 B',
      '1.0 KiB',
      '1.5 KiB',
      '5.0 MiB',
      '3.0 GiB',
    ]);
  });
});
