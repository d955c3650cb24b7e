/** Order statistics of a sample of durations (ms), for benchmark reports. */
export interface Summary { count: number; p50: number; p95: number; p99: number; max: number; mean: number }

/** Nearest-rank percentile: always a value that was actually measured. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function summarize(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const sum = sorted.reduce((s, x) => s + x, 0);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1]! : NaN,
    mean: sorted.length ? sum / sorted.length : NaN,
  };
}

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '-';
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`;
}

export function formatSummary(s: Summary): string {
  if (s.count === 0) return 'no samples';
  return `p50 ${formatMs(s.p50)}  p95 ${formatMs(s.p95)}  p99 ${formatMs(s.p99)}  max ${formatMs(s.max)}  (n=${s.count}, mean ${formatMs(s.mean)})`;
}

/** Counts occurrences, for "errors seen" style tallies. */
export class Tally {
  private readonly counts = new Map<string, number>();
  add(key: string, n = 1): void { this.counts.set(key, (this.counts.get(key) ?? 0) + n); }
  get total(): number { let t = 0; for (const n of this.counts.values()) t += n; return t; }
  entries(): [string, number][] { return [...this.counts].sort((a, b) => b[1] - a[1]); }
}
