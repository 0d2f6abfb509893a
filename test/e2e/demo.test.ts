// `npm run demo -- --once`, as a new user runs it: twice in a row, since its database outlives
// the emulator's workspace (a second run once failed on threads the new emulator never had).
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);

async function demo(): Promise<string> {
  const { stdout } = await run("npm", ["run", "--silent", "demo", "--", "--once"], {
    // Port 0: the emulator takes a free port, so a running `npm run emulator` does not matter.
    // PORT too: a HeroDesk running on 3000 (npm start) must not fail the demo.
    env: { ...process.env, EMULATOR_PORT: "0", PORT: "0", LOG_LEVEL: "warn" },
    timeout: 90_000,
  });
  return stdout;
}

/** The README's demo transcript: the ```text block after "npm run demo -- --once". */
function readmeTranscript(): string {
  const readme = readFileSync("README.md", "utf8");
  const from = readme.indexOf("```text\n", readme.indexOf("`npm run demo -- --once` plays this"));
  return readme.slice(from + "```text\n".length, readme.indexOf("\n```", from + 1));
}
/** The chart's size may change with the renderer; nothing else may. */
const normalized = (text: string) => text.trim().replace(/\(\d+ bytes of PNG\)/g, "(N bytes of PNG)");

describe("npm run demo -- --once", () => {
  it("plays set-up, routing, a reply, a hero and a summary, and does so again on a second run", async () => {
    for (let i = 0; i < 2; i++) {
      const out = await demo();
      expect(out).toContain("HeroDesk, only to them: @Grace is a HeroDesk agent");
      expect(out).toContain("DM to Grace Hopper: You have #1 from Ada Lovelace via Web chat");
      expect(out).toContain("customer receives  Grace: Hi Ada, I'm on it: a new one ships today.");
      expect(out).toContain("@Grace is now the Dedicated Hero of Ada Lovelace");
      expect(out).toContain("[card] #1 Ada Lovelace (Web chat): open, assigned to Grace");
      // The customer's text is shown as written, the note stays in the thread.
      expect(out).toContain("↳ Ada Lovelace: Order <#1234> — please don't @channel me");
      expect(out).toContain("↳ Grace Hopper: !note VIP customer, check the warehouse");
      expect(out).toMatch(/Assignment summary: 1 open, 0 in the queue/);
      expect(out).toMatch(/\[image\] Open conversations per agent .*\(\d+ bytes of PNG\)/);
      // The README's transcript is what the demo prints (issue 10, part 4).
      expect(normalized(out)).toBe(normalized(readmeTranscript()));
    }
  }, 200_000);
});
