// The inbound API under fuzzed bodies (issue 15): whatever a signed sender posts, the answer is a
// 202 or a 4xx with an error that says why, never a 5xx, and HeroDesk goes on taking messages.
// Fixed seed (test/setup-fast-check.ts), bounded cases.
import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import { customerMessage, type Stack, startStack } from "../helpers/stack.ts";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack.stop();
});

const anyText = fc.oneof(fc.string(), fc.string({ unit: "grapheme" }), fc.string({ unit: "binary" }));
const anyJson = fc.jsonValue({ maxDepth: 4 });

/** A customer message with any field replaced by anything, or dropped. */
const mutated = fc
  .record({
    field: fc.constantFrom(
      "messageId",
      "conversationId",
      "customer",
      "text",
      "attachments",
      "sentAt",
      "source",
    ),
    value: fc.oneof(anyJson, anyText, fc.constant(undefined)),
    customer: fc.record({
      id: anyText,
      name: fc.option(anyText, { nil: undefined }),
      email: fc.option(fc.oneof(fc.emailAddress(), anyText), { nil: undefined }),
      attributes: fc.option(
        fc.dictionary(anyText, fc.oneof(anyText, fc.integer(), fc.boolean(), anyJson), { maxKeys: 8 }),
        {
          nil: undefined,
        },
      ),
    }),
    attachments: fc.array(
      fc.record({
        url: fc.oneof(fc.webUrl(), anyText),
        name: anyText,
        mimeType: fc.option(anyText, { nil: undefined }),
      }),
      { maxLength: 4 },
    ),
  })
  .map(({ field, value, customer, attachments }) => ({
    ...customerMessage({ customer, attachments, text: "fuzz" }),
    [field]: value,
  }));

it("fuzzed message bodies: 202 or a 4xx with an error, never a 5xx", async () => {
  await fc.assert(
    fc.asyncProperty(fc.oneof(mutated, anyJson), async (body) => {
      // Keep the source (its secret signs the body) unless the case is about the source itself.
      const res = await stack.sendMessage(body);
      expect(res.status === 202 || (res.status >= 400 && res.status < 500)).toBe(true);
      if (res.status !== 202) expect(typeof res.body?.error).toBe("string");
    }),
    { numRuns: 300 },
  );
  // Still taking messages.
  const ok = await stack.sendMessage(customerMessage({ customer: { id: "after-fuzz" }, text: "still here" }));
  expect(ok.status).toBe(202);
}, 120_000);

it("fuzzed raw bytes: never a 5xx", async () => {
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), async (bytes) => {
      const res = await stack.sendMessage(null, { raw: Buffer.from(bytes).toString("latin1") });
      expect(res.status >= 400 && res.status < 500).toBe(true);
    }),
    { numRuns: 200 },
  );
}, 120_000);
