// Read-only transcript viewer served at GET /: the channels with their messages and threads, the
// ephemeral messages each user saw, refreshed every two seconds. Meant for people trying the demo
// without a Slack workspace; it renders Block Kit only roughly (text, fields, headers, buttons).
import type { AppRecord } from "./record.ts";
import type { JsonObject, SlackMessage } from "./types.ts";
import type { Workspace } from "./workspace.ts";

function esc(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Escaped text with Slack's inline styles: *bold*, _italic_, `code`. */
function inline(text: string): string {
  return esc(text)
    .replace(/(^|\s)\*([^*\n]+)\*/g, "$1<b>$2</b>")
    .replace(/(^|\s)_([^_\n]+)_/g, "$1<i>$2</i>")
    .replace(/`([^`\n]+)`/g, "<code>$1</code>");
}

/** One <...> token of Slack's markup: mention, channel, special mention or link. */
function token(ws: Workspace, inner: string): string {
  const [target = "", label] = inner.split("|", 2);
  const span = (text: string) => `<span class="mention">${esc(text)}</span>`;
  if (/^@[UW][A-Z0-9]+$/.test(target)) return span(`@${ws.user(target.slice(1))?.name ?? target.slice(1)}`);
  if (/^#[CGD][A-Z0-9]+$/.test(target))
    return span(`#${label || ws.channel(target.slice(1))?.name || target.slice(1)}`);
  if (/^!(here|channel|everyone)$/.test(target)) return span(`@${target.slice(1)}`);
  if (/^https?:\/\//.test(target)) {
    return `<a href="${esc(target)}" rel="noreferrer">${esc(label || target)}</a>`;
  }
  return esc(`<${inner}>`);
}

/** Slack mrkdwn → safe HTML, with mentions shown by name. */
function mrkdwn(ws: Workspace, text: string): string {
  let out = "";
  let last = 0;
  for (const m of text.matchAll(/<([^<>\n]+)>/g)) {
    out += inline(text.slice(last, m.index)) + token(ws, m[1] ?? "");
    last = m.index + m[0].length;
  }
  return (out + inline(text.slice(last))).replace(/\n/g, "<br>");
}

function textOf(obj: unknown): string {
  if (typeof obj === "object" && obj !== null && typeof (obj as JsonObject).text === "string") {
    return (obj as JsonObject).text as string;
  }
  return "";
}

function renderElement(ws: Workspace, el: unknown): string {
  if (typeof el !== "object" || el === null) return "";
  const e = el as JsonObject;
  switch (e.type) {
    case "button":
      return `<button class="${esc(String(e.style ?? ""))}" disabled title="action_id: ${esc(String(e.action_id ?? ""))}">${esc(textOf(e.text))}</button>`;
    case "users_select":
    case "static_select":
    case "conversations_select":
    case "channels_select":
    case "external_select":
      return `<select disabled><option>${esc(textOf(e.placeholder) || String(e.type))}</option></select>`;
    case "overflow":
      return "<button disabled>⋯</button>";
    case "image":
      return `<span class="muted">[image: ${esc(String(e.alt_text ?? ""))}]</span>`;
    case "plain_text":
    case "mrkdwn":
      return `<span>${mrkdwn(ws, textOf(e))}</span>`;
    default:
      return `<span class="muted">[${esc(String(e.type))}]</span>`;
  }
}

function renderBlocks(ws: Workspace, blocks: JsonObject[]): string {
  return blocks
    .map((b) => {
      switch (b.type) {
        case "header":
          return `<div class="header">${esc(textOf(b.text))}</div>`;
        case "section": {
          const fields = Array.isArray(b.fields)
            ? `<div class="fields">${b.fields.map((f) => `<div>${mrkdwn(ws, textOf(f))}</div>`).join("")}</div>`
            : "";
          const accessory = b.accessory
            ? `<div class="accessory">${renderElement(ws, b.accessory)}</div>`
            : "";
          return `<div class="section"><div>${mrkdwn(ws, textOf(b.text))}${fields}</div>${accessory}</div>`;
        }
        case "context":
          return `<div class="context">${(Array.isArray(b.elements) ? b.elements : []).map((e) => renderElement(ws, e)).join(" ")}</div>`;
        case "actions":
          return `<div class="actions">${(Array.isArray(b.elements) ? b.elements : []).map((e) => renderElement(ws, e)).join(" ")}</div>`;
        case "divider":
          return "<hr>";
        case "rich_text":
          return "";
        default:
          return `<div class="muted">[${esc(String(b.type))} block]</div>`;
      }
    })
    .join("");
}

/** Files of a file_share message: images inline (bytes served by the emulator), others as links. */
function renderFiles(files: JsonObject[] | undefined): string {
  return (files ?? [])
    .map((f) => {
      const id = String(f.id ?? "");
      const src = `/_emulator/files/${encodeURIComponent(id)}`;
      const title = String(f.title ?? f.name ?? id);
      if (String(f.mimetype ?? "").startsWith("image/")) {
        const alt = typeof f.alt_txt === "string" ? f.alt_txt : title;
        return `<figure class="file"><a href="${src}"><img src="${src}" alt="${esc(alt)}"></a><figcaption class="muted">${esc(title)}</figcaption></figure>`;
      }
      return `<div class="file"><a href="${src}">📎 ${esc(title)}</a> <span class="muted">${esc(String(f.pretty_type ?? ""))} · ${esc(String(f.size ?? 0))} bytes</span></div>`;
    })
    .join("");
}

function renderMessage(ws: Workspace, m: SlackMessage): string {
  const who = m.bot_id ? (m.bot_profile?.name ?? "app") : (ws.user(m.user ?? "")?.real_name ?? m.user ?? "?");
  const when = new Date(Number(m.ts) * 1000).toLocaleTimeString("en-GB");
  const blocks = m.blocks?.filter((b) => b.type !== "rich_text") ?? [];
  const textOnly = !m.text && m.files?.length ? "" : `<div>${mrkdwn(ws, m.text)}</div>`;
  const text = blocks.length > 0 ? renderBlocks(ws, blocks) : textOnly;
  const body = text + renderFiles(m.files);
  const edited = m.edited ? ' <span class="muted">(edited)</span>' : "";
  const badge = m.bot_id ? ' <span class="badge">APP</span>' : "";
  return `<div class="msg" id="m${esc(m.ts.replace(".", ""))}"><div class="meta"><b>${esc(who)}</b>${badge} <span class="muted">${when} · ${esc(m.ts)}</span>${edited}</div>${body}</div>`;
}

export function renderViewer(ws: Workspace, record: AppRecord, selected?: string): string {
  const channels = ws.channels;
  const current =
    (selected ? ws.channel(selected) : undefined) ??
    channels.find((c) => !c.is_im && ws.messages(c.id).length > 0) ??
    channels[0];
  const label = (id: string) => {
    const c = ws.channel(id);
    if (!c) return id;
    if (c.is_im) return `@${ws.user(c.user ?? "")?.name ?? c.user} (DM)`;
    return `${c.is_private ? "🔒" : "#"}${c.name ?? c.id}`;
  };
  const nav = channels
    .map((c) => {
      const count = ws.messages(c.id).length;
      const cls = c.id === current?.id ? ' class="active"' : "";
      return `<li${cls}><a href="/?channel=${encodeURIComponent(c.id)}">${esc(label(c.id))}</a> <span class="muted">${count}</span></li>`;
    })
    .join("");
  let main = '<p class="muted">No channels yet.</p>';
  if (current) {
    const msgs = ws
      .messages(current.id)
      .map((m) => {
        const replies = m.thread_ts === m.ts ? ws.replies(current.id, m.ts) : [];
        const thread =
          replies.length > 0
            ? `<div class="thread"><div class="muted">${replies.length} repl${replies.length === 1 ? "y" : "ies"}</div>${replies.map((r) => renderMessage(ws, r)).join("")}</div>`
            : "";
        return `${renderMessage(ws, m)}${thread}`;
      })
      .join("");
    const ephemerals = record.ephemerals
      .filter((e) => e.channel === current.id)
      .map(
        (e) =>
          `<div class="msg ephemeral"><div class="meta"><span class="muted">Only visible to ${esc(ws.user(e.user)?.name ?? e.user)} · ${esc(e.source)}</span></div>${e.blocks?.length ? renderBlocks(ws, e.blocks) : `<div>${mrkdwn(ws, e.text)}</div>`}</div>`,
      )
      .join("");
    main = `<h2>${esc(label(current.id))} <span class="muted">${esc(current.id)}</span></h2>${msgs || '<p class="muted">No messages.</p>'}${ephemerals ? `<h3>Ephemeral</h3>${ephemerals}` : ""}`;
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="2">
<title>Slack emulator · ${esc(ws.team.name)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:0;display:flex;color:#1d1c1d}
nav{width:240px;background:#3f0e40;color:#fff;min-height:100vh;padding:12px}
nav a{color:#fff;text-decoration:none} nav ul{list-style:none;padding:0} nav li{padding:3px 6px;border-radius:4px}
nav li.active{background:#1164a3} main{flex:1;padding:16px 24px;max-width:900px}
.msg{padding:6px 8px;border-radius:6px;margin:4px 0} .msg:hover{background:#f8f8f8}
.meta{margin-bottom:2px} .muted{color:#616061;font-size:12px} .badge{background:#ddd;border-radius:3px;font-size:10px;padding:0 3px}
.thread{margin-left:28px;border-left:3px solid #e8e8e8;padding-left:10px}
.header{font-weight:700;font-size:16px} .section{display:flex;justify-content:space-between;gap:8px}
.fields{display:grid;grid-template-columns:1fr 1fr;gap:2px 16px;margin-top:4px} .context{color:#616061;font-size:12px}
.actions{margin-top:4px} button{margin-right:4px} button.primary{background:#007a5a;color:#fff} button.danger{background:#e01e5a;color:#fff}
.ephemeral{background:#f4f9ff} .mention{background:#e8f5fa;color:#1264a3;border-radius:3px;padding:0 2px}
code{background:#f6f6f6;border:1px solid #ddd;border-radius:3px;padding:0 3px}
.file{margin:4px 0} figure.file img{max-width:480px;max-height:360px;border:1px solid #ddd;border-radius:6px}
</style></head>
<body><nav><b>${esc(ws.team.name)}</b><div class="muted" style="color:#cfc3cf">${esc(ws.team.domain)}.slack.com (emulated)</div><ul>${nav}</ul>
<a href="/_emulator/state" class="muted" style="color:#cfc3cf">state JSON</a></nav><main>${main}</main></body></html>`;
}
