// The emulator's in-memory Slack workspace: what exists in it. Users, conversations, messages and
// threads, App Home views, open modals and uploaded files. What the app did that Slack does not
// keep (calls, ephemeral messages, response_url posts) is in record.ts.
//
// It is the single source of truth the Web API handlers, the driver and the transcript viewer read
// and write. Tests inspect it ("what did Slack see?") and seed it (users, channels, history).
// Nothing here does I/O or delivers events: callers decide whether a change is announced to the
// app, so seeding history directly never produces Events API traffic.
import { withGeneratedIds } from "./blockkit.ts";
import { fileType, newUploadTicket } from "./files.ts";
import { md5, randomHex, randomId, TsClock, tsValue, uuid } from "./ids.ts";
import type {
  BotProfile,
  FileRecord,
  FileUploadInfo,
  JsonObject,
  OpenViewRecord,
  SlackChannel,
  SlackMessage,
  SlackUser,
  SlackView,
  StoredFile,
} from "./types.ts";

export interface WorkspaceConfig {
  teamId: string;
  teamName: string;
  teamDomain: string;
  botUserId: string;
  botId: string;
  appId: string;
  botName: string;
}

export interface AddUserOptions {
  id?: string;
  name: string;
  realName?: string;
  displayName?: string;
  email?: string;
  title?: string;
  isBot?: boolean;
  isAdmin?: boolean;
  isOwner?: boolean;
  deleted?: boolean;
  tz?: string;
  /**
   * The user's team: the workspace's own (default) or an external organisation's from
   * addExternalOrg (a Slack Connect member; they can only be in channels shared with that team).
   */
  teamId?: string;
}

/** An organisation outside the workspace that Slack Connect channels are shared with. */
export interface ExternalOrg {
  teamId: string;
  name: string;
  domain: string;
}

export interface AddChannelOptions {
  id?: string;
  name: string;
  isPrivate?: boolean;
  members?: string[];
  /** Whether the app's bot user is in the channel. Default true. */
  botIsMember?: boolean;
  isArchived?: boolean;
  topic?: string;
  purpose?: string;
  creator?: string;
  /** Who may post there (Slack's channel posting permissions); default anyone. */
  posting?: PostingRestriction;
  /** A Slack Connect channel hosted by this workspace, shared with `connectedTeams`. */
  isExtShared?: boolean;
  /** The external organisations (addExternalOrg team IDs) an isExtShared channel is shared with. */
  connectedTeams?: string[];
}

/**
 * A channel's posting permissions as chat.postMessage meets them: `admins_only` (a workspace
 * preference lets only admins post: restricted_action), `read_only` (nobody posts:
 * restricted_action_read_only_channel), `thread_only` (replies only:
 * restricted_action_thread_only_channel), `non_threadable` (no replies:
 * restricted_action_non_threadable_channel).
 */
export type PostingRestriction = "admins_only" | "read_only" | "thread_only" | "non_threadable";

export type Author = { kind: "bot" } | { kind: "user"; userId: string };

export interface PostInput {
  channel: string;
  from: Author;
  text: string;
  blocks?: JsonObject[];
  attachments?: JsonObject[];
  metadata?: { event_type: string; event_payload: JsonObject };
  threadTs?: string;
  replyBroadcast?: boolean;
  /** chat:write.customize: post under another name / icon. */
  username?: string;
  iconEmoji?: string;
  iconUrl?: string;
  /** A file_share message carrying these file objects (files.completeUploadExternal). */
  files?: JsonObject[];
}

export interface NewFileInput {
  name: string;
  length: number;
  altTxt?: string;
  snippetType?: string;
  /** Builds upload_url from the ticket (the emulator's own HTTP server). */
  uploadUrl: (ticket: string) => string;
  /** Who uploads it; default the app's bot user. */
  user?: string;
}

export interface PostResult {
  message: SlackMessage;
  /** The thread's root, when the message is a reply to a known message. */
  parent?: SlackMessage;
}

export interface UpdateInput {
  text?: string;
  blocks?: JsonObject[];
  attachments?: JsonObject[];
  metadata?: { event_type: string; event_payload: JsonObject };
}

interface ChannelState {
  info: SlackChannel;
  members: Set<string>;
  /** Top-level messages in posting order (thread_broadcast replies included, as in history). */
  timeline: SlackMessage[];
  /** Replies per thread root ts, in posting order. */
  threads: Map<string, SlackMessage[]>;
  /** Every message of the channel by ts (top-level and replies). */
  index: Map<string, SlackMessage>;
  posting?: PostingRestriction;
  /** Thread roots admins locked (no more replies). */
  lockedThreads: Set<string>;
}

export const SLACKBOT_ID = "USLACKBOT";
const DEFAULT_TZ = "America/Los_Angeles";
const COLORS = ["9f69e7", "4bbe2e", "e7392d", "3c989f", "674b1b", "e96699", "5b89d5", "e0a729"];

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

function tzInfo(tz: string): { label: string; offset: number } {
  try {
    const date = new Date();
    const long = new Intl.DateTimeFormat("en-US", { timeZone: tz, timeZoneName: "long" })
      .formatToParts(date)
      .find((p) => p.type === "timeZoneName")?.value;
    const off = new Intl.DateTimeFormat("en-US", { timeZone: tz, timeZoneName: "longOffset" })
      .formatToParts(date)
      .find((p) => p.type === "timeZoneName")?.value;
    const m = off ? /GMT([+-])(\d{2}):(\d{2})/.exec(off) : null;
    const offset = m ? (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3]) * 60) : 0;
    return { label: long ?? tz, offset };
  } catch {
    return { label: tz, offset: 0 };
  }
}

function avatar(seed: string, size: number): string {
  return `https://secure.gravatar.com/avatar/${md5(seed)}.jpg?s=${size}&d=identicon`;
}

/** Deep copy through JSON: what leaves the workspace over HTTP must not alias stored objects. */
export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export class Workspace {
  readonly team: { id: string; name: string; domain: string };
  readonly bot: { userId: string; botId: string; appId: string; name: string };
  readonly users = new Map<string, SlackUser>();
  /** Organisations outside the workspace, by team ID (Slack Connect). */
  readonly externalOrgs = new Map<string, ExternalOrg>();
  /** Latest App Home view published per user. */
  readonly homeViews = new Map<string, SlackView>();
  /** Modals opened with views.open / views.push, kept current by views.update. */
  readonly openViews: OpenViewRecord[] = [];
  /** Files of the external upload flow by ID, in creation order. */
  private readonly storedFiles = new Map<string, StoredFile>();
  private readonly filesByTicket = new Map<string, StoredFile>();

  private readonly state = new Map<string, ChannelState>();
  private readonly clock = new TsClock();
  private readonly botProfile: BotProfile;

  constructor(config: WorkspaceConfig) {
    this.team = { id: config.teamId, name: config.teamName, domain: config.teamDomain };
    this.bot = {
      userId: config.botUserId,
      botId: config.botId,
      appId: config.appId,
      name: config.botName,
    };
    this.botProfile = {
      id: config.botId,
      deleted: false,
      name: config.botName,
      updated: nowSeconds(),
      app_id: config.appId,
      icons: {
        image_36: avatar(config.botId, 36),
        image_48: avatar(config.botId, 48),
        image_72: avatar(config.botId, 72),
      },
      team_id: config.teamId,
    };
    const botUser = this.addUser({
      id: config.botUserId,
      name: config.botName.toLowerCase().replace(/[^a-z0-9._-]+/g, ""),
      realName: config.botName,
      isBot: true,
    });
    botUser.profile.bot_id = config.botId;
    botUser.profile.api_app_id = config.appId;
    botUser.profile.always_active = true;
    // Real workspaces always list Slackbot, which is famously not flagged is_bot.
    this.addUser({ id: SLACKBOT_ID, name: "slackbot", realName: "Slackbot" });
  }

  /** Next message timestamp: unique and increasing across the whole emulator. */
  nextTs(): string {
    return this.clock.next();
  }

  // ---------------------------------------------------------------------------------------------
  // Users

  /** An external organisation (its own team ID, name and domain) for Slack Connect channels. */
  addExternalOrg(options: { teamId: string; name: string; domain?: string }): ExternalOrg {
    if (options.teamId === this.team.id) throw new Error(`team ${options.teamId} is the workspace itself`);
    if (this.externalOrgs.has(options.teamId)) throw new Error(`team ${options.teamId} already exists`);
    const org: ExternalOrg = {
      teamId: options.teamId,
      name: options.name,
      domain: options.domain ?? options.name.toLowerCase().replace(/[^a-z0-9-]+/g, "-"),
    };
    this.externalOrgs.set(org.teamId, org);
    return org;
  }

  /** Whether the user belongs to an external organisation (not the workspace's own team). */
  isExternal(userId: string): boolean {
    const user = this.users.get(userId);
    return user !== undefined && user.team_id !== this.team.id;
  }

  addUser(options: AddUserOptions): SlackUser {
    const id = options.id ?? randomId("U");
    if (this.users.has(id)) throw new Error(`user ${id} already exists`);
    const teamId = options.teamId ?? this.team.id;
    if (teamId !== this.team.id && !this.externalOrgs.has(teamId)) {
      throw new Error(`unknown team ${teamId}: add it with workspace.addExternalOrg() first`);
    }
    const realName = options.realName ?? options.name;
    const [first = "", ...rest] = realName.split(" ");
    const tz = options.tz ?? DEFAULT_TZ;
    const { label, offset } = tzInfo(tz);
    const seed = options.email ?? id;
    const user: SlackUser = {
      id,
      team_id: teamId,
      name: options.name,
      deleted: options.deleted ?? false,
      color: COLORS[this.users.size % COLORS.length] ?? "9f69e7",
      real_name: realName,
      tz,
      tz_label: label,
      tz_offset: offset,
      profile: {
        title: options.title ?? "",
        phone: "",
        skype: "",
        real_name: realName,
        real_name_normalized: realName.normalize("NFKD").replace(/[\u0300-\u036f]/g, ""),
        display_name: options.displayName ?? "",
        display_name_normalized: options.displayName ?? "",
        fields: null,
        status_text: "",
        status_emoji: "",
        status_emoji_display_info: [],
        status_expiration: 0,
        avatar_hash: md5(seed).slice(0, 12),
        ...(options.email !== undefined ? { email: options.email } : {}),
        first_name: first,
        last_name: rest.join(" "),
        image_24: avatar(seed, 24),
        image_32: avatar(seed, 32),
        image_48: avatar(seed, 48),
        image_72: avatar(seed, 72),
        image_192: avatar(seed, 192),
        image_512: avatar(seed, 512),
        status_text_canonical: "",
        team: teamId,
      },
      is_admin: options.isAdmin ?? options.isOwner ?? false,
      is_owner: options.isOwner ?? false,
      is_primary_owner: false,
      is_restricted: false,
      is_ultra_restricted: false,
      is_bot: options.isBot ?? false,
      is_app_user: false,
      updated: nowSeconds(),
      is_email_confirmed: options.email !== undefined,
      who_can_share_contact_card: "EVERYONE",
    };
    this.users.set(id, user);
    return user;
  }

  user(id: string): SlackUser | undefined {
    return this.users.get(id);
  }

  userByEmail(email: string): SlackUser | undefined {
    const wanted = email.trim().toLowerCase();
    for (const u of this.users.values()) {
      if (u.profile.email?.toLowerCase() === wanted) return u;
    }
    return undefined;
  }

  deactivateUser(id: string): void {
    const user = this.requireUser(id);
    user.deleted = true;
    user.updated = nowSeconds();
  }

  private requireUser(id: string): SlackUser {
    const user = this.users.get(id);
    if (!user) throw new Error(`unknown user ${id}`);
    return user;
  }

  // ---------------------------------------------------------------------------------------------
  // Conversations

  addChannel(options: AddChannelOptions): SlackChannel {
    const isPrivate = options.isPrivate ?? options.id?.startsWith("G") ?? false;
    const id = options.id ?? randomId("C");
    if (this.state.has(id)) throw new Error(`channel ${id} already exists`);
    const name = options.name.replace(/^#/, "");
    if (this.findByName(name)) throw new Error(`a channel named #${name} already exists`);
    const created = nowSeconds();
    const creator = options.creator ?? options.members?.[0] ?? this.bot.userId;
    const botIsMember = options.botIsMember ?? true;
    const connected = options.connectedTeams ?? [];
    if (options.isExtShared && connected.length === 0) {
      throw new Error(`channel ${id}: isExtShared needs connectedTeams (external team IDs)`);
    }
    if (!options.isExtShared && connected.length > 0) {
      throw new Error(`channel ${id}: connectedTeams needs isExtShared: true`);
    }
    for (const t of connected) {
      if (!this.externalOrgs.has(t))
        throw new Error(`unknown team ${t}: add it with workspace.addExternalOrg() first`);
    }
    const info: SlackChannel = {
      id,
      name,
      name_normalized: name,
      is_channel: !isPrivate,
      is_group: isPrivate,
      is_im: false,
      is_mpim: false,
      is_private: isPrivate,
      created,
      is_archived: options.isArchived ?? false,
      ...(options.isExtShared ? this.extShared(connected) : this.notShared()),
      creator,
      is_member: botIsMember,
      topic: { value: options.topic ?? "", creator: options.topic ? creator : "", last_set: 0 },
      purpose: {
        value: options.purpose ?? "",
        creator: options.purpose ? creator : "",
        last_set: 0,
      },
      previous_names: [],
    };
    const members = new Set<string>();
    // Members may be added before their user records (tests often seed channels first).
    for (const m of options.members ?? []) {
      const team = this.users.get(m)?.team_id ?? this.team.id;
      if (team !== this.team.id && !connected.includes(team)) {
        throw new Error(`${m} is from another organisation; ${id} is not shared with ${team}`);
      }
      members.add(m);
    }
    if (botIsMember) members.add(this.bot.userId);
    const state = this.newState(info, members);
    if (options.posting) state.posting = options.posting;
    this.state.set(id, state);
    return info;
  }

  private newState(info: SlackChannel, members: Set<string>): ChannelState {
    return { info, members, timeline: [], threads: new Map(), index: new Map(), lockedThreads: new Set() };
  }

  private findByName(name: string): ChannelState | undefined {
    for (const s of this.state.values()) if (s.info.name === name) return s;
    return undefined;
  }

  /** Channel by ID, or by name ("support" or "#support") for public and private channels. */
  channel(idOrName: string): SlackChannel | undefined {
    return this.resolve(idOrName)?.info;
  }

  /** Every conversation (channels, private channels, IMs, MPIMs), in creation order. */
  get channels(): SlackChannel[] {
    return [...this.state.values()].map((s) => s.info);
  }

  private resolve(idOrName: string): ChannelState | undefined {
    const byId = this.state.get(idOrName);
    if (byId) return byId;
    const name = idOrName.replace(/^#/, "");
    if (!name) return undefined;
    return this.findByName(name);
  }

  private requireChannel(idOrName: string): ChannelState {
    const s = this.resolve(idOrName);
    if (!s) throw new Error(`unknown channel ${idOrName}`);
    return s;
  }

  members(channel: string): string[] {
    return [...this.requireChannel(channel).members];
  }

  isMember(channel: string, userId: string): boolean {
    return this.resolve(channel)?.members.has(userId) ?? false;
  }

  join(channel: string, userId: string): void {
    const s = this.requireChannel(channel);
    this.requireUser(userId);
    if (!this.mayBeIn(s.info.id, userId)) {
      throw new Error(`${userId} is from another organisation; ${s.info.id} is not shared with it`);
    }
    s.members.add(userId);
    if (userId === this.bot.userId) s.info.is_member = true;
  }

  leave(channel: string, userId: string): void {
    const s = this.requireChannel(channel);
    s.members.delete(userId);
    if (userId === this.bot.userId) s.info.is_member = false;
  }

  archiveChannel(channel: string): void {
    const s = this.requireChannel(channel);
    s.info.is_archived = true;
    s.info.updated = Date.now();
  }

  /** Sets (or, with undefined, lifts) a channel's posting restriction. */
  restrictPosting(channel: string, restriction: PostingRestriction | undefined): void {
    const s = this.requireChannel(channel);
    if (restriction) s.posting = restriction;
    else delete s.posting;
  }

  postingRestriction(channel: string): PostingRestriction | undefined {
    return this.resolve(channel)?.posting;
  }

  /** Locks a thread as an admin would: nobody can reply any more. */
  lockThread(channel: string, threadTs: string): void {
    this.requireChannel(channel).lockedThreads.add(threadTs);
  }

  isThreadLocked(channel: string, threadTs: string): boolean {
    const s = this.resolve(channel);
    if (!s) return false;
    const root = s.index.get(threadTs)?.thread_ts ?? threadTs;
    return s.lockedThreads.has(root);
  }

  /** Slack's channel_type for events: channel, group (private), im or mpim. */
  /** The fields every conversation of this workspace has alike: one team's, shared with nobody. */
  /**
   * A Slack Connect channel this workspace hosts: is_shared and is_ext_shared, every connected
   * team in shared_team_ids, the host in conversation_host_id (docs.slack.dev/apis/slack-connect,
   * conversations.info sample fields).
   */
  private extShared(connectedTeams: string[]) {
    return {
      ...this.notShared(),
      is_shared: true,
      is_ext_shared: true,
      shared_team_ids: [this.team.id, ...connectedTeams],
      pending_connected_team_ids: [],
      conversation_host_id: this.team.id,
    };
  }

  /** The external teams a channel is shared with (empty for an internal channel). */
  connectedTeams(channel: string): string[] {
    const info = this.resolve(channel)?.info;
    if (!info?.is_ext_shared) return [];
    return info.shared_team_ids.filter((t) => t !== this.team.id);
  }

  /** Whether a user could be in the channel: home users anywhere, external ones in channels shared with their team. */
  mayBeIn(channel: string, userId: string): boolean {
    const user = this.users.get(userId);
    if (!user || user.team_id === this.team.id) return true;
    return this.connectedTeams(channel).includes(user.team_id);
  }

  private notShared() {
    return {
      is_general: false,
      unlinked: 0,
      is_shared: false,
      is_org_shared: false,
      is_ext_shared: false,
      is_pending_ext_shared: false,
      pending_shared: [],
      context_team_id: this.team.id,
      updated: Date.now(),
      shared_team_ids: [this.team.id],
    };
  }

  /** What an IM and a multi-person DM with the bot have alike. */
  private direct(id: string, kind: "im" | "mpim") {
    return {
      id,
      is_channel: false,
      is_group: false,
      is_im: kind === "im",
      is_mpim: kind === "mpim",
      is_private: true,
      created: nowSeconds(),
      is_archived: false,
      ...this.notShared(),
      creator: this.bot.userId,
      is_member: true,
      is_open: true,
    };
  }

  channelType(channel: string): "channel" | "group" | "im" | "mpim" {
    const info = this.requireChannel(channel).info;
    if (info.is_im) return "im";
    if (info.is_mpim) return "mpim";
    return info.is_private ? "group" : "channel";
  }

  /** The IM between the app's bot and the user, opened on first use (as conversations.open does). */
  dmChannelFor(userId: string): string {
    return this.openDm(userId).id;
  }

  /** Returns the IM with this user, creating it if needed; `created` says whether it is new. */
  openDm(userId: string): { id: string; created: boolean } {
    this.requireUser(userId);
    for (const s of this.state.values()) {
      if (s.info.is_im && s.info.user === userId) return { id: s.info.id, created: false };
    }
    const id = randomId("D");
    const info: SlackChannel = {
      ...this.direct(id, "im"),
      user: userId,
      is_user_deleted: this.users.get(userId)?.deleted ?? false,
      priority: 0,
    };
    this.state.set(id, this.newState(info, new Set([userId, this.bot.userId])));
    return { id, created: true };
  }

  /** A multi-person DM with the bot and these users (conversations.open with several users). */
  openMpim(userIds: string[]): { id: string; created: boolean } {
    for (const u of userIds) this.requireUser(u);
    const wanted = new Set([...userIds, this.bot.userId]);
    for (const s of this.state.values()) {
      if (!s.info.is_mpim || s.members.size !== wanted.size) continue;
      if ([...wanted].every((u) => s.members.has(u))) return { id: s.info.id, created: false };
    }
    const id = randomId("G");
    const names = [...wanted].map((u) => this.users.get(u)?.name ?? u);
    const name = `mpdm-${names.join("--")}-1`;
    const info: SlackChannel = {
      ...this.direct(id, "mpim"),
      name,
      name_normalized: name,
      topic: { value: "", creator: "", last_set: 0 },
      purpose: { value: "", creator: "", last_set: 0 },
    };
    this.state.set(id, this.newState(info, wanted));
    return { id, created: true };
  }

  // ---------------------------------------------------------------------------------------------
  // Messages

  /** Top-level messages of a channel, oldest first (thread_broadcast replies included). */
  messages(channel: string): SlackMessage[] {
    return [...(this.resolve(channel)?.timeline ?? [])];
  }

  /** A thread's replies, oldest first, without the parent. */
  replies(channel: string, threadTs: string): SlackMessage[] {
    return [...(this.resolve(channel)?.threads.get(threadTs) ?? [])];
  }

  /** Any message of the channel (top-level or reply) by ts. */
  message(channel: string, ts: string): SlackMessage | undefined {
    return this.resolve(channel)?.index.get(ts);
  }

  /** Messages the bot sent in its IM with this user (top-level and in threads), oldest first. */
  dms(userId: string): SlackMessage[] {
    for (const s of this.state.values()) {
      if (s.info.is_im && s.info.user === userId) {
        return [...s.index.values()]
          .filter((m) => m.bot_id === this.bot.botId)
          .sort((a, b) => tsValue(a.ts) - tsValue(b.ts));
      }
    }
    return [];
  }

  /** Every message of a channel by ts (for the API's thread and history look-ups). */
  allMessages(channel: string): SlackMessage[] {
    return [...(this.resolve(channel)?.index.values() ?? [])];
  }

  /**
   * Stores a message. A thread_ts naming an unknown message still succeeds, as on Slack (which
   * accepts it and files the reply under a thread nobody can open): the reply is kept under that
   * thread_ts, visible through replies(channel, ts), with no parent to update.
   */
  postMessage(input: PostInput): PostResult {
    const s = this.requireChannel(input.channel);
    const ts = this.nextTs();
    const message: SlackMessage = {
      type: "message",
      ts,
      text: input.text,
    };
    if (input.from.kind === "bot") {
      message.user = this.bot.userId;
      message.bot_id = this.bot.botId;
      message.app_id = this.bot.appId;
      message.team = this.team.id;
      message.bot_profile = clone(this.botProfile);
      if (input.blocks) message.blocks = withGeneratedIds(input.blocks);
      if (input.username) message.username = input.username;
      if (input.iconEmoji) message.icons = { emoji: input.iconEmoji };
      else if (input.iconUrl) message.icons = { image_64: input.iconUrl };
    } else {
      const author = this.requireUser(input.from.userId);
      message.client_msg_id = uuid();
      message.user = input.from.userId;
      message.team = author.team_id;
      message.blocks = input.blocks ?? richTextBlocks(input.text);
    }
    // Messages in shared channels say whose team wrote them and where from (docs.slack.dev/apis/slack-connect;
    // slack-samples MessageChangedPayload message.user_team / source_team).
    if (s.info.is_shared) {
      const team = message.team ?? this.team.id;
      message.user_team = team;
      message.source_team = team;
    }
    if (input.attachments) message.attachments = input.attachments;
    if (input.metadata) message.metadata = input.metadata;
    if (input.files) {
      message.subtype = "file_share";
      message.files = input.files;
      message.upload = false;
      message.display_as_bot = false;
    }

    let parent: SlackMessage | undefined;
    if (input.threadTs) {
      let rootTs = input.threadTs;
      parent = s.index.get(rootTs);
      // A reply's ts used as thread_ts lands in that reply's thread.
      if (parent?.thread_ts && parent.thread_ts !== parent.ts) {
        rootTs = parent.thread_ts;
        parent = s.index.get(rootTs);
      }
      message.thread_ts = rootTs;
      if (parent?.user) message.parent_user_id = parent.user;
      const list = s.threads.get(rootTs) ?? [];
      list.push(message);
      s.threads.set(rootTs, list);
      if (parent) this.refreshThread(s, parent);
      if (input.replyBroadcast) {
        message.subtype = "thread_broadcast";
        if (parent) message.root = clone(parent);
        s.timeline.push(message);
      }
    } else {
      s.timeline.push(message);
    }
    s.index.set(ts, message);
    return parent ? { message, parent } : { message };
  }

  private refreshThread(s: ChannelState, parent: SlackMessage): void {
    const replies = s.threads.get(parent.ts) ?? [];
    if (replies.length === 0) {
      delete parent.thread_ts;
      delete parent.reply_count;
      delete parent.reply_users_count;
      delete parent.reply_users;
      delete parent.latest_reply;
      delete parent.is_locked;
      return;
    }
    const users: string[] = [];
    for (const r of replies) {
      const who = r.user ?? r.bot_id;
      if (who && !users.includes(who)) users.push(who);
    }
    parent.thread_ts = parent.ts;
    parent.reply_count = replies.length;
    parent.reply_users_count = users.length;
    parent.reply_users = users;
    parent.latest_reply = replies[replies.length - 1]?.ts ?? parent.ts;
    parent.is_locked = false;
  }

  /**
   * Applies chat.update semantics: text and blocks replace the old ones; when only text is given the
   * old blocks are dropped (Slack renders the new text), when neither is given they are kept.
   */
  updateMessage(
    channel: string,
    ts: string,
    input: UpdateInput,
    editor: string,
  ): { message: SlackMessage; previous: SlackMessage } {
    const s = this.requireChannel(channel);
    const message = s.index.get(ts);
    if (!message) throw new Error(`no message ${ts} in ${channel}`);
    const previous = clone(message);
    if (input.text !== undefined) message.text = input.text;
    if (input.blocks !== undefined) {
      if (input.blocks.length > 0) message.blocks = withGeneratedIds(input.blocks);
      else delete message.blocks;
    } else if (input.text !== undefined && message.bot_id) {
      delete message.blocks;
    }
    if (input.attachments !== undefined) message.attachments = input.attachments;
    if (input.metadata !== undefined) message.metadata = input.metadata;
    message.edited = { user: editor, ts: this.nextTs() };
    return { message, previous };
  }

  /**
   * Deletes a message. A thread root that still has replies becomes a tombstone, as in Slack; a
   * reply is removed and its thread's counters recomputed.
   */
  deleteMessage(channel: string, ts: string): SlackMessage {
    const s = this.requireChannel(channel);
    const message = s.index.get(ts);
    if (!message) throw new Error(`no message ${ts} in ${channel}`);
    const previous = clone(message);
    const isReply = message.thread_ts !== undefined && message.thread_ts !== message.ts;
    if (isReply && message.thread_ts) {
      const list = s.threads.get(message.thread_ts) ?? [];
      s.threads.set(
        message.thread_ts,
        list.filter((m) => m.ts !== ts),
      );
      const parent = s.index.get(message.thread_ts);
      if (parent) this.refreshThread(s, parent);
      s.timeline = s.timeline.filter((m) => m.ts !== ts);
      s.index.delete(ts);
    } else if ((s.threads.get(ts)?.length ?? 0) > 0) {
      message.subtype = "tombstone";
      message.text = "This message was deleted.";
      delete message.blocks;
      delete message.attachments;
      delete message.metadata;
    } else {
      s.timeline = s.timeline.filter((m) => m.ts !== ts);
      s.index.delete(ts);
    }
    return previous;
  }

  addReaction(channel: string, ts: string, name: string, userId: string): boolean {
    const message = this.message(channel, ts);
    if (!message) throw new Error(`no message ${ts} in ${channel}`);
    message.reactions ??= [];
    let reaction = message.reactions.find((r) => r.name === name);
    if (!reaction) {
      reaction = { name, users: [], count: 0 };
      message.reactions.push(reaction);
    }
    if (reaction.users.includes(userId)) return false;
    reaction.users.push(userId);
    reaction.count = reaction.users.length;
    return true;
  }

  /** Takes a user's reaction off a message; false when they had not reacted with that name. */
  removeReaction(channel: string, ts: string, name: string, userId: string): boolean {
    const message = this.message(channel, ts);
    if (!message) throw new Error(`no message ${ts} in ${channel}`);
    const reaction = message.reactions?.find((r) => r.name === name);
    if (!reaction?.users.includes(userId)) return false;
    reaction.users = reaction.users.filter((u) => u !== userId);
    reaction.count = reaction.users.length;
    if (reaction.count === 0) message.reactions = message.reactions?.filter((r) => r !== reaction);
    if (message.reactions?.length === 0) delete message.reactions;
    return true;
  }

  /** The stored bot_profile of the app (what Slack attaches to the bot's messages). */
  get botProfileInfo(): BotProfile {
    return clone(this.botProfile);
  }

  // ---------------------------------------------------------------------------------------------
  // Files (external upload flow)

  /** Registers a file announced by files.getUploadURLExternal; its bytes arrive at uploadUrl later. */
  createFile(input: NewFileInput): StoredFile {
    const ticket = newUploadTicket();
    const file: StoredFile = {
      id: randomId("F"),
      ticket,
      uploadUrl: input.uploadUrl(ticket),
      name: input.name,
      title: input.name,
      length: input.length,
      ...(input.altTxt !== undefined ? { altTxt: input.altTxt } : {}),
      ...(input.snippetType !== undefined ? { snippetType: input.snippetType } : {}),
      user: input.user ?? this.bot.userId,
      created: nowSeconds(),
      completed: false,
      shares: [],
      publicSecret: randomHex(10),
    };
    this.storedFiles.set(file.id, file);
    this.filesByTicket.set(ticket, file);
    return file;
  }

  /** The stored file behind an upload_url ticket, while it still accepts uploads. */
  fileByTicket(ticket: string): StoredFile | undefined {
    const file = this.filesByTicket.get(ticket);
    return file && !file.completed ? file : undefined;
  }

  /** The stored file itself (mutable; the API and server use it). */
  storedFile(id: string): StoredFile | undefined {
    return this.storedFiles.get(id);
  }

  /** Stores what arrived at a file's upload_url (a later upload replaces an earlier one). */
  receiveUpload(file: StoredFile, bytes: Buffer, info: Omit<FileUploadInfo, "count" | "size" | "at">): void {
    file.bytes = bytes;
    file.upload = { ...info, size: bytes.length, count: (file.upload?.count ?? 0) + 1, at: Date.now() };
  }

  /** A file with a copy of its bytes and where it was shared, or undefined for an unknown ID. */
  file(id: string): FileRecord | undefined {
    const f = this.storedFiles.get(id);
    if (!f) return undefined;
    const type = fileType(f.name, f.bytes, f.snippetType);
    const channels: string[] = [];
    for (const s of f.shares) if (!channels.includes(s.channel)) channels.push(s.channel);
    return {
      id: f.id,
      name: f.name,
      title: f.title,
      mimetype: type.mimetype,
      filetype: type.filetype,
      length: f.length,
      size: f.bytes?.length ?? 0,
      bytes: Buffer.from(f.bytes ?? Buffer.alloc(0)),
      uploaded: f.bytes !== undefined,
      completed: f.completed,
      ...(f.altTxt !== undefined ? { altTxt: f.altTxt } : {}),
      ...(f.snippetType !== undefined ? { snippetType: f.snippetType } : {}),
      uploadUrl: f.uploadUrl,
      ...(f.upload ? { upload: { ...f.upload } } : {}),
      channels,
      shares: f.shares.map((s) => ({ ...s })),
    };
  }

  /** Every file of the upload flow (announced, uploaded or completed), oldest first. */
  files(): FileRecord[] {
    return [...this.storedFiles.keys()].map((id) => this.file(id) as FileRecord);
  }

  // ---------------------------------------------------------------------------------------------
  // Views

  /** The App Home view last published for a user (views.publish), if any. */
  homeView(userId: string): SlackView | undefined {
    const view = this.homeViews.get(userId);
    return view ? clone(view) : undefined;
  }

  /** A view by view_id or external_id, from open modals and published Home tabs. */
  findView(ref: {
    viewId?: string;
    externalId?: string;
  }):
    | { kind: "modal"; record: OpenViewRecord }
    | { kind: "home"; userId: string; view: SlackView }
    | undefined {
    for (let i = this.openViews.length - 1; i >= 0; i--) {
      const record = this.openViews[i];
      if (!record) continue;
      if (ref.viewId && record.view.id === ref.viewId) return { kind: "modal", record };
      if (ref.externalId && record.view.external_id === ref.externalId) {
        return { kind: "modal", record };
      }
    }
    for (const [userId, view] of this.homeViews) {
      if (ref.viewId && view.id === ref.viewId) return { kind: "home", userId, view };
      if (ref.externalId && view.external_id === ref.externalId) {
        return { kind: "home", userId, view };
      }
    }
    return undefined;
  }

  // ---------------------------------------------------------------------------------------------
  // Snapshot

  /** Plain JSON of the whole workspace (GET /_emulator/state adds the record's part). */
  snapshot(): JsonObject {
    const channels = [...this.state.values()].map((s) => ({
      ...clone(s.info),
      members: [...s.members],
      messages: s.timeline.map((m) => ({
        ...clone(m),
        replies: clone(m.thread_ts === m.ts ? (s.threads.get(m.ts) ?? []) : []),
      })),
    }));
    return clone({
      team: this.team,
      bot: this.bot,
      users: [...this.users.values()],
      channels,
      homeViews: Object.fromEntries(this.homeViews),
      openViews: this.openViews,
      files: this.files().map(({ bytes: _bytes, ...rest }) => rest),
    }) as unknown as JsonObject;
  }
}

/** The rich_text block Slack's clients attach to a typed message. */
export function richTextBlocks(text: string): JsonObject[] {
  return [
    {
      type: "rich_text",
      block_id: randomId("", 5),
      elements: [{ type: "rich_text_section", elements: [{ type: "text", text }] }],
    },
  ];
}
