// Shapes of the objects the emulator stores and returns. Field names follow the recorded Slack
// payloads in /work/shared/slack-samples (api/, events/, app-backend/) so that code written
// against the emulator reads the same fields it will read from real Slack.

/** A JSON value as Slack sends it: objects arrive parsed, never as strings. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface SlackProfile {
  title: string;
  phone: string;
  skype: string;
  real_name: string;
  real_name_normalized: string;
  display_name: string;
  display_name_normalized: string;
  fields: JsonObject | null;
  status_text: string;
  status_emoji: string;
  status_emoji_display_info: Json[];
  status_expiration: number;
  avatar_hash: string;
  email?: string;
  first_name: string;
  last_name: string;
  image_24: string;
  image_32: string;
  image_48: string;
  image_72: string;
  image_192: string;
  image_512: string;
  status_text_canonical: string;
  team: string;
  bot_id?: string;
  api_app_id?: string;
  always_active?: boolean;
}

/** users.info / users.list member shape. */
export interface SlackUser {
  id: string;
  team_id: string;
  name: string;
  deleted: boolean;
  color: string;
  real_name: string;
  tz: string;
  tz_label: string;
  tz_offset: number;
  profile: SlackProfile;
  is_admin: boolean;
  is_owner: boolean;
  is_primary_owner: boolean;
  is_restricted: boolean;
  is_ultra_restricted: boolean;
  is_bot: boolean;
  is_app_user: boolean;
  updated: number;
  is_email_confirmed: boolean;
  who_can_share_contact_card: string;
  /**
   * users.info / users.list: "this user belongs to a different workspace than the one associated
   * with your app's token, and isn't in any shared channels visible to your app" (user object reference).
   */
  is_stranger?: boolean;
}

export interface TopicOrPurpose {
  value: string;
  creator: string;
  last_set: number;
}

/** conversations.info shape (public/private channels, IMs and MPIMs share one interface). */
export interface SlackChannel {
  id: string;
  name?: string;
  name_normalized?: string;
  is_channel: boolean;
  is_group: boolean;
  is_im: boolean;
  is_mpim: boolean;
  is_private: boolean;
  created: number;
  is_archived: boolean;
  is_general: boolean;
  unlinked: number;
  is_shared: boolean;
  is_org_shared: boolean;
  is_ext_shared: boolean;
  is_pending_ext_shared: boolean;
  pending_shared: string[];
  context_team_id: string;
  updated: number;
  creator: string;
  shared_team_ids: string[];
  /** Slack Connect channels: the organisation hosting the channel (the workspace that created it). */
  conversation_host_id?: string;
  /** Slack Connect channels: teams invited but not yet connected. */
  pending_connected_team_ids?: string[];
  is_member: boolean;
  is_open?: boolean;
  topic?: TopicOrPurpose;
  purpose?: TopicOrPurpose;
  previous_names?: string[];
  /** IMs only: the other party. */
  user?: string;
  is_user_deleted?: boolean;
  priority?: number;
}

export interface BotProfile {
  id: string;
  deleted: boolean;
  name: string;
  updated: number;
  app_id: string;
  icons: { image_36: string; image_48: string; image_72: string };
  team_id: string;
}

export interface Reaction {
  name: string;
  users: string[];
  count: number;
}

/** A stored message, in the shape conversations.history / chat.postMessage return. */
export interface SlackMessage {
  type: "message";
  subtype?: string;
  ts: string;
  text: string;
  user?: string;
  team?: string;
  /** Shared channels: the team of the message's author. */
  user_team?: string;
  /** Shared channels: the team the message was posted from. */
  source_team?: string;
  client_msg_id?: string;
  bot_id?: string;
  app_id?: string;
  bot_profile?: BotProfile;
  /** Set when the app posted with a custom username (chat:write.customize). */
  username?: string;
  icons?: { emoji?: string; image_64?: string };
  blocks?: JsonObject[];
  attachments?: JsonObject[];
  metadata?: { event_type: string; event_payload: JsonObject };
  thread_ts?: string;
  parent_user_id?: string;
  reply_count?: number;
  reply_users_count?: number;
  reply_users?: string[];
  latest_reply?: string;
  is_locked?: boolean;
  edited?: { user: string; ts: string };
  reactions?: Reaction[];
  /** thread_broadcast replies carry their thread's root. */
  root?: SlackMessage;
  /** file_share messages: the shared files (file objects as files.completeUploadExternal returns). */
  files?: JsonObject[];
  upload?: boolean;
  display_as_bot?: boolean;
}

export interface EphemeralRecord {
  channel: string;
  user: string;
  text: string;
  blocks?: JsonObject[];
  threadTs?: string;
  /** message_ts returned to the poster. */
  ts: string;
  /** Who produced it: chat.postEphemeral, a response_url post, or the body of an ack. */
  source: "api" | "response_url" | "ack";
  at: number;
}

/** views.open / views.push / views.update / views.publish response shape. */
export interface SlackView {
  id: string;
  team_id: string;
  type: string;
  blocks: JsonObject[];
  private_metadata: string;
  callback_id: string;
  state: { values: JsonObject };
  hash: string;
  title?: Json;
  close?: Json;
  submit?: Json;
  clear_on_close: boolean;
  notify_on_close: boolean;
  submit_disabled: boolean;
  external_id: string;
  root_view_id: string | null;
  previous_view_id: string | null;
  app_id: string;
  app_installed_team_id: string;
  bot_id: string;
}

export interface OpenViewRecord {
  id: string;
  /** trigger_id the modal was opened (or pushed) with. */
  trigger: string;
  userId?: string;
  view: SlackView;
  /** false once the view was closed by a view_submission without errors or response_action "clear". */
  isOpen: boolean;
}

export interface ResponseUrlPost {
  id: string;
  url: string;
  body: JsonObject;
  at: number;
}

/** Where a file was shared: the file_share message that carries it. */
export interface FileShare {
  channel: string;
  ts: string;
  /** Set when the file was shared into a thread. */
  threadTs?: string;
  at: number;
}

/** A file of the external upload flow as the workspace stores it (files.getUploadURLExternal on). */
export interface StoredFile {
  id: string;
  /** The opaque last segment of upload_url. */
  ticket: string;
  uploadUrl: string;
  /** filename given to files.getUploadURLExternal. */
  name: string;
  /** Set by files.completeUploadExternal (defaults to the name). */
  title: string;
  /** Bytes announced to files.getUploadURLExternal. */
  length: number;
  altTxt?: string;
  snippetType?: string;
  /** The user (the app's bot user) that uploaded it. */
  user: string;
  created: number;
  /** What the upload_url received last; undefined until the first upload. */
  bytes?: Buffer;
  upload?: FileUploadInfo;
  completed: boolean;
  shares: FileShare[];
  /** Secret part of permalink_public. */
  publicSecret: string;
}

export interface FileUploadInfo {
  /** Bytes received (the file part's size for multipart bodies). */
  size: number;
  /** Content-Type of the upload request. */
  contentType: string;
  multipart: boolean;
  /** How many times the upload_url was POSTed to (the last upload wins). */
  count: number;
  at: number;
}

/** What tests read back with workspace.file(id): the stored bytes and where the file went. */
export interface FileRecord {
  id: string;
  name: string;
  title: string;
  mimetype: string;
  filetype: string;
  /** Bytes announced to files.getUploadURLExternal. */
  length: number;
  /** Bytes received at upload_url (0 before the upload). */
  size: number;
  /** A copy of the uploaded bytes (empty before the upload). */
  bytes: Buffer;
  uploaded: boolean;
  completed: boolean;
  altTxt?: string;
  snippetType?: string;
  uploadUrl: string;
  upload?: FileUploadInfo;
  /** Conversations the file was shared into, in sharing order. */
  channels: string[];
  shares: FileShare[];
}

/** One entry of emulator.calls. */
export interface ApiCall {
  method: string;
  params: JsonObject;
  ok: boolean;
  error?: string;
  status: number;
  at: number;
}

/** One entry of emulator.deliveries: a single HTTP attempt to deliver an Events API envelope. */
export interface DeliveryAttempt {
  eventId: string;
  eventType: string;
  channel?: string;
  attempt: number;
  retryNum: number;
  retryReason?: "http_timeout" | "http_error" | "connection_failed";
  /** HTTP status the app answered with; 0 when it did not answer (timeout or connection failure). */
  status: number;
  outcome: "ok" | "http_error" | "http_timeout" | "connection_failed";
  at: number;
}
