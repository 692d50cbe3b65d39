/**
 * Schedule durations of `larder.yaml` (`6h`, `30m`, `1d12h`, `0`): a sequence of whole numbers
 * each followed by a unit (s, m, h, d); `0` alone means never.
 */

const UNIT_MS: Readonly<Record<string, number>> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const WHOLE = /^(?:\d+[smhd])+$/;
const PART = /(\d+)([smhd])/g;

/** Milliseconds of a duration, or why the value is not one. */
export function parseDuration(value: unknown): { ms: number } | { problem: string } {
  if (value === 0 || value === '0') return { ms: 0 };
  const hint = 'expected a duration such as 30m, 6h, 1d or 0 (never); units s, m, h, d';
  if (typeof value === 'number') return { problem: `the number ${value} has no unit: ${hint}` };
  if (typeof value !== 'string') return { problem: hint };
  const text = value.trim();
  if (!WHOLE.test(text)) return { problem: `'${value}' is not a duration: ${hint}` };
  let ms = 0;
  for (const [, amount, unit] of text.matchAll(PART)) ms += Number(amount) * (UNIT_MS[unit as string] ?? 0);
  if (!Number.isSafeInteger(ms)) return { problem: `'${value}' is too long` };
  return { ms };
}

/** `6h`, `1d`, `90s`: the shortest exact text for a duration (0 → `0`). */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0';
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
  ] as const) {
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${Math.round(ms / 1000)}s`;
}
