// A rejection nobody handles is one line in the log, and the process goes on (issue 15, part 1).
import { spawnSync } from "node:child_process";
import { expect, it } from "vitest";

function run(script: string) {
  return spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    encoding: "utf8",
    timeout: 20_000,
  });
}

const LATER = `Promise.reject(new Error("the answer could not be posted"));
setTimeout(() => console.log("still up"), 100);`;

it("without the guard, Node ends the process on an unhandled rejection (why it is installed)", () => {
  const res = run(LATER);
  expect(res.status).not.toBe(0);
  expect(res.stdout).not.toContain("still up");
});

it("with it, the rejection is one line on stderr and the process goes on", () => {
  const res = run(`import { logUnhandledRejections } from "./src/process-guard.ts";
logUnhandledRejections();
${LATER}`);
  expect(res.status).toBe(0);
  expect(res.stdout).toContain("still up");
  expect(res.stderr.trim().split("\n")).toEqual([
    "herodesk: error: a task failed and nothing handled it (the app goes on): the answer could not be posted",
  ]);
});
