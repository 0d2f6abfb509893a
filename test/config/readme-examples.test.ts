// Every command line of the README's code blocks that can run offline runs here as written (issue
// 10, part 4), against HeroDesk started with the example config (herodesk.config.example.json),
// only the port changed; its output matches the README's `# …` line under it ("…" stands for
// anything). `npm install/start/test` are what CI itself runs.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack } from "../helpers/stack.ts";

const run = promisify(execFile);
const readme = readFileSync("README.md", "utf8");
const example = JSON.parse(readFileSync("herodesk.config.example.json", "utf8"));

/** The lines of the README's ```sh blocks, each with the `# …` line that follows it, if any. */
function commandLines(): { command: string; expected?: string }[] {
  const lines = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => m[1]!.split("\n"));
  const out: { command: string; expected?: string }[] = [];
  lines.forEach((line, i) => {
    if (!line.trim() || line.startsWith("#")) return;
    const next = lines[i + 1];
    out.push({
      command: line.replace(/\s+#.*$/, ""),
      ...(next?.startsWith("# ") && /^# \d{3} /.test(next) ? { expected: next.slice(2) } : {}),
    });
  });
  return out;
}

const asPattern = (expected: string) =>
  new RegExp(
    `^${expected
      .split("…")
      .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*")}$`,
  );

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ file: { sources: example.sources } });
});
afterAll(async () => {
  await stack?.stop();
});

describe("the README's commands", () => {
  const commands = commandLines();
  it("are the ones this test knows how to run", () => {
    for (const { command } of commands)
      expect(command).toMatch(/^(npm (install|start|test)\b|node scripts\/send-message\.mjs )/);
    expect(commands.some((c) => c.command.startsWith("node scripts/send-message.mjs"))).toBe(true);
  });

  for (const { command, expected } of commands.filter((c) => c.command.startsWith("node "))) {
    it(`runs: ${command.slice(0, 80)}…`, async () => {
      const line = command.replace("http://127.0.0.1:3000", stack.app.url);
      const { stdout } = await run("bash", ["-c", line], { encoding: "utf8" });
      if (expected) expect(stdout.trim()).toMatch(asPattern(expected));
      else expect(stdout.length).toBeGreaterThan(0);
    });
  }

  it("the message the README sends arrives with every field it names", async () => {
    await stack.drained();
    const customer = await stack.app.store.customers.ofSource("web", "cust-1");
    expect(customer).toMatchObject({
      name: "Ada Lovelace",
      email: "ada@example.com",
      attributes: { language: "es" },
    });
    const message = await stack.app.store.messages.firstOf(1);
    expect(message).toMatchObject({
      text: "My sweater never arrived",
      attachments: [
        { url: "https://example.com/receipt.pdf", name: "receipt.pdf", mimeType: "application/pdf" },
      ],
    });
  });
});

describe("scripts/send-message.mjs", () => {
  it("--help lists every field of the inbound API", async () => {
    const { stdout } = await run(process.execPath, ["scripts/send-message.mjs", "--help"], {
      encoding: "utf8",
    });
    for (const option of [
      "--secret",
      "--url",
      "--source",
      "--customer",
      "--name",
      "--email",
      "--attr",
      "--attachment",
      "--conversation",
      "--message-id",
      "--sent-at",
      "--json",
    ])
      expect(stdout).toContain(option);
  });

  it("a usage mistake says what is wrong and exits 2", async () => {
    const err = await run(process.execPath, ["scripts/send-message.mjs", "hello"], {
      encoding: "utf8",
    }).catch((e: { code: number; stderr: string }) => e);
    expect(err).toMatchObject({ code: 2 });
    expect((err as { stderr: string }).stderr).toMatch(/^--secret is required/);
  });
});
