import { describe, expect, it } from "vitest";
import {
  buildBarChart,
  CHART_DEFAULTS,
  type ChartInput,
  chartAltText,
  cleanText,
  formatNumber,
  niceScale,
  truncate,
} from "../../src/core/chart.ts";

const agents = (...values: number[]): ChartInput["bars"] =>
  values.map((value, i) => ({ label: `Agent ${i + 1}`, value }));

describe("niceScale: a 0-based axis in 1/2/5 × 10^k steps that covers the largest bar", () => {
  const cases: [string, number, boolean, number, number, number[]][] = [
    // name, max, integers, expected max, expected step, expected tick values
    ["nothing open: axis 0..1", 0, true, 1, 1, [0, 1]],
    ["one conversation", 1, true, 1, 1, [0, 1]],
    ["small counts never get half steps", 3, true, 3, 1, [0, 1, 2, 3]],
    ["7 rounds up to 8 in steps of 2", 7, true, 8, 2, [0, 2, 4, 6, 8]],
    ["12 in steps of 5", 12, true, 15, 5, [0, 5, 10, 15]],
    ["exactly on a step", 30, true, 30, 10, [0, 10, 20, 30]],
    ["just over a step", 31, true, 40, 10, [0, 10, 20, 30, 40]],
    ["25 in steps of 5", 25, true, 25, 5, [0, 5, 10, 15, 20, 25]],
    ["hundreds", 420, true, 500, 100, [0, 100, 200, 300, 400, 500]],
    ["thousands", 1234, true, 1500, 500, [0, 500, 1000, 1500]],
    ["fractions may take fractional steps", 0.3, false, 0.3, 0.1, [0, 0.1, 0.2, 0.3]],
    ["fractions without float noise", 0.7, false, 0.8, 0.2, [0, 0.2, 0.4, 0.6, 0.8]],
  ];
  it.each(cases)("%s", (_name, max, integers, top, step, ticks) => {
    const scale = niceScale(max, 5, integers);
    expect(scale.max).toBe(top);
    expect(scale.step).toBe(step);
    expect(scale.ticks.map((t) => t.value)).toEqual(ticks);
    expect(scale.ticks.map((t) => t.fraction)).toEqual(ticks.map((t) => t / top));
    expect(scale.max).toBeGreaterThanOrEqual(max);
    expect(scale.ticks.length).toBeLessThanOrEqual(7);
  });
});

describe("cleanText: what a label may contain", () => {
  const cases: [string, string, string][] = [
    ["plain stays", "Alice", "Alice"],
    ["trims and collapses whitespace", "  Ann \t\n  Lee  ", "Ann Lee"],
    ["drops control characters", "bad\u0007na\u0000me\u009b", "badname"],
    ["drops XML-forbidden noncharacters", "a\uFFFEb\uFFFF", "ab"],
    ["replaces an unpaired high surrogate", "x\uD83Dy", "x\uFFFDy"],
    ["replaces an unpaired low surrogate", "\uDE00z", "\uFFFDz"],
    ["keeps a real emoji", "🎉 Party", "🎉 Party"],
    [
      "keeps markup characters (escaping is the renderer's job)",
      `O'Brien & <Sons> "x"`,
      `O'Brien & <Sons> "x"`,
    ],
    ["keeps right-to-left text", "אבי כהן", "אבי כהן"],
  ];
  it.each(cases)("%s", (_name, input, expected) => expect(cleanText(input)).toBe(expected));
});

describe("truncate: long names get an ellipsis, never a broken character", () => {
  const cases: [string, string, number, string][] = [
    ["short stays", "Bob", 5, "Bob"],
    ["exactly the limit stays", "Alice", 5, "Alice"],
    ["one over is cut", "Alicia", 5, "Alic…"],
    ["no space before the ellipsis", "Ann Lee-Smith", 5, "Ann…"],
    ["an emoji with a skin tone stays whole", `${"👍🏽".repeat(4)}`, 3, "👍🏽👍🏽…"],
    ["a ZWJ family stays whole", "👩‍👩‍👧‍👦👩‍👩‍👧‍👦👩‍👩‍👧‍👦", 2, "👩‍👩‍👧‍👦…"],
    ["a flag stays whole", "🇳🇱🇳🇱🇳🇱", 2, "🇳🇱…"],
    ["a combining accent stays with its letter", "e\u0301e\u0301e\u0301", 2, "e\u0301…"],
    ["limit 1 is just the ellipsis", "Alice", 1, "…"],
  ];
  it.each(cases)("%s", (_name, input, max, expected) => expect(truncate(input, max)).toBe(expected));
});

describe("formatNumber", () => {
  const cases: [number, string][] = [
    [0, "0"],
    [7, "7"],
    [1000, "1,000"],
    [1234567, "1,234,567"],
    [0.5, "0.5"],
    [12.345, "12.35"],
    [2.1, "2.1"],
    [1000.25, "1,000.25"],
  ];
  it.each(cases)("%s → %s", (n, expected) => expect(formatNumber(n)).toBe(expected));
});

describe("buildBarChart", () => {
  it("sorts busiest first; ties by name with numbers in numeric order, then input order", () => {
    const model = buildBarChart({
      title: "Open",
      bars: [
        { label: "Agent 10", value: 3 },
        { label: "Zed", value: 9 },
        { label: "Agent 2", value: 3 },
        { label: "Same", value: 1 },
        { label: "Same", value: 1 },
        { label: "Amy", value: 0 },
      ],
    });
    expect(model.bars.map((b) => [b.label, b.value])).toEqual([
      ["Zed", 9],
      ["Agent 2", 3],
      ["Agent 10", 3],
      ["Same", 1],
      ["Same", 1],
      ["Amy", 0],
    ]);
  });

  const cases: {
    name: string;
    bars: ChartInput["bars"];
    maxBars?: number;
    shown: number;
    hidden: { count: number; total: number };
    note: string | null;
    scaleMax: number;
    empty: string | null;
  }[] = [
    {
      name: "no agents: no bars, the empty message",
      bars: [],
      shown: 0,
      hidden: { count: 0, total: 0 },
      note: null,
      scaleMax: 1,
      empty: "No open conversations",
    },
    {
      name: "one agent",
      bars: agents(4),
      shown: 1,
      hidden: { count: 0, total: 0 },
      note: null,
      scaleMax: 4,
      empty: null,
    },
    {
      name: "agents with nothing open are bars of zero, not an empty chart",
      bars: agents(0, 0),
      shown: 2,
      hidden: { count: 0, total: 0 },
      note: null,
      scaleMax: 1,
      empty: null,
    },
    {
      name: "exactly maxBars: no note",
      bars: agents(...Array.from({ length: 25 }, (_, i) => i)),
      shown: 25,
      hidden: { count: 0, total: 0 },
      note: null,
      scaleMax: 25,
      empty: null,
    },
    {
      // Four agents each with 0..49 open (4,900 in all); the top 25 are four each of 49..44 and
      // one 43 (1,159), so the other 175 have 3,741.
      name: "200 agents: top 25 and a note with the rest's count and total",
      bars: agents(...Array.from({ length: 200 }, (_, i) => i % 50)),
      shown: 25,
      hidden: { count: 175, total: 3741 },
      note: "and 175 more (total 3,741)",
      scaleMax: 50,
      empty: null,
    },
    {
      name: "maxBars 3",
      bars: agents(5, 1, 4, 2, 3, 1200),
      maxBars: 3,
      shown: 3,
      hidden: { count: 3, total: 6 },
      note: "and 3 more (total 6)",
      scaleMax: 1500,
      empty: null,
    },
  ];
  it.each(cases)("$name", ({ bars, maxBars, shown, hidden, note, scaleMax, empty }) => {
    const model = buildBarChart({ title: "Open conversations", bars }, { maxBars });
    expect(model.bars).toHaveLength(shown);
    expect(model.hidden).toEqual(hidden);
    expect(model.note).toBe(note);
    expect(model.scale.max).toBe(scaleMax);
    expect(model.emptyMessage).toBe(empty);
    expect(model.bars.length + model.hidden.count).toBe(bars.length);
    for (const b of model.bars) expect(b.fraction).toBeCloseTo(b.value / model.scale.max, 12);
    for (let i = 1; i < model.bars.length; i++) {
      expect(model.bars[i]!.value).toBeLessThanOrEqual(model.bars[i - 1]!.value);
    }
  });

  it("cuts long labels and the title, and fills in nameless agents", () => {
    const model = buildBarChart({
      title: `Weekly ${"very ".repeat(30)}long title`,
      bars: [
        { label: "Maximilian Alexander von Hohenzollern-Sigmaringen", value: 2 },
        { label: " \n\t", value: 1 },
      ],
    });
    expect(model.bars[0]!.label).toBe("Maximilian Alexander vo…");
    expect([...model.bars[0]!.label]).toHaveLength(CHART_DEFAULTS.maxLabelLength);
    expect(model.bars[1]!.label).toBe("(no name)");
    expect([...model.title]).toHaveLength(CHART_DEFAULTS.maxTitleLength);
    expect(model.title.endsWith("…")).toBe(true);
  });

  it("gives value texts with separators and a custom empty message", () => {
    expect(buildBarChart({ title: "t", bars: agents(12345) }).bars[0]!.valueText).toBe("12,345");
    expect(buildBarChart({ title: "t", bars: [] }, { emptyMessage: "All quiet" }).emptyMessage).toBe(
      "All quiet",
    );
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])("rejects a value of %s", (value) => {
    expect(() => buildBarChart({ title: "t", bars: [{ label: "x", value }] })).toThrow(RangeError);
  });

  it.each([0, -3, 2.5])("rejects maxBars %s", (maxBars) => {
    expect(() => buildBarChart({ title: "t", bars: agents(1) }, { maxBars })).toThrow(RangeError);
  });

  it("does not change its input", () => {
    const bars = agents(1, 3, 2);
    const copy = structuredClone(bars);
    buildBarChart({ title: "t", bars }, { maxBars: 1 });
    expect(bars).toEqual(copy);
  });
});

describe("chartAltText: what a screen reader says for the chart", () => {
  const chart = (values: number[], options = {}) =>
    buildBarChart({ title: "Open", bars: agents(...values) }, options);
  it.each([
    ["every bar, busiest first", chart([1, 3, 2]), undefined, "Open: Agent 2 3, Agent 3 2, Agent 1 1."],
    [
      "bars the image leaves out are counted, as its note does",
      chart([1, 3, 2, 5], { maxBars: 2 }),
      undefined,
      "Open: Agent 4 5, Agent 2 3; and 2 more (total 3).",
    ],
    [
      "over the limit: the bars that do not fit are counted too",
      chart([4, 3, 2, 1]),
      40,
      "Open: Agent 1 4; and 3 more (total 6).",
    ],
    ["no bars", chart([]), undefined, "Open: No open conversations."],
  ])("%s", (_name, model, max, expected) => {
    expect(chartAltText(model, max)).toBe(expected);
  });

  it("2,000 agents stay within Slack's 1,000 characters", () => {
    const text = chartAltText(chart(Array.from({ length: 2000 }, (_, i) => 2000 - i)));
    expect(text.length).toBeLessThanOrEqual(1000);
    expect(text).toMatch(/^Open: Agent 1 2,000, Agent 2 1,999, .*; and 1,9\d\d more \(total [\d,]+\)\.$/);
  });
});
