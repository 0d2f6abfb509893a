// The driver plays the human side of Slack: it sends the app the signed requests Slack would send
// when someone runs a slash command, clicks a button, submits a modal, opens App Home or writes a
// message. Payloads follow slack-samples/app-backend and slack-samples/events; interactive
// payloads embed the message or view as stored in the workspace, so the app sees the real blocks.
//
// What the app answers is applied as Slack applies it: a slash command's ack body is shown to the
// user (ephemeral, or in the channel with response_type "in_channel"); a view_submission ack may
// carry response_action errors / update / push / clear, otherwise the modal closes.
import { botLeftEvent, type ManifestShortcut, memberJoinedEvent } from "./access.ts";
import { formatIssues, validateView, withGeneratedIds } from "./blockkit.ts";
import {
  appHomeOpenedEvent,
  type EnvelopeContext,
  eventEnvelope,
  messageChangedEvent,
  messageDeletedEvent,
  messageEvent,
  newEventId,
  reactionEvent,
} from "./events.ts";
import { fileObject, messageFileObject } from "./files.ts";
import type { AppResponse } from "./http-client.ts";
import { randomHex, randomId } from "./ids.ts";
import type { AppRecord } from "./record.ts";
import { signedHeaders } from "./signing.ts";
import {
  type Announce,
  applyMessageResponse,
  type ResponseOrigin,
  type ResponseUrlRegistry,
  type TriggerRegistry,
} from "./surfaces.ts";
import { isSocketModeTarget, sendToApp } from "./transport.ts";
import type { Json, JsonObject, SlackMessage, SlackView } from "./types.ts";
import { REACTION_NAME } from "./web-api/reactions.ts";
import { clone, richTextBlocks, type Workspace } from "./workspace.ts";

export interface DriverDeps {
  ws: Workspace;
  /** Where a slash command's ephemeral answer is kept. */
  record: AppRecord;
  signingSecret: string;
  envelope: EnvelopeContext;
  getAppUrl: () => string | undefined;
  triggers: TriggerRegistry;
  responseUrls: ResponseUrlRegistry;
  announce: Announce;
  /** How long the driver waits for the app's answer before failing the call. */
  requestTimeoutMs?: number;
  /**
   * Slack's deadline for answering a slash command or an interaction (3 s): an answer later than
   * that is ignored, as Slack ignores it (the person sees "operation_timeout").
   */
  ackDeadlineMs?: number;
  /** The emulator's base URL (files' url_private). */
  baseUrl?: () => string;
  /** The app's declared shortcuts (manifest features.shortcuts). */
  shortcuts?: readonly ManifestShortcut[];
}

/** Slack's "you must respond within 3000 ms" for commands and interactive payloads. */
export const ACK_DEADLINE_MS = 3000;

export type DriverResponse = AppResponse & {
  /** Answered after Slack's deadline: Slack ignored the answer (its body was not applied). */
  late?: boolean;
};

export interface SlashCommandInput {
  userId: string;
  channelId: string;
  text?: string;
  command?: string;
}

export interface SelectedOptionInput {
  value: string;
  text?: string;
}

export interface BlockActionInput {
  userId: string;
  channelId?: string;
  messageTs?: string;
  threadTs?: string;
  actionId: string;
  blockId?: string;
  value?: string;
  selectedUser?: string;
  selectedOption?: string | SelectedOptionInput;
  /** The modal or Home view holding the element (view ID, or the view itself). */
  view?: string | { id: string };
  /** Send even when the message/view has no element with this action_id (Slack never would). */
  force?: boolean;
}

/**
 * State values keyed by block_id then action_id. A value may be the full Slack state object
 * ({ type, value | selected_option | ... }) or a shorthand string / string[] that the driver turns
 * into the right shape from the input element found in the view.
 */
export type ViewValuesInput = Record<string, Record<string, string | string[] | JsonObject>>;

export interface ViewSubmissionInput {
  userId: string;
  viewId?: string;
  view?: SlackView | { id: string };
  values?: ViewValuesInput;
}

/** What a person writes: text, optionally in a thread, optionally with files they upload. */
export interface PersonMessageInput {
  userId: string;
  channelId: string;
  text: string;
  threadTs?: string;
  /** Files shared with the message (a file_share message); the app reads them with files:read. */
  files?: { name: string; content: string | Uint8Array; title?: string }[];
}

export interface MessageShortcutInput {
  userId: string;
  channelId: string;
  /** The message the shortcut is run on. */
  messageTs: string;
  /** The shortcut's callback_id, as the manifest declares it. */
  callbackId: string;
}

export interface ReactionInput {
  userId: string;
  channelId: string;
  /** The message's ts. */
  ts: string;
  /** Emoji name, with or without colons ("eyes", ":white_check_mark:"). */
  name: string;
}

export interface RawOptions {
  /** Override x-slack-request-timestamp (unix seconds), e.g. to send a stale request. */
  timestamp?: number;
  /** Override x-slack-signature (e.g. "v0=bad"). */
  signature?: string;
  headers?: Record<string, string>;
}

export interface EventOptions {
  eventId?: string;
  retryNum?: number;
  retryReason?: string;
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

interface FoundElement {
  element: Obj;
  blockId: string;
}

/** Finds an interactive element by action_id (and block_id) in actions, section and input blocks. */
export function findElement(
  blocks: unknown[] | undefined,
  actionId: string,
  blockId?: string,
): FoundElement | undefined {
  for (const block of blocks ?? []) {
    if (!isObj(block)) continue;
    const id = typeof block.block_id === "string" ? block.block_id : "";
    if (blockId !== undefined && id !== blockId) continue;
    const candidates: unknown[] = [];
    if (Array.isArray(block.elements)) candidates.push(...block.elements);
    if (block.accessory !== undefined) candidates.push(block.accessory);
    if (block.element !== undefined) candidates.push(block.element);
    for (const el of candidates) {
      if (isObj(el) && el.action_id === actionId) return { element: el, blockId: id };
    }
  }
  return undefined;
}

function allOptions(element: Obj | undefined): Obj[] {
  if (!element) return [];
  const out: Obj[] = [];
  if (Array.isArray(element.options)) out.push(...element.options.filter(isObj));
  if (Array.isArray(element.option_groups)) {
    for (const g of element.option_groups) {
      if (isObj(g) && Array.isArray(g.options)) out.push(...g.options.filter(isObj));
    }
  }
  return out;
}

function optionFor(element: Obj | undefined, value: string, text?: string): JsonObject {
  const found = allOptions(element).find((o) => o.value === value);
  if (found) return clone(found) as JsonObject;
  return { text: { type: "plain_text", text: text ?? value, emoji: true }, value };
}

function stateValue(element: Obj | undefined, value: string | string[]): JsonObject {
  const type = typeof element?.type === "string" ? element.type : "plain_text_input";
  const list = Array.isArray(value) ? value : [value];
  const one = list[0] ?? "";
  switch (type) {
    case "static_select":
    case "external_select":
    case "radio_buttons":
      return { type, selected_option: optionFor(element, one) };
    case "multi_static_select":
    case "multi_external_select":
    case "checkboxes":
      return { type, selected_options: list.map((v) => optionFor(element, v)) };
    case "users_select":
      return { type, selected_user: one };
    case "multi_users_select":
      return { type, selected_users: list };
    case "conversations_select":
      return { type, selected_conversation: one };
    case "multi_conversations_select":
      return { type, selected_conversations: list };
    case "channels_select":
      return { type, selected_channel: one };
    case "multi_channels_select":
      return { type, selected_channels: list };
    case "datepicker":
      return { type, selected_date: one };
    case "timepicker":
      return { type, selected_time: one };
    default:
      return { type, value: one };
  }
}

export class Driver {
  constructor(private readonly deps: DriverDeps) {}

  private get ws(): Workspace {
    return this.deps.ws;
  }

  private appUrl(): string {
    const url = this.deps.getAppUrl();
    if (!url) {
      throw new Error(
        'no app URL: pass appUrl to SlackEmulator.start(), call setAppUrl(), or use delivery: "socket"',
      );
    }
    return url;
  }

  /**
   * POSTs a body to the app, signed like Slack unless options override the headers; over Socket
   * Mode sends the envelope for it instead (the ack's payload is the response body).
   */
  async raw(body: string, contentType: string, options: RawOptions = {}): Promise<DriverResponse> {
    const url = this.appUrl();
    if (isSocketModeTarget(url) && (options.timestamp !== undefined || options.signature !== undefined)) {
      throw new Error(
        "driver: Socket Mode envelopes are not signed; timestamp/signature overrides mean nothing",
      );
    }
    const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
    const signed = signedHeaders(this.deps.signingSecret, body, timestamp);
    const headers: Record<string, string> = {
      "content-type": contentType,
      ...signed,
      ...(options.signature !== undefined ? { "x-slack-signature": options.signature } : {}),
      ...options.headers,
    };
    return sendToApp(url, body, headers, { timeoutMs: this.deps.requestTimeoutMs ?? 10_000 });
  }

  private form(fields: Record<string, string>): Promise<DriverResponse> {
    return this.raw(new URLSearchParams(fields).toString(), "application/x-www-form-urlencoded");
  }

  private interactive(payload: JsonObject): Promise<DriverResponse> {
    return this.form({ payload: JSON.stringify(payload) });
  }

  private requireUser(userId: string) {
    const user = this.ws.user(userId);
    if (!user) throw new Error(`driver: unknown user ${userId}`);
    return user;
  }

  private requireChannel(channelId: string) {
    const channel = this.ws.channel(channelId);
    if (!channel) throw new Error(`driver: unknown channel ${channelId}`);
    return channel;
  }

  private channelName(channelId: string): string {
    const c = this.requireChannel(channelId);
    if (c.is_im) return "directmessage";
    if (c.is_private && !c.is_mpim) return "privategroup";
    return c.name ?? c.id;
  }

  private userRef(userId: string): JsonObject {
    const user = this.requireUser(userId);
    return { id: user.id, username: user.name, name: user.name, team_id: user.team_id };
  }

  private teamRef(): JsonObject {
    return { id: this.ws.team.id, domain: this.ws.team.domain };
  }

  /** Runs a slash command as `userId` in `channelId`. */
  async slashCommand(
    input: SlashCommandInput,
  ): Promise<DriverResponse & { triggerId: string; responseUrl: string }> {
    const user = this.requireUser(input.userId);
    this.requireChannel(input.channelId);
    this.requireHomeUser(user.id, "run the app's slash commands");
    const origin: ResponseOrigin = { kind: "command", channel: input.channelId, userId: user.id };
    const responseUrl = this.deps.responseUrls.issue(origin);
    const triggerId = this.deps.triggers.issue(user.id);
    const response = await this.form({
      token: this.deps.envelope.verificationToken,
      team_id: this.ws.team.id,
      team_domain: this.ws.team.domain,
      channel_id: input.channelId,
      channel_name: this.channelName(input.channelId),
      user_id: user.id,
      user_name: user.name,
      command: input.command ?? "/desk",
      text: input.text ?? "",
      api_app_id: this.ws.bot.appId,
      is_enterprise_install: "false",
      response_url: responseUrl,
      trigger_id: triggerId,
    });
    const late = this.isLate(response);
    if (response.status === 200 && !late) {
      if (isObj(response.body) && Object.keys(response.body).length > 0) {
        applyMessageResponse(this.deps, origin, response.body as JsonObject, "ack");
      } else if (typeof response.body === "string" && response.body.trim() !== "") {
        applyMessageResponse(this.deps, origin, { text: response.body }, "ack");
      }
    }
    return { ...response, triggerId, responseUrl, ...(late ? { late } : {}) };
  }

  /**
   * Whether the app answered after Slack's deadline (docs.slack.dev/interactivity/implementing-
   * slash-commands: "respond within 3000 ms"; interactivity/handling-user-interaction: the same
   * for interactive payloads). Slack then shows the person an error and drops the answer.
   */
  private isLate(response: AppResponse): boolean {
    return response.elapsedMs > (this.deps.ackDeadlineMs ?? ACK_DEADLINE_MS);
  }

  /** Clicks a button / picks a select option on a message or in a view. */
  async blockAction(
    input: BlockActionInput,
  ): Promise<DriverResponse & { triggerId: string; responseUrl?: string }> {
    const user = this.requireUser(input.userId);
    const triggerId = this.deps.triggers.issue(user.id);
    const actionTs = this.ws.nextTs();
    const payload: JsonObject = {
      type: "block_actions",
      user: this.userRef(user.id),
      api_app_id: this.ws.bot.appId,
      token: this.deps.envelope.verificationToken,
      trigger_id: triggerId,
      team: this.teamRef(),
      enterprise: null,
      is_enterprise_install: false,
      state: { values: {} },
    };
    let blocks: unknown[] | undefined;
    const viewId = typeof input.view === "string" ? input.view : input.view?.id;
    if (viewId) {
      const found = this.ws.findView({ viewId });
      if (!found) throw new Error(`driver: unknown view ${viewId}`);
      if (found.kind === "home" && found.userId !== user.id) {
        throw new Error(`driver: view ${viewId} is the App Home of ${found.userId}, not of ${user.id}`);
      }
      const view = found.kind === "modal" ? found.record.view : found.view;
      blocks = view.blocks;
      payload.container = { type: "view", view_id: view.id };
      payload.view = clone(view) as unknown as JsonObject;
    } else {
      if (!input.channelId || !input.messageTs) {
        throw new Error("driver.blockAction needs channelId and messageTs, or view");
      }
      const message = this.ws.message(input.channelId, input.messageTs);
      if (!message) {
        throw new Error(`driver: no message ${input.messageTs} in ${input.channelId}`);
      }
      blocks = message.blocks;
      const threadTs = input.threadTs ?? (message.thread_ts !== message.ts ? message.thread_ts : undefined);
      payload.container = {
        type: "message",
        message_ts: message.ts,
        channel_id: input.channelId,
        is_ephemeral: false,
        ...(threadTs ? { thread_ts: threadTs } : {}),
      };
      payload.channel = { id: input.channelId, name: this.channelName(input.channelId) };
      payload.message = clone(message) as unknown as JsonObject;
      payload.response_url = this.deps.responseUrls.issue({
        kind: "block_actions",
        channel: input.channelId,
        userId: user.id,
        messageTs: message.ts,
        ...(threadTs ? { threadTs } : {}),
      });
    }
    const found = findElement(blocks, input.actionId, input.blockId);
    if (!found && !input.force) {
      throw new Error(
        `driver: no element with action_id "${input.actionId}"${input.blockId ? ` in block "${input.blockId}"` : ""} (pass force: true to send anyway)`,
      );
    }
    payload.actions = [this.action(input, found, actionTs)];
    const response = await this.interactive(payload);
    const responseUrl = typeof payload.response_url === "string" ? payload.response_url : undefined;
    const late = this.isLate(response);
    return { ...response, triggerId, ...(responseUrl ? { responseUrl } : {}), ...(late ? { late } : {}) };
  }

  private action(input: BlockActionInput, found: FoundElement | undefined, actionTs: string) {
    const el = found?.element;
    const inferred = input.selectedUser
      ? "users_select"
      : input.selectedOption !== undefined
        ? "static_select"
        : "button";
    const type = typeof el?.type === "string" ? el.type : inferred;
    const action: JsonObject = {
      type,
      action_id: input.actionId,
      block_id: input.blockId ?? found?.blockId ?? randomId("", 5),
      action_ts: actionTs,
    };
    if (type === "button") {
      if (el?.text !== undefined) action.text = clone(el.text) as Json;
      const value = input.value ?? (typeof el?.value === "string" ? el.value : undefined);
      if (value !== undefined) action.value = value;
      if (typeof el?.style === "string") action.style = el.style;
    } else if (type === "users_select") {
      action.selected_user = input.selectedUser ?? "";
      if (typeof el?.initial_user === "string") action.initial_user = el.initial_user;
    } else if (input.selectedOption !== undefined) {
      const opt = input.selectedOption;
      action.selected_option =
        typeof opt === "string" ? optionFor(el, opt) : optionFor(el, opt.value, opt.text);
    } else if (input.value !== undefined) {
      action.value = input.value;
    }
    if (el?.placeholder !== undefined && type !== "button") {
      action.placeholder = clone(el.placeholder) as Json;
    }
    return action;
  }

  private resolveView(input: { viewId?: string; view?: SlackView | { id: string } }) {
    const id = input.viewId ?? input.view?.id;
    if (!id) throw new Error("driver: viewSubmission needs viewId or view");
    const found = this.ws.findView({ viewId: id });
    if (found?.kind === "modal") return { record: found.record, view: found.record.view };
    if (input.view && "type" in input.view) return { record: undefined, view: input.view };
    throw new Error(`driver: unknown view ${id}`);
  }

  /** Submits a modal with the given input values. */
  async viewSubmission(input: ViewSubmissionInput): Promise<DriverResponse> {
    const user = this.requireUser(input.userId);
    const { record, view } = this.resolveView(input);
    const values: JsonObject = {};
    for (const [blockId, actions] of Object.entries(input.values ?? {})) {
      const block: JsonObject = {};
      for (const [actionId, v] of Object.entries(actions)) {
        if (typeof v === "string" || Array.isArray(v)) {
          block[actionId] = stateValue(findElement(view.blocks, actionId, blockId)?.element, v);
        } else {
          block[actionId] = v;
        }
      }
      values[blockId] = block;
    }
    const submitted = { ...clone(view), state: { values } };
    const payload: JsonObject = {
      type: "view_submission",
      team: this.teamRef(),
      user: this.userRef(user.id),
      api_app_id: this.ws.bot.appId,
      token: this.deps.envelope.verificationToken,
      trigger_id: this.deps.triggers.issue(user.id),
      view: submitted as unknown as JsonObject,
      response_urls: [],
      is_enterprise_install: false,
      enterprise: null,
    };
    const response = await this.interactive(payload);
    const late = this.isLate(response);
    if (record && response.status === 200 && !late) this.applySubmissionAck(record, user.id, response.body);
    if (late) return { ...response, late };
    return response;
  }

  private applySubmissionAck(
    record: { view: SlackView; isOpen: boolean },
    userId: string,
    body: unknown,
  ): void {
    const action = isObj(body) ? body.response_action : undefined;
    if (action === "errors") return;
    if ((action === "update" || action === "push") && isObj(body) && isObj(body.view)) {
      const issues = validateView(body.view, { expectedType: "modal" });
      if (issues.length > 0) {
        throw new Error(
          `app answered response_action ${action} with an invalid view:\n${formatIssues(issues).join("\n")}`,
        );
      }
      const input = body.view;
      const str = (v: unknown) => (typeof v === "string" ? v : "");
      const build = (id: string, root: string | null, previous: string | null): SlackView => ({
        ...record.view,
        id,
        type: "modal",
        blocks: withGeneratedIds((input.blocks as JsonObject[] | undefined) ?? []),
        title: clone(input.title) as Json,
        close: (input.close as Json | undefined) ?? null,
        submit: (input.submit as Json | undefined) ?? null,
        private_metadata: str(input.private_metadata),
        callback_id: str(input.callback_id),
        external_id: str(input.external_id),
        state: { values: {} },
        hash: `${Math.floor(Date.now() / 1000)}.${randomHex(8)}`,
        root_view_id: root,
        previous_view_id: previous,
      });
      if (action === "update") {
        record.view = build(record.view.id, record.view.root_view_id, record.view.previous_view_id);
      } else {
        const id = randomId("V");
        this.ws.openViews.push({
          id,
          trigger: "",
          userId,
          view: build(id, record.view.root_view_id, record.view.id),
          isOpen: true,
        });
      }
      return;
    }
    if (action === "clear") {
      for (const r of this.ws.openViews) if (r.userId === userId) r.isOpen = false;
      return;
    }
    record.isOpen = false;
  }

  /** Closes a modal with the Cancel button (sends view_closed when the view asked for it). */
  async viewClosed(input: { userId: string; viewId: string }): Promise<DriverResponse | undefined> {
    const user = this.requireUser(input.userId);
    const { record, view } = this.resolveView({ viewId: input.viewId });
    if (record) record.isOpen = false;
    if (!view.notify_on_close) return undefined;
    return this.interactive({
      type: "view_closed",
      team: this.teamRef(),
      user: this.userRef(user.id),
      api_app_id: this.ws.bot.appId,
      token: this.deps.envelope.verificationToken,
      view: clone(view) as unknown as JsonObject,
      is_cleared: false,
      is_enterprise_install: false,
      enterprise: null,
    });
  }

  /**
   * A person writes a message (optionally in a thread). It is stored in the workspace and, when
   * the bot is in the conversation, delivered to the app as a `message` event through the same
   * retrying delivery path as every other event. Returns the stored message.
   */
  message(input: PersonMessageInput): SlackMessage {
    const channel = this.requireMemberOf(input.userId, input.channelId);
    const files = (input.files ?? []).map((f) => {
      const bytes = typeof f.content === "string" ? Buffer.from(f.content) : Buffer.from(f.content);
      const file = this.ws.createFile({
        name: f.name,
        length: bytes.length,
        user: input.userId,
        uploadUrl: (ticket) => `${this.deps.baseUrl?.() ?? ""}/upload/v1/${ticket}`,
      });
      this.ws.receiveUpload(file, bytes, { contentType: "application/octet-stream", multipart: false });
      file.completed = true;
      file.title = f.title ?? f.name;
      return file;
    });
    const { message } = this.ws.postMessage({
      channel: channel.id,
      from: { kind: "user", userId: input.userId },
      text: input.text,
      ...(input.threadTs ? { threadTs: input.threadTs } : {}),
      ...(files.length > 0 ? { files: [] } : {}),
    });
    if (files.length > 0) {
      // A person's file_share (slack-samples MessageFileSharePayload; @slack/types FileShareMessageEvent):
      // upload true, the files as Slack's file objects.
      message.upload = true;
      for (const file of files) {
        file.shares.push({
          channel: channel.id,
          ts: message.ts,
          ...(message.thread_ts ? { threadTs: message.thread_ts } : {}),
          at: Date.now(),
        });
      }
      message.files = files.map((f) =>
        messageFileObject(fileObject(this.ws, f, this.deps.baseUrl?.() ?? "")),
      );
    }
    this.deps.announce(channel.id, messageEvent(this.ws, channel.id, message));
    return message;
  }

  /**
   * A person picks the app's message shortcut on a message: the signed `message_action` payload
   * (docs.slack.dev/reference/interaction-payloads/shortcuts-interactions-payload; bolt-js
   * src/types/shortcuts/message-shortcut.ts): callback_id, trigger_id (3 s, once), response_url,
   * the message as stored, channel {id, name}, user, team, action_ts, message_ts. Slack shows only
   * shortcuts the app declares, so an undeclared callback_id (or a global one) throws, as does a
   * person who cannot see the message or, in a Slack Connect channel, a member of the other
   * organisation (the app is installed in this workspace only; README).
   */
  async messageShortcut(
    input: MessageShortcutInput,
  ): Promise<DriverResponse & { triggerId: string; responseUrl: string }> {
    const declared = this.deps.shortcuts?.find((s) => s.callbackId === input.callbackId);
    if (declared?.type !== "message") {
      const known = (this.deps.shortcuts ?? []).filter((s) => s.type === "message").map((s) => s.callbackId);
      throw new Error(
        `driver: the app declares no message shortcut "${input.callbackId}" (manifest features.shortcuts; declared: ${known.join(", ") || "none"})`,
      );
    }
    const channel = this.requireMemberOf(input.userId, input.channelId);
    this.requireHomeUser(input.userId, "use the app's shortcuts");
    const message = this.ws.message(channel.id, input.messageTs);
    if (!message || message.subtype === "tombstone") {
      throw new Error(`driver: no message ${input.messageTs} in ${channel.id}`);
    }
    const user = this.requireUser(input.userId);
    const triggerId = this.deps.triggers.issue(user.id);
    const responseUrl = this.deps.responseUrls.issue({
      kind: "message_action",
      channel: channel.id,
      userId: user.id,
    });
    const response = await this.interactive({
      type: "message_action",
      token: this.deps.envelope.verificationToken,
      action_ts: this.ws.nextTs(),
      team: this.teamRef(),
      user: this.userRef(user.id),
      channel: { id: channel.id, name: this.channelName(channel.id) },
      is_enterprise_install: false,
      enterprise: null,
      callback_id: input.callbackId,
      trigger_id: triggerId,
      response_url: responseUrl,
      message_ts: message.ts,
      message: clone(message) as unknown as JsonObject,
    });
    const late = this.isLate(response);
    return { ...response, triggerId, responseUrl, ...(late ? { late } : {}) };
  }

  /** Members of an external organisation use their own organisation's apps, not this workspace's. */
  private requireHomeUser(userId: string, what: string): void {
    if (this.ws.isExternal(userId)) {
      throw new Error(
        `driver: ${userId} is from another organisation and cannot ${what}: the app is installed in ${this.ws.team.id} only`,
      );
    }
  }

  /**
   * A person adds the app's bot to a channel they are in (/invite @HeroDesk): the bot becomes a
   * member and the app gets `member_joined_channel` (user: the bot, channel, channel_type C or G,
   * team, inviter; docs.slack.dev/reference/events/member_joined_channel) when subscribed with
   * channels:read / groups:read. Apps come with their organisation's installation, so in a Slack
   * Connect channel only members of this workspace can add it (README). Throws when the bot is
   * already there, the channel is archived, or the person cannot invite.
   */
  inviteBot(input: { userId: string; channelId: string }): void {
    const channel = this.requireMemberOf(input.userId, input.channelId);
    this.requireHomeUser(input.userId, "add this workspace's app");
    if (channel.is_im || channel.is_mpim)
      throw new Error(`driver: ${channel.id} is a DM; apps are not invited to DMs here`);
    if (channel.is_archived) throw new Error(`driver: ${channel.id} is archived`);
    const bot = this.ws.bot.userId;
    if (this.ws.isMember(channel.id, bot)) throw new Error(`driver: the bot is already in ${channel.id}`);
    this.ws.join(channel.id, bot);
    this.deps.announce(
      channel.id,
      memberJoinedEvent(channel, bot, this.ws.team.id, this.ws.nextTs(), input.userId),
    );
  }

  /**
   * A person removes the bot from a channel (/remove @HeroDesk): the app gets channel_left (or
   * group_left for a private channel) with actor_id, as emulator.removeFromChannel sends it.
   */
  removeBot(input: { userId: string; channelId: string }): void {
    const channel = this.requireMemberOf(input.userId, input.channelId);
    this.requireHomeUser(input.userId, "remove this workspace's app");
    const bot = this.ws.bot.userId;
    if (!this.ws.isMember(channel.id, bot)) throw new Error(`driver: the bot is not in ${channel.id}`);
    this.ws.leave(channel.id, bot);
    this.deps.announce(channel.id, botLeftEvent(channel, this.ws.nextTs(), input.userId));
  }

  /**
   * A person edits their own message (Slack lets people edit only what they wrote): the stored
   * message gets the new text and rich_text blocks and `edited: {user, ts}`, and the app gets a
   * `message` event with subtype `message_changed` (message, previous_message, hidden, channel,
   * ts, event_ts: docs.slack.dev/reference/events/message/message_changed, @slack/types
   * MessageChangedEvent). A thread reply keeps its thread_ts. Returns the updated message.
   */
  editMessage(input: { userId: string; channelId: string; ts: string; text: string }): SlackMessage {
    const channel = this.requireMemberOf(input.userId, input.channelId);
    const existing = this.requirePersonMessage(channel.id, input.ts);
    if (existing.user !== input.userId) {
      throw new Error(
        `driver: ${input.userId} cannot edit ${input.ts}: only its author ${existing.user ?? "(a bot)"} can`,
      );
    }
    const { message, previous } = this.ws.updateMessage(
      channel.id,
      input.ts,
      { text: input.text, blocks: richTextBlocks(input.text) },
      input.userId,
    );
    this.deps.announce(channel.id, messageChangedEvent(this.ws, channel.id, message, previous));
    return clone(message);
  }

  /**
   * A person deletes a message: their own, or as a workspace admin or owner anyone's in their
   * workspace's channel (slack.com/help/articles/202395258; members of an external organisation
   * delete only their own). The app gets `message_deleted` (deleted_ts, previous_message, hidden).
   */
  deleteMessage(input: { userId: string; channelId: string; ts: string }): void {
    const channel = this.requireMemberOf(input.userId, input.channelId);
    const existing = this.requirePersonMessage(channel.id, input.ts, { anyAuthor: true });
    const user = this.requireUser(input.userId);
    const admin = (user.is_admin || user.is_owner) && !this.ws.isExternal(user.id);
    if (existing.user !== input.userId && !admin) {
      throw new Error(
        `driver: ${input.userId} cannot delete ${input.ts}: not theirs and not a workspace admin`,
      );
    }
    const previous = this.ws.deleteMessage(channel.id, input.ts);
    this.deps.announce(channel.id, messageDeletedEvent(this.ws, channel.id, previous));
  }

  /**
   * A person adds an emoji reaction to a message: stored on the message, and the app gets
   * `reaction_added` (user, reaction, item_user, item {type: "message", channel, ts}, event_ts;
   * docs.slack.dev/reference/events/reaction_added) when subscribed with reactions:read and its
   * bot is in the conversation. Throws for a malformed name, an unknown message or a repeat.
   */
  react(input: ReactionInput): void {
    const { channel, ts, name } = this.reactionTarget(input);
    if (!this.ws.addReaction(channel, ts, name, input.userId)) {
      throw new Error(`driver: ${input.userId} already reacted with :${name}: to ${ts}`);
    }
    this.deps.announce(channel, reactionEvent(this.ws, "reaction_added", channel, ts, name, input.userId));
  }

  /** The person takes their reaction back: `reaction_removed`, the same fields. */
  unreact(input: ReactionInput): void {
    const { channel, ts, name } = this.reactionTarget(input);
    if (!this.ws.removeReaction(channel, ts, name, input.userId)) {
      throw new Error(`driver: ${input.userId} has no :${name}: reaction on ${ts}`);
    }
    this.deps.announce(channel, reactionEvent(this.ws, "reaction_removed", channel, ts, name, input.userId));
  }

  private reactionTarget(input: ReactionInput): { channel: string; ts: string; name: string } {
    const channel = this.requireMemberOf(input.userId, input.channelId);
    const name = input.name.replace(/^:|:$/g, "");
    if (!REACTION_NAME.test(name))
      throw new Error(`driver: "${input.name}" is not an emoji name Slack accepts`);
    this.requirePersonMessage(channel.id, input.ts, { anyAuthor: true });
    return { channel: channel.id, ts: input.ts, name };
  }

  private requirePersonMessage(
    channel: string,
    ts: string,
    options: { anyAuthor?: boolean } = {},
  ): SlackMessage {
    const message = this.ws.message(channel, ts);
    if (!message || message.subtype === "tombstone")
      throw new Error(`driver: no message ${ts} in ${channel}`);
    if (!options.anyAuthor && message.bot_id)
      throw new Error(`driver: ${ts} was posted by a bot; people cannot edit it`);
    return message;
  }

  /**
   * The conversation, once the person is known to be in it (a member; for a Slack Connect member,
   * in a channel shared with their organisation): what Slack requires before anyone can write,
   * edit, react or run a shortcut there.
   */
  private requireMemberOf(userId: string, channelId: string) {
    this.requireUser(userId);
    const channel = this.requireChannel(channelId);
    if (!this.ws.mayBeIn(channel.id, userId)) {
      throw new Error(
        `driver: ${userId} is from another organisation and ${channel.id} is not shared with it`,
      );
    }
    const member = channel.is_im ? channel.user === userId : this.ws.isMember(channel.id, userId);
    if (!member) {
      throw new Error(
        `driver: ${userId} is not a member of ${channel.id}; add them with workspace.join() or addChannel({ members })`,
      );
    }
    return channel;
  }

  /**
   * Sends one event_callback envelope directly (no queue, no automatic retries) and returns the
   * app's answer; set eventId/retryNum/retryReason to replay a delivery as a Slack retry.
   */
  async event(event: JsonObject, options: EventOptions = {}): Promise<DriverResponse & { eventId: string }> {
    const eventId = options.eventId ?? newEventId();
    const channel = typeof event.channel === "string" ? this.ws.channel(event.channel) : undefined;
    const body = JSON.stringify(
      eventEnvelope(this.deps.envelope, event, eventId, undefined, channel?.is_ext_shared ?? false),
    );
    const headers: Record<string, string> = {};
    if (options.retryNum !== undefined) {
      headers["x-slack-retry-num"] = String(options.retryNum);
      headers["x-slack-retry-reason"] = options.retryReason ?? "http_timeout";
    }
    const response = await this.raw(body, "application/json", { headers });
    return { ...response, eventId };
  }

  /**
   * The user opens the app's Home tab (or, with tab "messages", its Messages tab): the signed
   * `app_home_opened` event goes straight to the app, carrying the Home view last published for
   * the user. Read what the app publishes with workspace.homeView(userId).
   */
  appHomeOpened(
    userId: string,
    options: { tab?: "home" | "messages" } = {},
  ): Promise<DriverResponse & { eventId: string }> {
    this.requireUser(userId);
    return this.event(appHomeOpenedEvent(this.ws, userId, options.tab ?? "home"));
  }

  /**
   * Clicks a button (or picks an option) in the user's current App Home view: a block_actions
   * payload with container.type "view" and the home view, as Slack sends it. Throws when no Home
   * view was published for the user or it has no element with that action_id.
   */
  async homeAction(
    input: Omit<BlockActionInput, "view" | "channelId" | "messageTs" | "threadTs">,
  ): Promise<DriverResponse & { triggerId: string }> {
    this.requireUser(input.userId);
    const view = this.ws.homeViews.get(input.userId);
    if (!view) throw new Error(`driver: no App Home view was published for ${input.userId}`);
    return this.blockAction({ ...input, view: view.id });
  }

  /** Slack's one-time Request URL check; the app must echo the challenge. */
  urlVerification(challenge: string = randomHex(32)): Promise<DriverResponse> {
    const body = JSON.stringify({
      token: this.deps.envelope.verificationToken,
      challenge,
      type: "url_verification",
    });
    return this.raw(body, "application/json");
  }
}
