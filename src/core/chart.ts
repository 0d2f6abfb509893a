// A horizontal bar chart as data: which bars to draw, in what order, on what scale. Pure and
// renderer-agnostic; src/slack/chart-png.ts turns the model into a PNG. Everything a person reads
// (labels, value texts, tick texts, the "and N more" note) is decided here, so the renderer only
// lays out and draws.

export interface ChartInput {
  title: string;
  bars: { label: string; value: number }[];
}

export interface ChartOptions {
  /** Bars to draw; the rest are summed into the note. Default 25. */
  maxBars?: number;
  /** Longest label, in user-perceived characters, before it is cut with "…". Default 24. */
  maxLabelLength?: number;
  /** Longest title, likewise. Default 60. */
  maxTitleLength?: number;
  /** About how many steps the value axis gets (it picks a 1/2/5 × 10^k step). Default 5. */
  targetTicks?: number;
  /** Shown instead of bars when there are none. Default "No open conversations". */
  emptyMessage?: string;
}

export interface ChartBar {
  /** Cleaned and, if needed, truncated label. */
  label: string;
  value: number;
  valueText: string;
  /** value / scale.max, in [0, 1]: the bar's share of the plot width. */
  fraction: number;
}

export interface ChartTick {
  value: number;
  text: string;
  /** value / scale.max, in [0, 1]. */
  fraction: number;
}

export interface ChartModel {
  title: string;
  /** Largest value first; equal values by label ("Agent 2" before "Agent 10"), then input order. */
  bars: ChartBar[];
  /** Bars left out because of maxBars: how many, and the sum of their values. */
  hidden: { count: number; total: number };
  /** "and 175 more (total 412)" when bars were left out, else null. */
  note: string | null;
  /** The value axis: 0 to max in equal steps; max >= the largest value, and > 0. */
  scale: { max: number; step: number; ticks: ChartTick[] };
  /** Non-null exactly when there are no bars to draw. */
  emptyMessage: string | null;
}

export const CHART_DEFAULTS = {
  maxBars: 25,
  maxLabelLength: 24,
  maxTitleLength: 60,
  targetTicks: 5,
  emptyMessage: "No open conversations",
} as const satisfies Required<ChartOptions>;

const labelOrder = new Intl.Collator("en", { numeric: true, sensitivity: "variant" });

/**
 * Builds the model. Throws RangeError for a value that is negative or not finite (a count can be
 * neither: that is a caller bug, and a chart that quietly drew it as 0 would mislead).
 */
export function buildBarChart(input: ChartInput, options: ChartOptions = {}): ChartModel {
  const maxBars = positiveInt(options.maxBars ?? CHART_DEFAULTS.maxBars, "maxBars");
  const maxLabel = positiveInt(options.maxLabelLength ?? CHART_DEFAULTS.maxLabelLength, "maxLabelLength");
  const maxTitle = positiveInt(options.maxTitleLength ?? CHART_DEFAULTS.maxTitleLength, "maxTitleLength");
  const targetTicks = positiveInt(options.targetTicks ?? CHART_DEFAULTS.targetTicks, "targetTicks");

  const all = input.bars.map((b, index) => {
    if (!Number.isFinite(b.value) || b.value < 0) {
      throw new RangeError(`bar ${index} (${JSON.stringify(b.label)}): value must be finite and >= 0`);
    }
    return { label: truncate(cleanText(b.label) || "(no name)", maxLabel), value: b.value, index };
  });
  all.sort((a, b) => b.value - a.value || labelOrder.compare(a.label, b.label) || a.index - b.index);

  const shown = all.slice(0, maxBars);
  const rest = all.slice(maxBars);
  const hiddenTotal = rest.reduce((sum, b) => sum + b.value, 0);
  const integers = all.every((b) => Number.isInteger(b.value));
  const scale = niceScale(shown[0]?.value ?? 0, targetTicks, integers);

  return {
    title: truncate(cleanText(input.title), maxTitle),
    bars: shown.map((b) => ({
      label: b.label,
      value: b.value,
      valueText: formatNumber(b.value),
      fraction: b.value / scale.max,
    })),
    hidden: { count: rest.length, total: hiddenTotal },
    note:
      rest.length > 0 ? `and ${formatNumber(rest.length)} more (total ${formatNumber(hiddenTotal)})` : null,
    scale,
    emptyMessage: shown.length === 0 ? cleanText(options.emptyMessage ?? CHART_DEFAULTS.emptyMessage) : null,
  };
}

/** Slack's limit for a file's alt text (files.getUploadURLExternal `alt_txt`). */
export const MAX_ALT_TEXT = 1000;

/**
 * What a screen reader says for the chart: the title, then every drawn bar with its value, then
 * the note; bars that do not fit in `max` characters are counted instead of listed.
 */
export function chartAltText(chart: ChartModel, max = MAX_ALT_TEXT): string {
  if (chart.emptyMessage) return `${chart.title}: ${chart.emptyMessage}.`;
  const head = `${chart.title}: `;
  const items = chart.bars.map((b) => `${b.label} ${b.valueText}`);
  const tail = (listed: number) => {
    const unlisted = chart.bars.length - listed + chart.hidden.count;
    if (unlisted === 0) return ".";
    const total = chart.bars.slice(listed).reduce((sum, b) => sum + b.value, 0) + chart.hidden.total;
    const more = `${formatNumber(unlisted)} ${listed ? "more" : "bars"} (total ${formatNumber(total)}).`;
    return listed ? `; and ${more}` : more;
  };
  for (let listed = items.length; listed >= 0; listed--) {
    const text = head + items.slice(0, listed).join(", ") + tail(listed);
    if (text.length <= max) return text;
  }
  return truncate(head + tail(0), max);
}

/**
 * A 0-based axis covering `max` in about `targetTicks` steps of 1, 2 or 5 × 10^k. Integer data
 * never gets a step below 1 (no "0.5 conversations"). max 0 gives the axis 0..1.
 */
export function niceScale(max: number, targetTicks: number, integers: boolean): ChartModel["scale"] {
  let step = 1;
  if (max > 0) {
    const raw = max / targetTicks;
    const magnitude = 10 ** Math.floor(Math.log10(raw));
    const f = raw / magnitude;
    step = clean((f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * magnitude);
    if (integers) step = Math.max(1, step);
  }
  const steps = Math.max(1, Math.ceil(max / step - 1e-9));
  const top = clean(steps * step);
  const ticks: ChartTick[] = [];
  for (let i = 0; i <= steps; i++) {
    const value = clean(i * step);
    ticks.push({ value, text: formatNumber(value), fraction: value / top });
  }
  return { max: top, step, ticks };
}

/**
 * Text safe to show and to put in XML: unpaired surrogates become U+FFFD; control characters and
 * the XML-forbidden U+FFFE/U+FFFF go; whitespace runs (tabs, newlines too) become one space.
 */
export function cleanText(text: string): string {
  return text
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD")
    .replace(/[\t\n\r\v\f\u0085\u2028\u2029]/g, " ")
    .replace(/[\p{Cc}\uFFFE\uFFFF]/gu, "")
    .replace(/\s+/g, " ")
    .trim();
}

const graphemes = new Intl.Segmenter("en", { granularity: "grapheme" });

/** Cuts to at most `max` user-perceived characters (emoji, accents and flags stay whole), "…" last. */
export function truncate(text: string, max: number): string {
  const parts = Array.from(graphemes.segment(text), (s) => s.segment);
  if (parts.length <= max) return text;
  return `${parts
    .slice(0, max - 1)
    .join("")
    .trimEnd()}…`;
}

/** "1,234", "0.25", "12.5": up to two decimals, comma thousands separators, locale-independent. */
export function formatNumber(value: number): string {
  const [whole = "0", frac] = (Math.round(value * 100) / 100)
    .toFixed(2)
    .replace(/\.?0+$/, "")
    .split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return frac ? `${grouped}.${frac}` : grouped;
}

function clean(n: number): number {
  return Number(n.toPrecision(12));
}

function positiveInt(n: number, name: string): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${name} must be a positive integer, got ${n}`);
  return n;
}
