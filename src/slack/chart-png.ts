// Draws a ChartModel (src/core/chart.ts) as a PNG for Slack: we write the SVG by hand and rasterise
// it with resvg compiled to WebAssembly (@resvg/resvg-wasm; the .wasm ships inside the npm
// package). The fonts are DejaVu Sans TTFs from the dejavu-fonts-ttf npm package, handed to resvg
// as buffers: system fonts are never looked at, so a machine without any renders the same bytes.
// Characters DejaVu lacks (CJK, most emoji) show as an empty box; they never throw.
//
// Layout: 800 px wide (Slack's preview width), one 28 px row per bar, names left, bars from a
// fixed x, the value right of each bar, the axis ticks below. No bars: a small image that says
// model.emptyMessage (callers that would rather send nothing check model.bars.length first).

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { initWasm, Resvg } from "@resvg/resvg-wasm";
import type { ChartModel } from "../core/chart.ts";

export const CHART_WIDTH = 800;
/** The bars' fill; nothing else in the picture has this colour. */
export const BAR_COLOR = "#2b6cd4";

const FONT = "DejaVu Sans";
const TEXT = "#1d1c1d";
const MUTED = "#616061";
const GRID = "#e4e4e4";
const AXIS = "#9e9e9e";

const PAD = 24;
const TITLE_BASELINE = 40;
const PLOT_TOP = 64;
const ROW = 28;
const BAR_HEIGHT = 18;
const LABEL_X = PAD;
const LABEL_RIGHT = 220; // names are cut here, whatever their width
const BAR_X = 232;
const PLOT_WIDTH = 480; // leaves 64 px right of the longest bar for its value
const EMPTY_HEIGHT = 120;

/** The chart as SVG. Exported for debugging and tests; Slack wants the PNG. */
export function barChartSvg(model: ChartModel): string {
  const parts: string[] = [];
  const text = (x: number, y: number, size: number, fill: string, body: string, extra = "") =>
    parts.push(
      `<text x="${x}" y="${y}" font-family="${FONT}" font-size="${size}" fill="${fill}"${extra}>${xml(body)}</text>`,
    );
  const rect = (x: number, y: number, w: number, h: number, fill: string) =>
    parts.push(
      `<rect x="${x}" y="${y}" width="${w}" height="${h}" fill="${fill}" shape-rendering="crispEdges"/>`,
    );

  let height: number;
  if (model.bars.length === 0) {
    height = EMPTY_HEIGHT;
    text(PAD, TITLE_BASELINE, 20, TEXT, model.title, ` font-weight="bold"`);
    text(CHART_WIDTH / 2, 86, 16, MUTED, model.emptyMessage ?? "", ` text-anchor="middle"`);
  } else {
    const plotBottom = PLOT_TOP + model.bars.length * ROW;
    height = plotBottom + 28 + (model.note ? 26 : 0) + 8;
    text(PAD, TITLE_BASELINE, 20, TEXT, model.title, ` font-weight="bold"`);

    // Names first, then white over everything right of the name column: a name too wide for it
    // is cut there instead of running into the bars. (A clipPath does the same at twice the cost.)
    for (const [i, bar] of model.bars.entries()) text(LABEL_X, PLOT_TOP + i * ROW + 19, 14, TEXT, bar.label);
    rect(LABEL_RIGHT, PLOT_TOP - 4, CHART_WIDTH - LABEL_RIGHT, plotBottom - PLOT_TOP + 8, "#ffffff");

    for (const tick of model.scale.ticks) {
      const x = BAR_X + Math.round(tick.fraction * PLOT_WIDTH);
      rect(x, PLOT_TOP - 4, 1, plotBottom - PLOT_TOP + 8, tick.value === 0 ? AXIS : GRID);
      text(x, plotBottom + 22, 12, MUTED, tick.text, ` text-anchor="middle"`);
    }

    for (const [i, bar] of model.bars.entries()) {
      const top = PLOT_TOP + i * ROW + (ROW - BAR_HEIGHT) / 2;
      const width = barWidth(bar.fraction, bar.value);
      if (width > 0) rect(BAR_X + 1, top, width, BAR_HEIGHT, BAR_COLOR);
      text(BAR_X + 1 + width + 6, top + 14, 13, TEXT, bar.valueText);
    }

    if (model.note) text(PAD, plotBottom + 50, 13, MUTED, model.note);
  }

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${CHART_WIDTH}" height="${height}" viewBox="0 0 ${CHART_WIDTH} ${height}">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    ...parts,
    "</svg>",
  ].join("");
}

/**
 * The chart as PNG bytes: the same model always gives the same bytes. Async only because the
 * WebAssembly module is instantiated on first use (about 70 ms once); later calls take a few tens
 * of milliseconds. The very first render in a process is slower still while V8 optimises the
 * wasm code.
 */
export async function renderBarChartPng(model: ChartModel): Promise<Buffer> {
  const fonts = await ready();
  const resvg = new Resvg(barChartSvg(model), {
    font: { fontBuffers: fonts, defaultFontFamily: FONT, sansSerifFamily: FONT },
  });
  try {
    const image = resvg.render();
    try {
      return Buffer.from(image.asPng());
    } finally {
      image.free();
    }
  } finally {
    resvg.free();
  }
}

/** Bar length in px: proportional, but a non-zero value is never drawn as nothing. */
function barWidth(fraction: number, value: number): number {
  const width = Math.round(Math.min(1, Math.max(0, fraction)) * PLOT_WIDTH);
  return value > 0 ? Math.max(1, width) : width;
}

function xml(s: string): string {
  return s
    .replace(/[\t\n\r]/g, " ")
    .replace(/[\p{Cc}\uFFFE\uFFFF]/gu, "")
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

let loading: Promise<Uint8Array[]> | undefined;

function ready(): Promise<Uint8Array[]> {
  loading ??= load().catch((err: unknown) => {
    loading = undefined; // let a later call try again
    throw err;
  });
  return loading;
}

async function load(): Promise<Uint8Array[]> {
  const require = createRequire(import.meta.url);
  const fonts = ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"].map(
    (file) => new Uint8Array(readFileSync(require.resolve(`dejavu-fonts-ttf/ttf/${file}`))),
  );
  try {
    await initWasm(readFileSync(require.resolve("@resvg/resvg-wasm/index_bg.wasm")));
  } catch (err) {
    // Someone else in this process got there first; the module is usable all the same.
    if (!String(err).includes("Already initialized")) throw err;
  }
  return fonts;
}
