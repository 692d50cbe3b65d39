/**
 * A unified diff of two texts by lines (Myers' O(ND) shortest edit script), as `diff -u` prints
 * it: `---`/`+++` headers, `@@ -a,b +c,d @@` hunks with three lines of context, and
 * `\ No newline at end of file` where a side lacks the final newline.
 */

/** Attached to a last line that lacks its newline, for comparison only. */
const NO_NEWLINE = String.fromCharCode(0);

type Op = { readonly kind: ' ' | '-' | '+'; readonly line: string };

/** Lines of `text`, each without its `\n`; `final` says whether the last one had one. */
function splitLines(text: string): { lines: string[]; final: boolean } {
  if (text === '') return { lines: [], final: true };
  const final = text.endsWith('\n');
  const lines = (final ? text.slice(0, -1) : text).split('\n');
  return { lines, final };
}

/** The shortest edit script turning `a` into `b`. */
function editScript(a: readonly string[], b: readonly string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  let v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    const next = v.slice();
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && (v[offset + k - 1] ?? 0) < (v[offset + k + 1] ?? 0));
      let x = down ? (v[offset + k + 1] ?? 0) : (v[offset + k - 1] ?? 0) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      next[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
    v = next;
  }
  // Walk back through the saved frontiers.
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const frontier = trace[d] as Int32Array;
    const k = x - y;
    const down = k === -d || (k !== d && (frontier[offset + k - 1] ?? 0) < (frontier[offset + k + 1] ?? 0));
    const prevK = down ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : (frontier[offset + prevK] ?? 0);
    const prevY = d === 0 ? 0 : prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push({ kind: ' ', line: a[--x] ?? '' });
      y--;
    }
    if (d === 0) break;
    if (down) ops.push({ kind: '+', line: b[--y] ?? '' });
    else ops.push({ kind: '-', line: a[--x] ?? '' });
  }
  return ops.reverse();
}

/** `diff -u` of `before` and `after`, or '' when they are equal. */
export function unifiedDiff(
  before: string,
  after: string,
  fromName: string,
  toName: string,
  context = 3,
): string {
  if (before === after) return '';
  const a = splitLines(before);
  const b = splitLines(after);
  // A last line with and without its newline differs: compare it with a marker attached.
  const mark = (side: { lines: string[]; final: boolean }): string[] =>
    a.final === b.final || side.final
      ? side.lines
      : [...side.lines.slice(0, -1), `${side.lines.at(-1)}${NO_NEWLINE}`];
  const ops = editScript(mark(a), mark(b)).map((o) => ({
    ...o,
    line: o.line.endsWith(NO_NEWLINE) ? o.line.slice(0, -1) : o.line,
  }));
  let out = `--- ${fromName}\n+++ ${toName}\n`;
  let i = 0;
  while (i < ops.length) {
    while (i < ops.length && ops[i]?.kind === ' ') i++;
    if (i >= ops.length) break;
    const start = Math.max(0, i - context);
    let end = i;
    // Extend while the next change is within 2 * context unchanged lines.
    for (let j = i; j < ops.length; j++) {
      if (ops[j]?.kind !== ' ') end = j + 1;
      else if (j - end >= 2 * context) break;
    }
    end = Math.min(ops.length, end + context);
    let aStart = 0;
    let bStart = 0;
    for (let j = 0; j < start; j++) {
      if (ops[j]?.kind !== '+') aStart++;
      if (ops[j]?.kind !== '-') bStart++;
    }
    const hunk = ops.slice(start, end);
    const aLen = hunk.filter((o) => o.kind !== '+').length;
    const bLen = hunk.filter((o) => o.kind !== '-').length;
    out += `@@ -${range(aStart, aLen)} +${range(bStart, bLen)} @@\n`;
    let ai = aStart;
    let bi = bStart;
    for (const o of hunk) {
      out += `${o.kind}${o.line}\n`;
      if (o.kind !== '+') ai++;
      if (o.kind !== '-') bi++;
      const lastA = o.kind !== '+' && ai === a.lines.length && !a.final;
      const lastB = o.kind !== '-' && bi === b.lines.length && !b.final;
      if (lastA || lastB) out += '\\ No newline at end of file\n';
    }
    i = end;
  }
  return out;
}

/** `start,len` as diff prints it: 1-based, and `start` is the line before an empty range. */
function range(start: number, len: number): string {
  if (len === 0) return `${start},0`;
  return len === 1 ? `${start + 1}` : `${start + 1},${len}`;
}
