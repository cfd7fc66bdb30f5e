type Labels = Readonly<Record<string, string>>;

const DEFAULT_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Histogram { buckets: number[]; counts: number[]; sum: number; count: number }

/**
 * Minimal Prometheus registry (counters, gauges, histograms) rendered in the text exposition
 * format. Label sets are bounded by construction: callers pass methods, outcomes and upstream
 * names from configuration, never subjects or tool names chosen by clients.
 */
export class Metrics {
  private readonly counters = new Map<string, Map<string, number>>();
  private readonly gauges = new Map<string, () => number>();
  private readonly histograms = new Map<string, Map<string, Histogram>>();
  private readonly help = new Map<string, string>();

  /** Adds `value` to counter `name` with `labels`. */
  inc(name: string, labels: Labels = {}, value = 1): void {
    const series = this.series(this.counters, name);
    const key = renderLabels(labels);
    series.set(key, (series.get(key) ?? 0) + value);
  }

  /** Current value of a counter series (tests, benchmark). */
  value(name: string, labels: Labels = {}): number {
    return this.counters.get(name)?.get(renderLabels(labels)) ?? 0;
  }

  /** Sum of every series of a counter. */
  total(name: string): number {
    let sum = 0;
    for (const v of this.counters.get(name)?.values() ?? []) sum += v;
    return sum;
  }

  /** Registers a gauge read at scrape time. */
  gauge(name: string, help: string, read: () => number): void {
    this.help.set(name, help);
    this.gauges.set(name, read);
  }

  /** Records one observation, in seconds, into histogram `name`. */
  observe(name: string, labels: Labels, seconds: number): void {
    const series = this.series(this.histograms, name);
    const key = renderLabels(labels);
    let h = series.get(key);
    if (h === undefined) {
      h = { buckets: DEFAULT_BUCKETS, counts: DEFAULT_BUCKETS.map(() => 0), sum: 0, count: 0 };
      series.set(key, h);
    }
    for (let i = 0; i < h.buckets.length; i++) if (seconds <= h.buckets[i]) h.counts[i]++;
    h.sum += seconds;
    h.count++;
  }

  /** Sets the HELP text of a metric. */
  describe(name: string, help: string): void {
    this.help.set(name, help);
  }

  /** Renders every metric in the Prometheus text format, version 0.0.4. */
  render(): string {
    const lines: string[] = [];
    const header = (name: string, type: string) => {
      lines.push(`# HELP ${name} ${this.help.get(name) ?? name}`, `# TYPE ${name} ${type}`);
    };
    for (const [name, series] of this.counters) {
      header(name, 'counter');
      for (const [labels, v] of series) lines.push(`${name}${labels} ${v}`);
    }
    for (const [name, read] of this.gauges) {
      header(name, 'gauge');
      lines.push(`${name} ${read()}`);
    }
    for (const [name, series] of this.histograms) {
      header(name, 'histogram');
      for (const [labels, h] of series) {
        const inner = labels === '' ? '' : labels.slice(1, -1) + ',';
        h.buckets.forEach((b, i) => lines.push(`${name}_bucket{${inner}le="${b}"} ${h.counts[i]}`));
        lines.push(`${name}_bucket{${inner}le="+Inf"} ${h.count}`, `${name}_sum${labels} ${h.sum}`, `${name}_count${labels} ${h.count}`);
      }
    }
    return lines.join('\n') + '\n';
  }

  private series<T>(map: Map<string, Map<string, T>>, name: string): Map<string, T> {
    let series = map.get(name);
    if (series === undefined) {
      series = new Map();
      map.set(name, series);
    }
    return series;
  }
}

function renderLabels(labels: Labels): string {
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return '';
  return `{${keys.map((k) => `${k}="${labels[k].replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`).join(',')}}`;
}
