/** Event timestamps: RFC 3339 text, compared as instants, written at second precision in UTC. */

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** Why `text` is not an RFC 3339 timestamp (what Go's `time.RFC3339` parses), or undefined. */
export function timestampProblem(text: string): string | undefined {
  const m = RFC3339.exec(text);
  const bad = `timestamp '${text}' is not RFC 3339 (YYYY-MM-DDTHH:MM:SSZ)`;
  if (m === null) return bad;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as number[];
  const days = new Date(Date.UTC(year as number, month as number, 0)).getUTCDate();
  if ((month as number) < 1 || (month as number) > 12 || (day as number) < 1 || (day as number) > days)
    return bad;
  if ((hour as number) > 23 || (minute as number) > 59 || (second as number) > 59) return bad;
  return undefined;
}

/** Milliseconds since the epoch of a valid timestamp. */
export function timestampMillis(text: string): number {
  return Date.parse(text.toUpperCase());
}

/** `YYYY-MM-DDTHH:MM:SSZ` (Wolfi's form; fractions of a second dropped, as Go's RFC3339 does). */
export function formatTimestamp(millis: number): string {
  return `${new Date(Math.floor(millis / 1000) * 1000).toISOString().slice(0, 19)}Z`;
}

/** A timestamp in UTC at second precision, however it was written. */
export function normalizeTimestamp(text: string): string {
  return formatTimestamp(timestampMillis(text));
}
