import type { ProgressEvent, ProgressListener } from '../core/index.js';

/** Where progress goes: process.stderr, or a fake in tests. */
export interface ProgressOutput {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export interface ProgressRenderer {
  readonly listener: ProgressListener;
  /** Clears the bars (TTY) so that what follows starts on a clean line. */
  close(): void;
}

interface Task {
  readonly name: string;
  readonly started: number;
  done: number;
  total?: number;
}

const REDRAW_MS = 100;
const MAX_BARS = 6;
const BAR_WIDTH = 24;

/**
 * Renders progress events on stderr (docs/CLI.md): on a terminal, one live bar per running task
 * (downloads, layer writing, uploads), redrawn at most every 100 ms, and a line when a task
 * ends; elsewhere plain lines only, one per finished task and one per warning. `quiet` keeps
 * only warnings.
 */
export function progressRenderer(
  out: ProgressOutput,
  options: { quiet?: boolean; now?: () => number } = {},
): ProgressRenderer {
  const now = options.now ?? Date.now;
  const live = out.isTTY === true && options.quiet !== true;
  const tasks = new Map<string, Task>();
  let drawn = 0;
  let lastDraw = Number.NEGATIVE_INFINITY;

  const clear = (): void => {
    if (drawn > 0) out.write(`\x1b[${drawn}A\x1b[J`);
    drawn = 0;
  };
  const draw = (force: boolean): void => {
    if (!live) return;
    const t = now();
    if (!force && t - lastDraw < REDRAW_MS) return;
    lastDraw = t;
    clear();
    const width = Math.max(40, (out.columns ?? 100) - 1);
    const running = [...tasks.values()].slice(-MAX_BARS);
    for (const task of running) out.write(`${truncateLine(barLine(task), width)}\n`);
    drawn = running.length;
  };
  const line = (text: string): void => {
    clear();
    out.write(`${text}\n`);
    draw(true);
  };

  const listener = (event: ProgressEvent): void => {
    switch (event.kind) {
      case 'warn':
        line(`larder: warning: ${event.subject ? `${event.subject}: ` : ''}${event.message}`);
        return;
      case 'start':
        tasks.set(event.task, {
          name: event.task,
          started: now(),
          done: 0,
          ...(event.total !== undefined ? { total: event.total } : {}),
        });
        draw(false);
        return;
      case 'advance': {
        let task = tasks.get(event.task);
        if (task === undefined) {
          task = { name: event.task, started: now(), done: 0 };
          tasks.set(event.task, task);
        }
        task.done = event.done;
        if (event.total !== undefined) task.total = event.total;
        draw(false);
        return;
      }
      case 'finish': {
        const task = tasks.get(event.task);
        tasks.delete(event.task);
        if (options.quiet === true) return;
        line(`larder: ${event.task}: done${task ? summary(task, now()) : ''}`);
        return;
      }
    }
  };
  return { listener, close: clear };
}

function summary(task: Task, at: number): string {
  const seconds = ((at - task.started) / 1000).toFixed(1);
  return task.done > 0 ? ` (${bytes(task.done)} in ${seconds} s)` : ` (${seconds} s)`;
}

function barLine(task: Task): string {
  if (task.total === undefined || task.total <= 0) return `  ${task.name}  ${bytes(task.done)}`;
  const share = Math.min(1, task.done / task.total);
  const filled = Math.round(share * BAR_WIDTH);
  const bar = `${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}`;
  return `  [${bar}] ${String(Math.floor(share * 100)).padStart(3)}%  ${bytes(task.done)}/${bytes(task.total)}  ${task.name}`;
}

/** Sizes as people read them: B, KiB, MiB, GiB with one decimal. */
export function bytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${n} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** Cuts a line to the terminal width, keeping its end (the task name is most telling there). */
function truncateLine(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}
