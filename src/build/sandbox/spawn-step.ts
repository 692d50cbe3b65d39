import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { LarderError } from '../../core/index.js';
import { LineSplitter } from './line-splitter.js';
import type { RunStepOptions, SandboxStep, StepResult } from './sandbox.js';

/** Lines of bwrap's own stderr kept to explain a failed setup. */
const KEEP_LINES = 8;

/** The `exit-code` of bwrap's `--json-status-fd` lines, undefined when the step never started. */
export function exitCodeOf(statusText: string): number | undefined {
  let code: number | undefined;
  for (const line of statusText.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const record = JSON.parse(line) as Record<string, unknown>;
      if (typeof record['exit-code'] === 'number') code = record['exit-code'];
    } catch {
      // bwrap writes one JSON object per line; anything else is not ours to read
    }
  }
  return code;
}

/**
 * Runs `bwrap ARGS` for one step with the step's environment and nothing else, passing every
 * output line to `onLine` tagged with the step's name. bwrap's status fd (3) tells a step that
 * failed (an `exit-code`) from a sandbox that could not be set up (none).
 */
export function spawnStep(
  bwrap: string,
  args: readonly string[],
  step: SandboxStep,
  options: RunStepOptions,
): Promise<StepResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(bwrap, args, {
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
      env: { ...step.env },
      ...(options.signal !== undefined ? { signal: options.signal } : {}),
    });
    const lastErr: string[] = [];
    const out = new LineSplitter((text) => options.onLine({ step: step.name, stream: 'stdout', text }));
    const err = new LineSplitter((text) => {
      lastErr.push(text);
      if (lastErr.length > KEEP_LINES) lastErr.shift();
      options.onLine({ step: step.name, stream: 'stderr', text });
    });
    (child.stdio[1] as Readable).on('data', (b: Buffer) => out.push(b));
    (child.stdio[2] as Readable).on('data', (b: Buffer) => err.push(b));
    const status: Buffer[] = [];
    (child.stdio[3] as Readable).on('data', (b: Buffer) => status.push(b));
    let spawnError: Error | undefined;
    child.on('error', (e) => {
      spawnError = e;
    });
    child.on('close', (code, signal) => {
      out.end();
      err.end();
      const durationMs = performance.now() - started;
      if (options.signal?.aborted === true)
        return reject(
          new LarderError('STEP_FAILED', `build step '${step.name}' was cancelled`, {
            subject: step.name,
            cause: options.signal.reason,
          }),
        );
      if (spawnError !== undefined)
        return reject(
          new LarderError('SANDBOX_UNAVAILABLE', `cannot start ${bwrap}: ${spawnError.message}`, {
            subject: step.name,
            cause: spawnError,
          }),
        );
      const exit = exitCodeOf(Buffer.concat(status).toString('utf8'));
      if (exit === undefined) {
        const why =
          lastErr.filter((l) => l.startsWith('bwrap:')).at(-1) ?? `bwrap exit status ${code ?? signal}`;
        return reject(
          new LarderError(
            'SANDBOX_UNAVAILABLE',
            `build step '${step.name}': the sandbox could not be set up: ${why}`,
            {
              subject: step.name,
            },
          ),
        );
      }
      if (exit === 0) return resolve({ step: step.name, status: 0, durationMs });
      // A shell reports a step killed by signal N as 128+N.
      const how = `failed with exit status ${exit}${exit > 128 && exit < 160 ? ` (signal ${exit - 128}?)` : ''}`;
      const tail = lastErr.at(-1);
      reject(
        new LarderError(
          'STEP_FAILED',
          `build step '${step.name}' ${how}${tail !== undefined && tail !== '' ? `: ${tail}` : ''}`,
          { subject: step.name },
        ),
      );
    });
  });
}
