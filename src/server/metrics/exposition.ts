/**
 * Prometheus text exposition format 0.0.4: `# HELP`/`# TYPE` then samples, label values escaped
 * (backslash, double quote, newline), one family per metric name.
 */

export type Labels = Readonly<Record<string, string>>;
export interface Sample {
  /** Suffix added to the family name (`_bucket`, `_sum`, `_count`), or ''. */
  readonly suffix?: string;
  readonly labels?: Labels;
  readonly value: number;
}
export interface MetricFamily {
  readonly name: string;
  readonly help: string;
  readonly type: 'gauge' | 'counter' | 'histogram' | 'summary';
  readonly samples: readonly Sample[];
}

const escapeLabel = (v: string): string =>
  v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const escapeHelp = (v: string): string => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(v);
}

function formatLabels(labels: Labels | undefined): string {
  const entries = Object.entries(labels ?? {});
  if (entries.length === 0) return '';
  return `{${entries.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}`;
}

export function formatMetrics(families: readonly MetricFamily[]): string {
  const out: string[] = [];
  for (const f of families) {
    out.push(`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} ${f.type}`);
    for (const s of f.samples)
      out.push(`${f.name}${s.suffix ?? ''}${formatLabels(s.labels)} ${formatValue(s.value)}`);
  }
  return `${out.join('\n')}\n`;
}

/** Cumulative histogram samples of `values` (seconds) over `bounds`, per label set. */
export function histogramSamples(
  values: readonly number[],
  bounds: readonly number[],
  labels: Labels = {},
): Sample[] {
  const samples: Sample[] = bounds.map((le) => ({
    suffix: '_bucket',
    labels: { ...labels, le: String(le) },
    value: values.filter((v) => v <= le).length,
  }));
  samples.push(
    { suffix: '_bucket', labels: { ...labels, le: '+Inf' }, value: values.length },
    { suffix: '_sum', labels, value: values.reduce((a, b) => a + b, 0) },
    { suffix: '_count', labels, value: values.length },
  );
  return samples;
}
