// POST /api/v1/messages: customer messages in. Signed per source like Slack's own requests,
// idempotent per (source, messageId), and 202 only once the message is durably stored.
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import type { ApiSourceConfig } from "../config.ts";
import { ATTRIBUTE_LIMITS } from "../core/customer-attributes.ts";
import { checkSignatureHeaders, StreamingSignatures } from "../core/signature.ts";
import type { Logger } from "../logger.ts";
import type { ReceiveCustomerMessage } from "../services/receive-customer-message.ts";
import { readBody, refuseAndClose, sendJson } from "./http-util.ts";

export const MAX_BODY_BYTES = 1024 * 1024;

// Valid JSON can carry a lone UTF-16 surrogate (half an emoji, cut by a sender); the database
// refuses such strings. Text a person reads gets U+FFFD in its place, as browsers show it; an id
// must stay exact, so one with a lone surrogate is a 400, never a 500 the sender would retry.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const HAS_LONE_SURROGATE = new RegExp(LONE_SURROGATE.source);
const wellFormed = (s: string) => s.replace(LONE_SURROGATE, "\uFFFD");
const id = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((s) => !HAS_LONE_SURROGATE.test(s), "must be valid Unicode (it has half a surrogate pair)");
const shown = (max: number) => z.string().max(max).transform(wellFormed);

const attributeValue = z
  .union([z.string().max(ATTRIBUTE_LIMITS.valueLength).transform(wellFormed), z.number(), z.boolean()])
  .transform(String);
const httpUrl = z
  .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
  .max(3000)
  // https://intranet.example@evil.example/ reads as one host and opens another.
  .refine((u) => {
    // Runs even when the URL check failed (zod goes on): that one says what is wrong then.
    if (!URL.canParse(u)) return true;
    const url = new URL(u);
    return !url.username && !url.password;
  }, "must not carry a user name or password (user@host)");

export const inboundMessageSchema = z
  .object({
    source: id(64),
    messageId: id(200),
    conversationId: id(200).optional(),
    customer: z.object({
      id: id(200),
      name: z.string().trim().min(1).max(200).transform(wellFormed).optional(),
      email: z.email().max(320).optional(),
      attributes: z
        .record(id(64), attributeValue)
        .refine((a) => Object.keys(a).length <= 50, "at most 50 attributes")
        .optional(),
    }),
    text: shown(200_000).default(""),
    attachments: z
      .array(
        z.object({
          url: httpUrl,
          name: shown(255).pipe(z.string().min(1)),
          mimeType: id(255).optional(),
        }),
      )
      .max(50)
      .default([]),
    sentAt: z.iso.datetime({ offset: true }).optional(),
  })
  .refine((m) => m.text.length > 0 || m.attachments.length > 0, {
    path: ["text"],
    message: "text or at least one attachment is required",
  });

export type InboundMessage = z.infer<typeof inboundMessageSchema>;

const UTF8 = new TextDecoder("utf-8", { fatal: true });

export function createInboundApi(deps: {
  sources: ReadonlyMap<string, ApiSourceConfig>;
  receive: ReceiveCustomerMessage;
  logger: Logger;
  nowSeconds?: () => number;
}) {
  const now = deps.nowSeconds ?? (() => Math.floor(Date.now() / 1000));
  /** Tried as a body streams in when no x-herodesk-source names one (StreamingSignatures dedupes). */
  const allSecrets = [...deps.sources.values()].map((s) => s.secret);

  return async function handleInboundMessage(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Nothing of an unsigned request is read, and nothing of an unverified one parsed: the
    // headers first, the signature computed as the body streams, then the body.
    const timestamp = header(req, "x-herodesk-timestamp");
    const signature = header(req, "x-herodesk-signature");
    const headersCheck = checkSignatureHeaders(timestamp, signature, now());
    if (!headersCheck.ok) return refuseAndClose(req, res, 401, { error: headersCheck.reason });
    // An optional header names the source, so that only its secret is tried.
    const named = header(req, "x-herodesk-source");
    const namedSource = named === undefined ? undefined : deps.sources.get(named);
    if (named !== undefined && !namedSource)
      return refuseAndClose(req, res, 401, { error: `unknown source "${named}"` });
    const signatures = new StreamingSignatures(namedSource ? [namedSource.secret] : allSecrets, timestamp!);
    const raw = await readBody(req, MAX_BODY_BYTES, (chunk) => signatures.update(chunk));
    if (raw === "too_large") return refuseAndClose(req, res, 413, { error: "body over 1 MiB" });
    if (!signatures.matchesAny(signature!)) return sendJson(res, 401, { error: "signature does not match" });

    // Decoded strictly: replacing bad bytes with U+FFFD would make "M\xFCller" and "M\xF6ller"
    // one customer.
    const badBody = (error: string, message: string) =>
      sendJson(res, 400, { error, issues: [{ path: "", message }] });
    let body: string;
    try {
      body = UTF8.decode(raw);
    } catch {
      return badBody("body is not valid UTF-8", "the body must be UTF-8; some of its bytes are not");
    }
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return badBody("body is not valid JSON", "invalid JSON");
    }
    // The signature must be the one of the body's own source.
    const sourceId =
      typeof json === "object" && json !== null ? (json as { source?: unknown }).source : undefined;
    const source = typeof sourceId === "string" ? deps.sources.get(sourceId) : undefined;
    if (typeof sourceId === "string" && !source)
      return sendJson(res, 401, { error: `unknown source "${sourceId}"` });
    if (namedSource && source && source !== namedSource)
      return sendJson(res, 401, { error: `x-herodesk-source names "${named}", the body "${sourceId}"` });
    if (source && !signatures.matches(source.secret, signature!))
      return sendJson(res, 401, { error: "signature does not match" });

    const parsed = inboundMessageSchema.safeParse(json);
    if (!parsed.success) {
      return sendJson(res, 400, {
        error: "invalid message",
        issues: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
      });
    }
    const m = parsed.data;
    const result = await deps.receive({
      source: m.source,
      messageId: m.messageId,
      conversationId: m.conversationId,
      customer: m.customer,
      text: m.text,
      attachments: m.attachments,
      sentAt: m.sentAt ? new Date(m.sentAt) : undefined,
    });
    if (!result.ok) return sendJson(res, result.status, { error: result.error });
    deps.logger.debug("customer message stored", {
      source: m.source,
      messageId: m.messageId,
      duplicate: result.duplicate,
    });
    sendJson(res, 202, {
      conversationId: result.conversationId,
      conversationNumber: result.conversationNumber,
      messageId: result.messageId,
      duplicate: result.duplicate,
    });
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
