// Summarises a V8 .cpuprofile (from HERODESK_BENCH_PROF=1 npm run bench -- ack): self time by
// function and by package or source file, and the longest stretches without idle.
// Usage: npx tsx bench/profile-summary.ts <file.cpuprofile> [top=30]
import { readFileSync } from "node:fs";
import { PROJECT_ROOT } from "./lib/paths.ts";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error("usage: tsx bench/profile-summary.ts <file.cpuprofile> [top]");
  process.exit(2);
}
const top = Number(topArg ?? 30);
const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const shortUrl = (url: string) =>
  url
    .replace(/^file:\/\//, "")
    .replace(PROJECT_ROOT, "")
    .replace(/\?.*$/, "");
/** node_modules/<package> (scoped too), src/<dir>, or node's internals. */
const area = (url: string) => {
  const u = shortUrl(url);
  if (!u) return "(native / V8)";
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(u);
  if (m) return m[1]!;
  if (u.startsWith("node:")) return "node:internals";
  return u.split("/").slice(0, 2).join("/");
};

const self = new Map<string, number>();
const byArea = new Map<string, number>();
/** Per sample, whether the program did anything (not idle / GC-less program idle). */
let total = 0;
let idle = 0;
const busyRuns: number[] = [];
let run = 0;
for (let i = 0; i < profile.samples.length; i++) {
  const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000; // ms until the next sample
  const node = byId.get(profile.samples[i]!)!;
  const f = node.callFrame;
  total += dt;
  const isIdle = f.functionName === "(idle)";
  if (isIdle) {
    idle += dt;
    if (run) busyRuns.push(run);
    run = 0;
    continue;
  }
  run += dt;
  const key = `${f.functionName || "(anonymous)"}  ${shortUrl(f.url)}:${f.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + dt);
  byArea.set(area(f.url), (byArea.get(area(f.url)) ?? 0) + dt);
}
if (run) busyRuns.push(run);

const pct = (ms: number) => `${((100 * ms) / (total - idle)).toFixed(1)} %`;
const list = (m: Map<string, number>, n: number) =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, ms]) => `  ${ms.toFixed(0).padStart(7)} ms  ${pct(ms).padStart(7)}  ${k}`)
    .join("\n");

console.log(
  `${file}: ${(total / 1000).toFixed(1)} s profiled, ${((total - idle) / 1000).toFixed(1)} s busy ` +
    `(${((100 * (total - idle)) / total).toFixed(0)} %)`,
);
console.log("\nself time by package / source area (share of busy time):");
console.log(list(byArea, 25));
console.log(`\nself time by function (top ${top}):`);
console.log(list(self, top));
busyRuns.sort((a, b) => b - a);
console.log(
  `\nlongest stretches without an idle sample (ms): ${busyRuns
    .slice(0, 15)
    .map((r) => r.toFixed(1))
    .join(", ")}`,
);
