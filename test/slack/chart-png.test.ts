import { crc32, inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { buildBarChart, type ChartInput } from "../../src/core/chart.ts";
import { BAR_COLOR, CHART_WIDTH, renderBarChartPng } from "../../src/slack/chart-png.ts";

// A small PNG decoder (8-bit RGB/RGBA, not interlaced: what resvg writes), independent of the
// encoder under test, so the assertions are about the picture a person sees.
interface Image {
  width: number;
  height: number;
  /** 0xRRGGBB at (x, y). */
  rgb: (x: number, y: number) => number;
}

function decodePng(png: Buffer): Image {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let offset = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  const types: string[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString("latin1", offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    expect(png.readUInt32BE(offset + 8 + length), `${type} CRC`).toBe(
      crc32(png.subarray(offset + 4, offset + 8 + length)),
    );
    types.push(type);
    if (type === "IHDR") {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect(data[8], "bit depth").toBe(8);
      expect([2, 6], "colour type").toContain(data[9]);
      expect(data[12], "interlace").toBe(0);
      channels = data[9] === 6 ? 4 : 3;
    }
    if (type === "IDAT") idat.push(data);
    offset += 12 + length;
  }
  expect(types[0]).toBe("IHDR");
  expect(types.at(-1)).toBe("IEND");

  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  expect(raw.length).toBe(height * (stride + 1));
  const out = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let i = 0; i < stride; i++) {
      const x = raw[y * (stride + 1) + 1 + i]!;
      const a = i >= channels ? out[y * stride + i - channels]! : 0;
      const b = y > 0 ? out[(y - 1) * stride + i]! : 0;
      const c = i >= channels && y > 0 ? out[(y - 1) * stride + i - channels]! : 0;
      let v: number;
      if (filter === 0) v = x;
      else if (filter === 1) v = x + a;
      else if (filter === 2) v = x + b;
      else if (filter === 3) v = x + ((a + b) >> 1);
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        v = x + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
      } else throw new Error(`bad filter ${filter}`);
      out[y * stride + i] = v & 0xff;
    }
  }
  return {
    width,
    height,
    rgb: (x, y) => {
      const i = y * stride + x * channels;
      return (out[i]! << 16) | (out[i + 1]! << 8) | out[i + 2]!;
    },
  };
}

const barRgb = Number.parseInt(BAR_COLOR.slice(1), 16);
const isBar = (rgb: number) => rgb === barRgb;
/** Dark enough to be text, not background, grid lines or the bars' blue. */
const isInk = (rgb: number) => (rgb >> 16) + ((rgb >> 8) & 0xff) + (rgb & 0xff) < 3 * 140 && rgb !== barRgb;

/** The bars as drawn, top to bottom: runs of rows holding bar-coloured pixels. */
function findBars(img: Image): { top: number; bottom: number; left: number; width: number }[] {
  const bars: { top: number; bottom: number; left: number; width: number }[] = [];
  let start = -1;
  const rowHasBar = (y: number) => {
    for (let x = 0; x < img.width; x++) if (isBar(img.rgb(x, y))) return true;
    return false;
  };
  for (let y = 0; y <= img.height; y++) {
    const has = y < img.height && rowHasBar(y);
    if (has && start < 0) start = y;
    if (!has && start >= 0) {
      const mid = (start + y - 1) >> 1;
      let left = -1;
      let width = 0;
      for (let x = 0; x < img.width; x++) {
        if (!isBar(img.rgb(x, mid))) continue;
        if (left < 0) left = x;
        width++;
      }
      bars.push({ top: start, bottom: y - 1, left, width });
      start = -1;
    }
  }
  return bars;
}

function inkIn(img: Image, x0: number, x1: number, y0: number, y1: number): number {
  let n = 0;
  for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) if (isInk(img.rgb(x, y))) n++;
  return n;
}

const agents = (...values: number[]): ChartInput["bars"] =>
  values.map((value, i) => ({ label: `Agent ${i + 1}`, value }));
const render = (bars: ChartInput["bars"]) =>
  renderBarChartPng(buildBarChart({ title: "Open conversations per agent", bars }));

describe("renderBarChartPng", () => {
  it("draws bar lengths proportional to the values, in order, from one baseline", async () => {
    const values = [40, 30, 20, 10, 5, 1];
    const img = decodePng(await render(agents(1, 20, 40, 5, 10, 30)));
    expect(img.width).toBe(CHART_WIDTH);
    const bars = findBars(img);
    expect(bars).toHaveLength(values.length);
    expect(new Set(bars.map((b) => b.left)).size).toBe(1);
    // The longest bar uses most of the width, so a ratio off by a little is many pixels off.
    expect(bars[0]!.width).toBeGreaterThan(CHART_WIDTH / 2);
    bars.forEach((bar, i) => {
      expect(
        Math.abs(bar.width - (bars[0]!.width * values[i]!) / values[0]!),
        `bar ${i}`,
      ).toBeLessThanOrEqual(1);
      expect(bar.bottom - bar.top).toBeGreaterThanOrEqual(12);
    });
  });

  it("keeps proportions when the axis runs past the largest value", async () => {
    const img = decodePng(await render(agents(42, 21, 14)));
    const [a, b, c] = findBars(img);
    expect(Math.abs(b!.width * 2 - a!.width)).toBeLessThanOrEqual(2);
    expect(Math.abs(c!.width * 3 - a!.width)).toBeLessThanOrEqual(3);
  });

  it("writes each name and each count next to its bar", async () => {
    const img = decodePng(await render(agents(8, 4, 2)));
    for (const bar of findBars(img)) {
      expect(inkIn(img, 0, bar.left - 12, bar.top, bar.bottom), "name").toBeGreaterThan(30);
      const end = bar.left + bar.width;
      expect(
        inkIn(img, end + 1, Math.min(img.width - 1, end + 40), bar.top, bar.bottom),
        "count",
      ).toBeGreaterThan(10);
    }
    expect(inkIn(img, 0, img.width - 1, 0, findBars(img)[0]!.top - 10), "title").toBeGreaterThan(300);
  });

  it("no agents: a small image with the message and no bars", async () => {
    const img = decodePng(await render([]));
    expect(img.width).toBe(CHART_WIDTH);
    expect(img.height).toBeLessThan(200);
    expect(findBars(img)).toHaveLength(0);
    expect(inkIn(img, 0, img.width - 1, img.height / 2, img.height - 1), "message").toBeGreaterThan(100);
  });

  it("one agent: one full-length bar", async () => {
    const img = decodePng(await render(agents(1)));
    const bars = findBars(img);
    expect(bars).toHaveLength(1);
    expect(bars[0]!.width).toBeGreaterThan(CHART_WIDTH / 2);
  });

  it("an agent with nothing open has a row but no bar", async () => {
    const two = decodePng(await render(agents(5, 0)));
    const one = decodePng(await render(agents(5)));
    expect(findBars(two)).toHaveLength(1);
    expect(two.height).toBeGreaterThan(one.height);
  });

  it("height grows by the same amount per bar", async () => {
    const [h1, h2, h3] = await Promise.all(
      [agents(3), agents(3, 2), agents(3, 2, 1)].map(async (b) => decodePng(await render(b)).height),
    );
    expect(h2! - h1!).toBeGreaterThan(20);
    expect(h3! - h2!).toBe(h2! - h1!);
  });

  it("200 agents: the top 25, busiest first, in a picture that still fits a screen", async () => {
    const many = Array.from({ length: 200 }, (_, i) => ({ label: `Agent ${i}`, value: (i * 37) % 101 }));
    const model = buildBarChart({ title: "Open conversations per agent", bars: many });
    const img = decodePng(await renderBarChartPng(model));
    const bars = findBars(img);
    expect(bars).toHaveLength(25);
    for (let i = 1; i < bars.length; i++) expect(bars[i]!.width).toBeLessThanOrEqual(bars[i - 1]!.width);
    expect(img.height).toBeLessThan(1000);
    // The "and 175 more" note is below the last bar and its axis labels.
    expect(inkIn(img, 0, img.width - 1, bars.at(-1)!.bottom + 40, img.height - 1)).toBeGreaterThan(100);
  });

  it("long names never run into the bars; names the font lacks do not throw", async () => {
    const img = decodePng(
      await render([
        { label: "W".repeat(200), value: 3 },
        { label: "李小龙 👩‍💻 \uD83D 🇳🇱 \u0000\u0007 محمد", value: 2 },
        { label: `<script>&amp;"'`, value: 1 },
      ]),
    );
    const bars = findBars(img);
    expect(bars).toHaveLength(3);
    for (const bar of bars) {
      expect(inkIn(img, bar.left - 11, bar.left - 2, bar.top, bar.bottom)).toBe(0);
      expect(inkIn(img, 0, bar.left - 12, bar.top, bar.bottom)).toBeGreaterThan(30);
    }
  });

  it("is deterministic: the same input gives the same bytes", async () => {
    const input = agents(9, 7, 7, 3, 0, 12);
    const a = await render(input);
    const b = await render(structuredClone(input));
    expect(a.equals(b)).toBe(true);
    expect((await render(agents(9, 7, 7, 3, 0, 11))).equals(a)).toBe(false);
  });
});
