#!/usr/bin/env node
// Sends one signed customer message to HeroDesk's inbound API, as a source would: every field of
// POST /api/v1/messages can be given (README, "Inbound API"). `--help` lists them.
import { createHmac, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

const USAGE = `usage: node scripts/send-message.mjs --secret SECRET [options] "text"

Sends one customer message to HeroDesk, signed with the source's secret, and prints the answer.

  --secret SECRET         the source's "secret" from herodesk.config.json (required)
  --url URL               where HeroDesk listens (default http://127.0.0.1:3000)
  --source ID             the source's "id" (default web)
  --customer ID           customer.id (default cust-1)
  --name NAME             customer.name
  --email EMAIL           customer.email
  --attr KEY=VALUE        a customer attribute, such as --attr language=es (repeat for more)
  --attachment URL        an attachment; its name is the URL's last part (repeat for more)
  --conversation ID       conversationId (default: the customer's open conversation goes on)
  --message-id ID         messageId, the idempotency key (default: a new random one)
  --sent-at TIME          sentAt, ISO 8601 (default: left out, HeroDesk uses now)
  --json FILE             send this JSON body instead (- reads stdin); other options are ignored
  --help                  this text

Exit code 0 when HeroDesk answered 2xx, 1 otherwise, 2 for a usage mistake.`;

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      url: { type: "string", default: "http://127.0.0.1:3000" },
      source: { type: "string", default: "web" },
      secret: { type: "string" },
      customer: { type: "string", default: "cust-1" },
      name: { type: "string" },
      email: { type: "string" },
      attr: { type: "string", multiple: true, default: [] },
      attachment: { type: "string", multiple: true, default: [] },
      conversation: { type: "string" },
      "message-id": { type: "string" },
      "sent-at": { type: "string" },
      json: { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
} catch (err) {
  console.error(`${err.message}\n\n${USAGE}`);
  process.exit(2);
}
const { values, positionals } = parsed;
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const usageError = (why) => {
  console.error(`${why}\n\n${USAGE}`);
  process.exit(2);
};
if (!values.secret) usageError("--secret is required");
if (!/^https?:\/\//.test(values.url)) usageError(`--url ${values.url}: expected http://… or https://…`);

/** A few common types, so HeroDesk can show them beside the name. */
const TYPES = {
  pdf: "application/pdf",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  txt: "text/plain",
};
function attachment(url) {
  let name;
  try {
    name = decodeURIComponent(new URL(url).pathname.split("/").pop() || "") || url;
  } catch {
    usageError(`--attachment ${url}: not a URL`);
  }
  const type = TYPES[name.split(".").pop()?.toLowerCase() ?? ""];
  return { url, name, ...(type ? { mimeType: type } : {}) };
}

let body;
if (values.json !== undefined) {
  try {
    body = readFileSync(values.json === "-" ? 0 : values.json, "utf8");
  } catch (err) {
    console.error(`--json ${values.json}: cannot read it (${err.code ?? err.message})`);
    process.exit(2);
  }
} else {
  if (positionals.length === 0 && values.attachment.length === 0) usageError("the message text is missing");
  const attributes = {};
  for (const pair of values.attr) {
    const at = pair.indexOf("=");
    if (at < 1) usageError(`--attr ${pair}: expected KEY=VALUE`);
    attributes[pair.slice(0, at)] = pair.slice(at + 1);
  }
  body = JSON.stringify({
    source: values.source,
    messageId: values["message-id"] ?? randomUUID(),
    ...(values.conversation ? { conversationId: values.conversation } : {}),
    customer: {
      id: values.customer,
      ...(values.name ? { name: values.name } : {}),
      ...(values.email ? { email: values.email } : {}),
      ...(values.attr.length ? { attributes } : {}),
    },
    text: positionals.join(" "),
    ...(values.attachment.length ? { attachments: values.attachment.map(attachment) } : {}),
    ...(values["sent-at"] ? { sentAt: values["sent-at"] } : {}),
  });
}

const ts = Math.floor(Date.now() / 1000);
const signature = `v1=${createHmac("sha256", values.secret).update(`v1:${ts}:${body}`).digest("hex")}`;
let res;
try {
  res = await fetch(`${values.url.replace(/\/$/, "")}/api/v1/messages`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-herodesk-timestamp": String(ts),
      "x-herodesk-signature": signature,
    },
    body,
  });
} catch (err) {
  console.error(
    `HeroDesk did not answer at ${values.url} (${err.cause?.code ?? err.message}): is it running?`,
  );
  process.exit(1);
}
console.log(res.status, await res.text());
process.exit(res.ok ? 0 : 1);
