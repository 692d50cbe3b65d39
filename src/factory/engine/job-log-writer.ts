/** Buffers a job's log lines and stores them in batches (factory_job_logs), so a chatty build costs few writes. */
import type { Store } from '../../store/index.js';
import { appendJobLog } from '../state/index.js';

export interface JobLogWriterOptions {
  /** ISO now (default the system clock). */
  readonly now?: () => string;
  /** Longest a line waits in the buffer (ms, default 200). */
  readonly flushMs?: number;
  /** A buffer this full is written at once (default 100 lines). */
  readonly maxLines?: number;
  /** Told when a batch cannot be stored (the lines are dropped; logging never fails a job). */
  readonly onError?: (error: unknown) => void;
}

export interface JobLogWriter {
  /** Buffers one line (multi-line text is split). Never throws. */
  log(line: string): void;
  /** Writes what is buffered; resolves when every line logged so far is stored (or dropped on error). */
  flush(): Promise<void>;
  /** Flushes and stops the timer; later lines are ignored. */
  close(): Promise<void>;
}

/** A writer for one job key: lines are stored every `flushMs`, or as soon as `maxLines` are waiting, in order. */
export function createJobLogWriter(
  store: Store,
  key: string,
  options: JobLogWriterOptions = {},
): JobLogWriter {
  const now = options.now ?? (() => new Date().toISOString());
  const flushMs = options.flushMs ?? 200;
  const maxLines = options.maxLines ?? 100;
  let buffer: { at: string; line: string }[] = [];
  let timer: NodeJS.Timeout | undefined;
  let chain: Promise<void> = Promise.resolve();
  let closed = false;

  const write = (): Promise<void> => {
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
    if (buffer.length > 0) {
      const batch = buffer;
      buffer = [];
      chain = chain.then(async () => {
        try {
          await appendJobLog(store, key, batch);
        } catch (error) {
          options.onError?.(error);
        }
      });
    }
    return chain;
  };

  return {
    log(text) {
      if (closed) return;
      const at = now();
      for (const line of String(text)
        .replace(/\r?\n$/, '')
        .split(/\r?\n/))
        buffer.push({ at, line });
      if (buffer.length >= maxLines) void write();
      else if (timer === undefined) {
        timer = setTimeout(() => void write(), flushMs);
        timer.unref?.();
      }
    },
    flush: write,
    async close() {
      closed = true;
      await write();
    },
  };
}
