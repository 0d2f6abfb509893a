#!/usr/bin/env node
// Sends one signed customer message to HeroDesk's inbound API, as a source would.
//   node scripts/send-message.mjs [--url http://127.0.0.1:3000] [--source web] --secret S
//        [--customer cust-1] [--name "Ada Lovelace"] [--conversation c-9] "text"
import { createHmac, randomUUID } from "node:crypto";
import { parseArgs } from "node:util";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    url: { type: "string", default: "http://127.0.0.1:3000" },
    source: { type: "string", default: "web" },
    secret: { type: "string" },
    customer: { type: "string", default: "cust-1" },
    name: { type: "string" },
    conversation: { type: "string" },
  },
});
if (!values.secret || positionals.length === 0) {
  console.error('usage: send-message.mjs --secret SECRET [--url URL] [--source ID] [--customer ID] "text"');
  process.exit(2);
}
const body = JSON.stringify({
  source: values.source,
  messageId: randomUUID(),
  ...(values.conversation ? { conversationId: values.conversation } : {}),
  customer: { id: values.customer, ...(values.name ? { name: values.name } : {}) },
  text: positionals.join(" "),
});
const ts = Math.floor(Date.now() / 1000);
const signature = `v1=${createHmac("sha256", values.secret).update(`v1:${ts}:${body}`).digest("hex")}`;
const res = await fetch(`${values.url}/api/v1/messages`, {
  method: "POST",
  headers: {
    "content-type": "application/json",
    "x-herodesk-timestamp": String(ts),
    "x-herodesk-signature": signature,
  },
  body,
});
console.log(res.status, await res.text());
process.exit(res.ok ? 0 : 1);
