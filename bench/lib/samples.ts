// Latency samples: sorted once, read as percentiles; and what a benchmark adds to the summary.
import { percentile } from "./stats.ts";

export interface Summary {
  n: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = Float64Array.from(samples).sort();
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
    mean: sorted.length ? sum / sorted.length : Number.NaN,
  };
}

/** Rows for run.ts's summary table (benchmark, figure, value, target, verdict) and correctness problems. */
export interface BenchSummary {
  rows: string[][];
  problems: string[];
}

export const verdict = (ok: boolean) => (ok ? "PASS" : "MISS");
