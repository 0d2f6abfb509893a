// Block Kit and message-content validation, as Slack's API applies it before accepting a message
// or a view. Strict by default: where Slack's docs are vague the stricter reading wins (the choices
// are listed in README.md, "Behaviour chosen where Slack is vague").
//
// Pure module (no I/O, no emulator state). The emulator uses it for chat.postMessage, chat.update,
// chat.postEphemeral, response_url posts and views.*; the app's own tests may import it to ask
// "would Slack accept this?" without HTTP: validateMessage() for a whole message payload
// ({text, blocks, attachments, metadata}, answering Slack's error code) and validateViewPayload()
// for a modal or Home view.
//
// Sources: the Block Kit reference (https://docs.slack.dev/reference/block-kit/blocks,
// .../block-elements, .../composition-objects, https://docs.slack.dev/reference/block-kit/block-elements
// surface table), the view reference (https://docs.slack.dev/surfaces/modals), Slack's SDKs
// (slackapi/node-slack-sdk packages/types/src/block-kit/*.ts, slackapi/python-slack-sdk
// slack_sdk/models/blocks/*.py and views), and the issues cited next to each rule.
//
// Issues carry a JSON pointer and a message worded the way Slack words them where known
// ("must be less than 3001 characters", "invalid additional property: emoji"); formatIssues()
// renders Slack's "[ERROR] <message> [json-pointer:/blocks/0/text/text]" strings.

export type Surface = "message" | "modal" | "home";

export interface BlockKitIssue {
  /** JSON pointer into the request, e.g. "/blocks/3/text/text" or "/view/title/text". */
  pointer: string;
  message: string;
}

export const LIMITS = {
  blocks: { message: 50, modal: 100, home: 100 },
  blockId: 255,
  actionId: 255,
  /** Text objects in general (composition-objects/text-object). */
  text: 3000,
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  headerText: 150,
  contextElements: 10,
  contextText: 3000,
  contextActionsElements: 5,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  url: 3000,
  accessibilityLabel: 75,
  placeholder: 150,
  selectOptions: 100,
  optionGroups: 100,
  optionGroupLabel: 75,
  optionText: 75,
  optionValue: 150,
  optionDescription: 75,
  overflowOptions: 5,
  checkboxOptions: 10,
  radioOptions: 10,
  imageAltText: 2000,
  imageTitle: 2000,
  imageUrl: 3000,
  inputLabel: 2000,
  inputHint: 2000,
  textInputLength: 3000,
  fileInputMaxFiles: 10,
  richTextInputLines: 100,
  markdownText: 12_000,
  /** All markdown blocks of one payload together (markdown-block reference). */
  markdownTotal: 12_000,
  videoTitle: 199,
  videoAuthorName: 49,
  tableRows: 100,
  tableCells: 20,
  tableColumnSettings: 20,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  feedbackButtonText: 75,
  feedbackButtonValue: 2000,
  viewTitle: 24,
  viewButton: 24,
  privateMetadata: 3000,
  callbackId: 255,
  externalId: 255,
  /** A message's top-level `text` (chat.postMessage: truncated by Slack past 40,000). */
  messageText: 40_000,
  attachments: 100,
  /** See blocksSize(): the cumulative size of a message's blocks (msg_blocks_too_long). */
  messageBlocksSize: 12_000,
  /** Cost of each top-level block in blocksSize() (bolt-js#2509: a divider costs 125). */
  blockOverhead: 125,
  metadataEventType: 255,
  /** JSON length of `metadata`; Slack documents none, chosen (README). */
  metadata: 8_000,
} as const;

// ------------------------------------------------------------------------------------------------
// Lengths as Slack counts them

export type TextKind = "plain_text" | "mrkdwn" | "raw";

const BARE_AMPERSAND = /&(?!amp;|lt;|gt;)/g;

/**
 * The length Slack holds a string to, in UTF-16 code units (never fewer than code points).
 * - mrkdwn (and a message's top-level text) is measured as sent: the app escapes `&`, `<`, `>`
 *   itself, so "&amp;" counts 5; a bare `&` counts as the `&amp;` Slack stores.
 * - plain_text: Slack stores it with `&`, `<`, `>` escaped (a plain_text "Answer & 1" comes back
 *   as "Answer &amp; 1", slackapi/bolt-python#513), so each counts as its entity: `&` 5, `<` `>` 4.
 * - raw (ids, values, URLs): UTF-16 code units.
 */
export function slackLength(text: string, kind: TextKind = "raw"): number {
  let n = text.length;
  if (kind === "plain_text") {
    for (const ch of text) {
      if (ch === "&") n += 4;
      else if (ch === "<" || ch === ">") n += 3;
    }
  } else if (kind === "mrkdwn") {
    n += 4 * (text.match(BARE_AMPERSAND)?.length ?? 0);
  }
  return n;
}

/** Extra length the text objects inside `value` get from slackLength() over their UTF-16 length. */
function entityExtra(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((sum: number, v) => sum + entityExtra(v), 0);
  if (!isObj(value)) return 0;
  let extra = 0;
  if ((value.type === "plain_text" || value.type === "mrkdwn") && typeof value.text === "string") {
    extra += slackLength(value.text, value.type) - value.text.length;
  }
  for (const [key, v] of Object.entries(value)) {
    if (key === "text" && typeof v === "string") continue;
    extra += entityExtra(v);
  }
  return extra;
}

/**
 * The cumulative size Slack holds a message's blocks to (msg_blocks_too_long). Slack does not
 * document it; its staff said "12,000 text characters with a buffer for block containers"
 * (slackapi/bolt-js#2509), where 13,297 characters of markdown text passed and a divider cost 125
 * more; summing only `.text` fields still let a rejected message through (bolt-js#2867). So this
 * counts, stricter than both: every block as JSON (keys, punctuation, every string: texts, URLs,
 * values, ids), text objects with their entities as Slack stores them (slackLength), plus
 * LIMITS.blockOverhead per top-level block. A message passes while it is at most
 * LIMITS.messageBlocksSize.
 */
export function blocksSize(blocks: readonly unknown[]): number {
  let size = 0;
  for (const block of blocks) {
    size += LIMITS.blockOverhead + (JSON.stringify(block) ?? "").length + entityExtra(block);
  }
  return size;
}

// ------------------------------------------------------------------------------------------------
// Tables of what goes where

const SELECTS = [
  "static_select",
  "external_select",
  "users_select",
  "conversations_select",
  "channels_select",
] as const;
const MULTI_SELECTS = [
  "multi_static_select",
  "multi_external_select",
  "multi_users_select",
  "multi_conversations_select",
  "multi_channels_select",
] as const;

/** Which elements each place accepts (blocks reference, "Compatible block elements"). */
const PLACES = {
  accessory: new Set<string>([
    "button",
    "checkboxes",
    "datepicker",
    "image",
    "overflow",
    "radio_buttons",
    "timepicker",
    "workflow_button",
    ...SELECTS,
    ...MULTI_SELECTS,
  ]),
  // The element reference lists rich_text_input for input blocks only: stricter than the blocks page.
  actions: new Set<string>([
    "button",
    "checkboxes",
    "datepicker",
    "datetimepicker",
    "overflow",
    "radio_buttons",
    "timepicker",
    "workflow_button",
    ...SELECTS,
    ...MULTI_SELECTS,
  ]),
  input: new Set<string>([
    "checkboxes",
    "datepicker",
    "datetimepicker",
    "email_text_input",
    "file_input",
    "number_input",
    "plain_text_input",
    "radio_buttons",
    "rich_text_input",
    "timepicker",
    "url_text_input",
    ...SELECTS,
    ...MULTI_SELECTS,
  ]),
  context_actions: new Set<string>(["feedback_buttons", "icon_button"]),
};
type Place = keyof typeof PLACES;

const ALL: readonly Surface[] = ["message", "modal", "home"];

/** Surfaces of each element (https://docs.slack.dev/reference/block-kit/block-elements, "Surfaces"). */
const ELEMENT_SURFACES: Record<string, readonly Surface[]> = {
  datetimepicker: ["message", "modal"],
  email_text_input: ["modal"],
  file_input: ["modal"],
  number_input: ["modal"],
  url_text_input: ["modal"],
  rich_text_input: ["modal", "home"],
};

/**
 * Surfaces of each block (each block's reference page). Input blocks are kept out of messages
 * (the reference says they collect input in modals and Home tabs; stricter). `file` blocks are
 * made by Slack for remote files and "can't be added to app surfaces directly".
 */
const BLOCK_SURFACES: Record<string, readonly Surface[]> = {
  actions: ALL,
  context: ALL,
  context_actions: ["message"],
  divider: ALL,
  file: [],
  header: ALL,
  image: ALL,
  input: ["modal", "home"],
  markdown: ["message"],
  rich_text: ALL,
  section: ALL,
  table: ["message"],
  video: ALL,
};

const SURFACE_WORD: Record<Surface, string> = { message: "messages", modal: "modals", home: "Home tabs" };

// Properties each object may have: anything else is "invalid additional property: <name>", as Slack
// answers (slack-go/slack#1414: `emoji` on a mrkdwn text object; grafana/oncall#702).
const BLOCK_KEYS: Record<string, readonly string[]> = {
  actions: ["elements"],
  context: ["elements"],
  context_actions: ["elements"],
  divider: [],
  file: ["external_id", "source"],
  header: ["text"],
  image: ["image_url", "slack_file", "alt_text", "title"],
  input: ["label", "element", "dispatch_action", "hint", "optional"],
  markdown: ["text"],
  rich_text: ["elements"],
  section: ["text", "fields", "accessory", "expand"],
  table: ["rows", "column_settings"],
  video: [
    "alt_text",
    "author_name",
    "description",
    "provider_icon_url",
    "provider_name",
    "title",
    "title_url",
    "thumbnail_url",
    "video_url",
  ],
};

const MENU = ["confirm", "focus_on_load", "placeholder"];
const TEXT_INPUT = ["initial_value", "dispatch_action_config", "focus_on_load", "placeholder"];
const ELEMENT_KEYS: Record<string, readonly string[]> = {
  button: ["text", "value", "url", "style", "confirm", "accessibility_label"],
  checkboxes: ["options", "initial_options", "confirm", "focus_on_load"],
  datepicker: ["initial_date", ...MENU],
  datetimepicker: ["initial_date_time", "confirm", "focus_on_load"],
  email_text_input: TEXT_INPUT,
  feedback_buttons: ["positive_button", "negative_button"],
  file_input: ["filetypes", "max_files"],
  icon_button: ["icon", "text", "accessibility_label", "value", "visible_to_user_ids", "confirm"],
  image: ["image_url", "slack_file", "alt_text"],
  number_input: ["is_decimal_allowed", "min_value", "max_value", ...TEXT_INPUT],
  overflow: ["options", "confirm"],
  plain_text_input: ["multiline", "min_length", "max_length", ...TEXT_INPUT],
  radio_buttons: ["options", "initial_option", "confirm", "focus_on_load"],
  rich_text_input: ["min_lines", "max_lines", ...TEXT_INPUT],
  timepicker: ["initial_time", "timezone", ...MENU],
  url_text_input: TEXT_INPUT,
  workflow_button: ["text", "workflow", "style", "accessibility_label"],
  static_select: ["options", "option_groups", "initial_option", ...MENU],
  multi_static_select: ["options", "option_groups", "initial_options", "max_selected_items", ...MENU],
  external_select: ["initial_option", "min_query_length", ...MENU],
  multi_external_select: ["initial_options", "min_query_length", "max_selected_items", ...MENU],
  users_select: ["initial_user", ...MENU],
  multi_users_select: ["initial_users", "max_selected_items", ...MENU],
  conversations_select: [
    "initial_conversation",
    "default_to_current_conversation",
    "filter",
    "response_url_enabled",
    ...MENU,
  ],
  multi_conversations_select: [
    "initial_conversations",
    "default_to_current_conversation",
    "filter",
    "max_selected_items",
    ...MENU,
  ],
  channels_select: ["initial_channel", "response_url_enabled", ...MENU],
  multi_channels_select: ["initial_channels", "max_selected_items", ...MENU],
};

const RICH_TEXT_STYLE_KEYS = ["bold", "italic", "strike", "code", "underline"];

// ------------------------------------------------------------------------------------------------
// The checker

type Obj = Record<string, unknown>;
type Path = (string | number)[];

function isObj(value: unknown): value is Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function escapePointer(segment: string | number): string {
  return String(segment).replace(/~/g, "~0").replace(/\//g, "~1");
}

interface StringRule {
  max?: number;
  min?: number;
  kind?: TextKind;
  required?: boolean;
}

interface TextRule {
  max: number;
  plainOnly?: boolean;
  required?: boolean;
}

class Checker {
  readonly issues: BlockKitIssue[] = [];
  /** focus_on_load may be true on one element per view. */
  focusSeen = false;
  markdownTotal = 0;

  constructor(
    private readonly root: string,
    readonly surface: Surface,
  ) {}

  ptr(path: Path): string {
    return this.root + path.map((p) => `/${escapePointer(p)}`).join("");
  }

  /** An optional object field and its path; absent, or not an object (an error), gives undefined. */
  objectField(el: Obj, key: string, path: Path): { value: Obj; p: Path } | undefined {
    const value = el[key];
    if (value === undefined) return undefined;
    const p = [...path, key];
    if (isObj(value)) return { value, p };
    this.add(p, "must be an object");
    return undefined;
  }

  /** An object with a string `type`, or the error that says what is missing. */
  typed(
    value: unknown,
    path: Path,
    notAnObject: string,
  ): value is Record<string, unknown> & { type: string } {
    if (!isObj(value)) this.add(path, notAnObject);
    else if (typeof value.type !== "string") this.add(path, "missing required field: type");
    else return true;
    return false;
  }

  add(path: Path, message: string): void {
    this.issues.push({ pointer: this.ptr(path), message });
  }

  /** Reports every property of `obj` that is neither `type`/`block_id`-like common nor listed. */
  keys(obj: Obj, path: Path, allowed: readonly string[]): void {
    for (const key of Object.keys(obj)) {
      if (!allowed.includes(key)) this.add(path, `invalid additional property: ${key}`);
    }
  }

  length(value: string, path: Path, rule: StringRule): void {
    const n = slackLength(value, rule.kind ?? "raw");
    if (rule.max !== undefined && n > rule.max)
      this.add(path, `must be less than ${rule.max + 1} characters`);
    if ((rule.min ?? 0) > 0 && value.length < (rule.min ?? 0)) {
      this.add(path, `must be more than ${(rule.min ?? 1) - 1} characters`);
    }
  }

  /** A string property; returns it when it is one. */
  str(obj: Obj, key: string, path: Path, rule: StringRule = {}): string | undefined {
    const value = obj[key];
    if (value === undefined) {
      if (rule.required) this.add(path, `missing required field: ${key}`);
      return undefined;
    }
    if (typeof value !== "string") {
      this.add([...path, key], "must be a string");
      return undefined;
    }
    this.length(value, [...path, key], rule);
    return value;
  }

  bool(obj: Obj, key: string, path: Path, required = false): boolean | undefined {
    const value = obj[key];
    if (value === undefined) {
      if (required) this.add(path, `missing required field: ${key}`);
      return undefined;
    }
    if (typeof value !== "boolean") {
      this.add([...path, key], "must be a boolean");
      return undefined;
    }
    return value;
  }

  int(obj: Obj, key: string, path: Path, min: number, max: number): number | undefined {
    const value = obj[key];
    if (value === undefined) return undefined;
    if (typeof value !== "number" || !Number.isInteger(value)) {
      this.add([...path, key], "must be an integer");
      return undefined;
    }
    if (value < min || value > max) {
      this.add(
        [...path, key],
        max === Infinity ? `must be at least ${min}` : `must be between ${min} and ${max}`,
      );
    }
    return value;
  }

  oneOf(obj: Obj, key: string, path: Path, values: readonly unknown[], required = false): void {
    const value = obj[key];
    if (value === undefined) {
      if (required) this.add(path, `missing required field: ${key}`);
      return;
    }
    if (!values.includes(value)) this.add([...path, key], `must be one of ${values.join(", ")}`);
  }

  items(value: unknown, path: Path, min: number, max: number): unknown[] | undefined {
    if (!Array.isArray(value)) {
      this.add(path, "must be an array");
      return undefined;
    }
    if (value.length < min) this.add(path, `must provide at least ${min} items`);
    if (value.length > max) this.add(path, `must be less than ${max + 1} items`);
    return value;
  }

  stringArray(obj: Obj, key: string, path: Path): void {
    const value = obj[key];
    if (value === undefined) return;
    const list = this.items(value, [...path, key], 1, Number.POSITIVE_INFINITY);
    list?.forEach((v, i) => {
      if (typeof v !== "string") this.add([...path, key, i], "must be a string");
    });
  }

  /** A composition text object: { type: "plain_text" | "mrkdwn", text, emoji? | verbatim? }. */
  text(value: unknown, path: Path, rule: TextRule): void {
    if (value === undefined) {
      if (rule.required !== false)
        this.add(path.slice(0, -1), `missing required field: ${String(path.at(-1))}`);
      return;
    }
    if (!isObj(value)) {
      this.add(path, "must be a text object");
      return;
    }
    const type = value.type;
    if (type === undefined) {
      this.add(path, "missing required field: type");
      return;
    }
    if (rule.plainOnly && type !== "plain_text") {
      this.add([...path, "type"], "must be plain_text");
      return;
    }
    if (type !== "plain_text" && type !== "mrkdwn") {
      this.add([...path, "type"], "must be one of plain_text, mrkdwn");
      return;
    }
    this.keys(value, path, type === "plain_text" ? ["type", "text", "emoji"] : ["type", "text", "verbatim"]);
    if (type === "plain_text") this.bool(value, "emoji", path);
    else this.bool(value, "verbatim", path);
    const text = value.text;
    if (text === undefined) this.add(path, "missing required field: text");
    else if (typeof text !== "string") this.add([...path, "text"], "must be a string");
    else if (text.length === 0) this.add([...path, "text"], "must be more than 0 characters");
    else this.length(text, [...path, "text"], { max: rule.max, kind: type });
  }

  actionId(el: Obj, path: Path): void {
    this.str(el, "action_id", path, { max: LIMITS.actionId, min: 1 });
  }

  focus(el: Obj, path: Path): void {
    if (this.bool(el, "focus_on_load", path) !== true) return;
    if (this.focusSeen) this.add([...path, "focus_on_load"], "only one element may set focus_on_load");
    this.focusSeen = true;
  }

  confirm(value: unknown, path: Path): void {
    if (value === undefined) return;
    if (!isObj(value)) {
      this.add(path, "must be a confirmation dialog object");
      return;
    }
    this.keys(value, path, ["title", "text", "confirm", "deny", "style"]);
    this.text(value.title, [...path, "title"], { max: LIMITS.confirmTitle, plainOnly: true });
    this.text(value.text, [...path, "text"], { max: LIMITS.confirmText, plainOnly: true });
    this.text(value.confirm, [...path, "confirm"], { max: LIMITS.confirmButton, plainOnly: true });
    this.text(value.deny, [...path, "deny"], { max: LIMITS.confirmButton, plainOnly: true });
    this.oneOf(value, "style", path, ["primary", "danger"]);
  }

  option(value: unknown, path: Path, opts: { mrkdwn: boolean; url: boolean }): void {
    if (!isObj(value)) {
      this.add(path, "must be an option object");
      return;
    }
    this.keys(
      value,
      path,
      opts.url ? ["text", "value", "description", "url"] : ["text", "value", "description"],
    );
    this.text(value.text, [...path, "text"], { max: LIMITS.optionText, plainOnly: !opts.mrkdwn });
    this.str(value, "value", path, { max: LIMITS.optionValue, min: 1, required: true });
    if (value.description !== undefined) {
      this.text(value.description, [...path, "description"], {
        max: LIMITS.optionDescription,
        plainOnly: !opts.mrkdwn,
      });
    }
    if (opts.url) this.str(value, "url", path, { max: LIMITS.url });
  }

  options(value: unknown, path: Path, min: number, max: number, opts: { mrkdwn: boolean; url: boolean }) {
    const list = this.items(value, path, min, max);
    list?.forEach((o, i) => {
      this.option(o, [...path, i], opts);
    });
    return list ?? [];
  }

  /** initial_option(s) "must exactly match" options of the element (option object reference). */
  initial(el: Obj, key: "initial_option" | "initial_options", path: Path, choices: unknown[] | undefined) {
    const value = el[key];
    if (value === undefined) return;
    const picked = key === "initial_options" ? this.items(value, [...path, key], 1, Infinity) : [value];
    picked?.forEach((o, i) => {
      const p = key === "initial_options" ? [...path, key, i] : [...path, key];
      this.option(o, p, { mrkdwn: true, url: false });
      if (choices && !choices.some((c) => sameOption(c, o))) this.add(p, "must match one of the options");
    });
  }

  placeholder(el: Obj, path: Path): void {
    if (el.placeholder !== undefined) {
      this.text(el.placeholder, [...path, "placeholder"], { max: LIMITS.placeholder, plainOnly: true });
    }
  }

  slackFile(value: unknown, path: Path): void {
    if (!isObj(value)) {
      this.add(path, "must be a slack file object");
      return;
    }
    this.keys(value, path, ["id", "url"]);
    if ((value.id === undefined) === (value.url === undefined))
      this.add(path, "must provide exactly one of id, url");
    this.str(value, "id", path);
    this.str(value, "url", path, { max: LIMITS.url });
  }

  /** image_url or slack_file (exactly one) and alt_text, shared by the image block and element. */
  image(el: Obj, path: Path): void {
    if (el.image_url === undefined && el.slack_file === undefined) {
      this.add(path, "missing required field: image_url");
    } else if (el.image_url !== undefined && el.slack_file !== undefined) {
      this.add(path, "must provide either image_url or slack_file, not both");
    }
    this.str(el, "image_url", path, { max: LIMITS.imageUrl, min: 1 });
    if (el.slack_file !== undefined) this.slackFile(el.slack_file, [...path, "slack_file"]);
    this.str(el, "alt_text", path, { max: LIMITS.imageAltText, kind: "plain_text", required: true });
  }

  dispatchConfig(el: Obj, path: Path): void {
    const field = this.objectField(el, "dispatch_action_config", path);
    if (!field) return;
    const { value, p } = field;
    this.keys(value, p, ["trigger_actions_on"]);
    const list = value.trigger_actions_on;
    if (list === undefined) return;
    this.items(list, [...p, "trigger_actions_on"], 1, 2)?.forEach((v, i) => {
      if (v !== "on_enter_pressed" && v !== "on_character_entered") {
        this.add([...p, "trigger_actions_on", i], "must be one of on_enter_pressed, on_character_entered");
      }
    });
  }

  conversationFilter(el: Obj, path: Path): void {
    const field = this.objectField(el, "filter", path);
    if (!field) return;
    const { value, p } = field;
    this.keys(value, p, ["include", "exclude_external_shared_channels", "exclude_bot_users"]);
    if (Object.keys(value).length === 0) {
      this.add(
        p,
        "must provide at least one of include, exclude_external_shared_channels, exclude_bot_users",
      );
    }
    if (value.include !== undefined) {
      this.items(value.include, [...p, "include"], 1, 4)?.forEach((v, i) => {
        if (!["im", "mpim", "private", "public"].includes(v as string)) {
          this.add([...p, "include", i], "must be one of im, mpim, private, public");
        }
      });
    }
    this.bool(value, "exclude_external_shared_channels", p);
    this.bool(value, "exclude_bot_users", p);
  }

  staticOptions(el: Obj, path: Path): unknown[] {
    const hasOptions = el.options !== undefined;
    const hasGroups = el.option_groups !== undefined;
    if (hasOptions && hasGroups) {
      this.add(path, "must provide either options or option_groups, not both");
      return [];
    }
    if (!hasOptions && !hasGroups) {
      this.add(path, "missing required field: options");
      return [];
    }
    if (hasOptions) {
      return this.options(el.options, [...path, "options"], 1, LIMITS.selectOptions, {
        mrkdwn: false,
        url: false,
      });
    }
    const all: unknown[] = [];
    const groups = this.items(el.option_groups, [...path, "option_groups"], 1, LIMITS.optionGroups);
    groups?.forEach((g, i) => {
      const gp = [...path, "option_groups", i];
      if (!isObj(g)) {
        this.add(gp, "must be an option group object");
        return;
      }
      this.keys(g, gp, ["label", "options"]);
      this.text(g.label, [...gp, "label"], { max: LIMITS.optionGroupLabel, plainOnly: true });
      all.push(
        ...this.options(g.options, [...gp, "options"], 1, LIMITS.selectOptions, {
          mrkdwn: false,
          url: false,
        }),
      );
    });
    return all;
  }

  feedbackButton(el: Obj, key: string, path: Path): void {
    if (el[key] === undefined) {
      this.add(path, `missing required field: ${key}`);
      return;
    }
    const field = this.objectField(el, key, path);
    if (!field) return;
    const { value, p } = field;
    this.keys(value, p, ["text", "value", "accessibility_label"]);
    this.text(value.text, [...p, "text"], { max: LIMITS.feedbackButtonText, plainOnly: true });
    this.str(value, "value", p, { max: LIMITS.feedbackButtonValue, min: 1, required: true });
    this.str(value, "accessibility_label", p, { max: LIMITS.accessibilityLabel, kind: "plain_text" });
  }

  element(value: unknown, path: Path, place: Place): void {
    if (!this.typed(value, path, "must be an element object")) return;
    const type = value.type;
    if (!PLACES[place].has(type)) {
      this.add(path, "failed to match all allowed schemas");
      return;
    }
    const surfaces = ELEMENT_SURFACES[type] ?? ALL;
    if (!surfaces.includes(this.surface)) {
      this.add([...path, "type"], `${type} elements are not allowed in ${SURFACE_WORD[this.surface]}`);
      return;
    }
    this.keys(value, path, [
      "type",
      ...(type === "image" ? [] : ["action_id"]),
      ...(ELEMENT_KEYS[type] ?? []),
    ]);
    if (type !== "image") this.actionId(value, path);
    if (value.confirm !== undefined) this.confirm(value.confirm, [...path, "confirm"]);
    if (value.focus_on_load !== undefined) this.focus(value, path);
    this.placeholder(value, path);
    this.dispatchConfig(value, path);
    switch (type) {
      case "button":
        this.text(value.text, [...path, "text"], { max: LIMITS.buttonText, plainOnly: true });
        this.str(value, "value", path, { max: LIMITS.buttonValue, min: 1 });
        this.str(value, "url", path, { max: LIMITS.url, min: 1 });
        this.str(value, "accessibility_label", path, { max: LIMITS.accessibilityLabel, kind: "plain_text" });
        this.oneOf(value, "style", path, ["primary", "danger"]);
        break;
      case "workflow_button": {
        this.text(value.text, [...path, "text"], { max: LIMITS.buttonText, plainOnly: true });
        this.str(value, "accessibility_label", path, { max: LIMITS.accessibilityLabel, kind: "plain_text" });
        this.oneOf(value, "style", path, ["primary", "danger"]);
        const workflow = value.workflow;
        const wp = [...path, "workflow"];
        if (!isObj(workflow)) {
          this.add(
            workflow === undefined ? path : wp,
            workflow === undefined ? "missing required field: workflow" : "must be an object",
          );
        } else {
          this.keys(workflow, wp, ["trigger"]);
          const trigger = workflow.trigger;
          if (!isObj(trigger)) this.add(wp, "missing required field: trigger");
          else {
            this.keys(trigger, [...wp, "trigger"], ["url", "customizable_input_parameters"]);
            this.str(trigger, "url", [...wp, "trigger"], { required: true, min: 1, max: LIMITS.url });
          }
        }
        break;
      }
      case "checkboxes":
      case "radio_buttons": {
        const max = type === "checkboxes" ? LIMITS.checkboxOptions : LIMITS.radioOptions;
        const choices = this.options(value.options, [...path, "options"], 1, max, {
          mrkdwn: true,
          url: false,
        });
        this.initial(value, type === "checkboxes" ? "initial_options" : "initial_option", path, choices);
        break;
      }
      case "overflow":
        this.options(value.options, [...path, "options"], 1, LIMITS.overflowOptions, {
          mrkdwn: false,
          url: true,
        });
        break;
      case "static_select":
      case "multi_static_select": {
        const choices = this.staticOptions(value, path);
        this.initial(value, type === "static_select" ? "initial_option" : "initial_options", path, choices);
        if (type === "multi_static_select") this.int(value, "max_selected_items", path, 1, Infinity);
        break;
      }
      case "external_select":
      case "multi_external_select":
        this.initial(
          value,
          type === "external_select" ? "initial_option" : "initial_options",
          path,
          undefined,
        );
        this.int(value, "min_query_length", path, 0, Infinity);
        if (type === "multi_external_select") this.int(value, "max_selected_items", path, 1, Infinity);
        break;
      case "users_select":
        this.str(value, "initial_user", path, { min: 1 });
        break;
      case "multi_users_select":
        this.stringArray(value, "initial_users", path);
        this.int(value, "max_selected_items", path, 1, Infinity);
        break;
      case "conversations_select":
      case "multi_conversations_select":
        if (type === "conversations_select") this.str(value, "initial_conversation", path, { min: 1 });
        else {
          this.stringArray(value, "initial_conversations", path);
          this.int(value, "max_selected_items", path, 1, Infinity);
        }
        this.bool(value, "default_to_current_conversation", path);
        this.bool(value, "response_url_enabled", path);
        this.conversationFilter(value, path);
        break;
      case "channels_select":
        this.str(value, "initial_channel", path, { min: 1 });
        this.bool(value, "response_url_enabled", path);
        break;
      case "multi_channels_select":
        this.stringArray(value, "initial_channels", path);
        this.int(value, "max_selected_items", path, 1, Infinity);
        break;
      case "datepicker": {
        const date = this.str(value, "initial_date", path);
        if (date !== undefined && !/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(date)) {
          this.add([...path, "initial_date"], "must be in the format YYYY-MM-DD");
        }
        break;
      }
      case "timepicker": {
        const time = this.str(value, "initial_time", path);
        if (time !== undefined && !/^([01]\d|2[0-3]):[0-5]\d$/.test(time)) {
          this.add([...path, "initial_time"], "must be in the format HH:mm");
        }
        this.str(value, "timezone", path, { min: 1 });
        break;
      }
      case "datetimepicker":
        this.int(value, "initial_date_time", path, 0, 9_999_999_999);
        break;
      case "plain_text_input": {
        this.bool(value, "multiline", path);
        const min = this.int(value, "min_length", path, 0, LIMITS.textInputLength);
        const max = this.int(value, "max_length", path, 1, LIMITS.textInputLength);
        if (min !== undefined && max !== undefined && min > max) {
          this.add([...path, "min_length"], "must not be greater than max_length");
        }
        this.str(value, "initial_value", path, { max: max ?? LIMITS.textInputLength });
        break;
      }
      case "email_text_input":
      case "url_text_input":
        this.str(value, "initial_value", path, { max: LIMITS.textInputLength });
        break;
      case "number_input": {
        this.bool(value, "is_decimal_allowed", path, true);
        const numbers: Record<string, number> = {};
        for (const key of ["initial_value", "min_value", "max_value"]) {
          const s = this.str(value, key, path);
          if (s === undefined) continue;
          const n = Number(s);
          if (s.trim() === "" || !Number.isFinite(n)) this.add([...path, key], "must be a number");
          else if (value.is_decimal_allowed !== true && !Number.isInteger(n)) {
            this.add([...path, key], "must be a whole number unless is_decimal_allowed");
          } else numbers[key] = n;
        }
        const { min_value: lo, max_value: hi } = numbers;
        if (lo !== undefined && hi !== undefined && lo > hi) {
          this.add([...path, "min_value"], "must not be greater than max_value");
        }
        break;
      }
      case "rich_text_input":
        if (value.initial_value !== undefined)
          this.richText(value.initial_value, [...path, "initial_value"], false);
        this.int(value, "min_lines", path, 1, LIMITS.richTextInputLines);
        this.int(value, "max_lines", path, 1, LIMITS.richTextInputLines);
        break;
      case "file_input":
        this.stringArray(value, "filetypes", path);
        this.int(value, "max_files", path, 1, LIMITS.fileInputMaxFiles);
        break;
      case "image":
        this.image(value, path);
        break;
      case "feedback_buttons":
        this.feedbackButton(value, "positive_button", path);
        this.feedbackButton(value, "negative_button", path);
        break;
      case "icon_button":
        this.str(value, "icon", path, { required: true, min: 1 });
        this.text(value.text, [...path, "text"], { max: LIMITS.buttonText, plainOnly: true });
        this.str(value, "accessibility_label", path, { max: LIMITS.accessibilityLabel, kind: "plain_text" });
        this.str(value, "value", path, { max: LIMITS.buttonValue, min: 1 });
        this.stringArray(value, "visible_to_user_ids", path);
        break;
      default:
        break;
    }
  }

  /** A rich_text block (or a rich_text_input's initial_value / a table cell). */
  richText(value: unknown, path: Path, withBlockId: boolean): void {
    if (!isObj(value)) {
      this.add(path, "must be a rich_text object");
      return;
    }
    if (value.type !== "rich_text") {
      this.add([...path, "type"], "must be rich_text");
      return;
    }
    // A rich_text_input's initial_value has no block_id of its own.
    this.keys(value, path, withBlockId ? ["type", "block_id", "elements"] : ["type", "elements"]);
    const list = this.items(value.elements, [...path, "elements"], 1, Infinity);
    list?.forEach((el, i) => {
      this.richTextPart(el, [...path, "elements", i]);
    });
  }

  richTextPart(value: unknown, path: Path): void {
    if (!isObj(value) || typeof value.type !== "string") {
      this.add(path, "missing required field: type");
      return;
    }
    const inline = (elements: unknown, p: Path, only?: readonly string[]) => {
      this.items(elements, p, 1, Infinity)?.forEach((e, i) => {
        this.richTextInline(e, [...p, i], only);
      });
    };
    switch (value.type) {
      case "rich_text_section":
        this.keys(value, path, ["type", "elements"]);
        inline(value.elements, [...path, "elements"]);
        break;
      case "rich_text_quote":
        this.keys(value, path, ["type", "elements", "border"]);
        this.oneOf(value, "border", path, [0, 1]);
        inline(value.elements, [...path, "elements"]);
        break;
      case "rich_text_preformatted":
        this.keys(value, path, ["type", "elements", "border", "language"]);
        this.oneOf(value, "border", path, [0, 1]);
        this.str(value, "language", path);
        inline(value.elements, [...path, "elements"], ["text", "link"]);
        break;
      case "rich_text_list":
        this.keys(value, path, ["type", "elements", "style", "indent", "offset", "border"]);
        this.oneOf(value, "style", path, ["bullet", "ordered"], true);
        this.int(value, "indent", path, 0, 8);
        this.int(value, "offset", path, 0, Infinity);
        this.oneOf(value, "border", path, [0, 1]);
        this.items(value.elements, [...path, "elements"], 1, Infinity)?.forEach((e, i) => {
          const p = [...path, "elements", i];
          if (!isObj(e) || e.type !== "rich_text_section") this.add(p, "must be a rich_text_section");
          else this.richTextPart(e, p);
        });
        break;
      default:
        this.add([...path, "type"], `unsupported rich text element type: ${value.type}`);
    }
  }

  richTextInline(value: unknown, path: Path, only?: readonly string[]): void {
    if (!isObj(value) || typeof value.type !== "string") {
      this.add(path, "missing required field: type");
      return;
    }
    const type = value.type;
    if (only && !only.includes(type)) {
      this.add([...path, "type"], `must be one of ${only.join(", ")}`);
      return;
    }
    const fields: Record<string, { keys: string[]; required: string[] }> = {
      text: { keys: ["text"], required: ["text"] },
      link: { keys: ["url", "text", "unsafe"], required: ["url"] },
      user: { keys: ["user_id"], required: ["user_id"] },
      usergroup: { keys: ["usergroup_id"], required: ["usergroup_id"] },
      channel: { keys: ["channel_id"], required: ["channel_id"] },
      team: { keys: ["team_id"], required: ["team_id"] },
      emoji: { keys: ["name", "unicode", "skin_tone", "url"], required: ["name"] },
      // Date element reference (docs.slack.dev/reference/block-kit/block-elements/date-element):
      // timestamp (Unix seconds) and format required; timezone, url, fallback optional.
      date: {
        keys: ["timestamp", "format", "timezone", "url", "fallback"],
        required: ["timestamp", "format"],
      },
      broadcast: { keys: ["range"], required: ["range"] },
      color: { keys: ["value"], required: ["value"] },
    };
    const spec = fields[type];
    if (!spec) {
      this.add([...path, "type"], `unsupported rich text element type: ${type}`);
      return;
    }
    this.keys(value, path, ["type", "style", ...spec.keys]);
    for (const key of spec.required) {
      if (value[key] === undefined) this.add(path, `missing required field: ${key}`);
    }
    for (const key of spec.keys) {
      if (key === "timestamp") this.int(value, key, path, 0, Infinity);
      else if (key === "unsafe") this.bool(value, key, path);
      else if (key === "skin_tone") this.int(value, key, path, 1, 6);
      else if (key === "range") this.oneOf(value, key, path, ["here", "channel", "everyone"]);
      else this.str(value, key, path, { min: key === "text" && type === "text" ? 1 : 0 });
    }
    const style = value.style;
    if (style !== undefined) {
      if (!isObj(style)) this.add([...path, "style"], "must be an object");
      else {
        this.keys(style, [...path, "style"], RICH_TEXT_STYLE_KEYS);
        for (const key of RICH_TEXT_STYLE_KEYS) this.bool(style, key, [...path, "style"]);
      }
    }
  }

  table(value: Obj, path: Path): void {
    const rows = this.items(value.rows, [...path, "rows"], 1, LIMITS.tableRows);
    rows?.forEach((row, r) => {
      const cells = this.items(row, [...path, "rows", r], 1, LIMITS.tableCells);
      cells?.forEach((cell, c) => {
        const p = [...path, "rows", r, c];
        if (isObj(cell) && cell.type === "raw_text") {
          this.keys(cell, p, ["type", "text"]);
          this.str(cell, "text", p, { required: true, min: 1 });
        } else if (isObj(cell) && cell.type === "rich_text") {
          this.richText(cell, p, true);
        } else {
          this.add(p, "must be a raw_text or rich_text cell");
        }
      });
    });
    if (value.column_settings !== undefined) {
      const settings = this.items(
        value.column_settings,
        [...path, "column_settings"],
        0,
        LIMITS.tableColumnSettings,
      );
      settings?.forEach((s, i) => {
        const p = [...path, "column_settings", i];
        if (s === null) return;
        if (!isObj(s)) {
          this.add(p, "must be an object");
          return;
        }
        this.keys(s, p, ["align", "is_wrapped"]);
        this.oneOf(s, "align", p, ["left", "center", "right"]);
        this.bool(s, "is_wrapped", p);
      });
    }
  }

  block(value: unknown, index: number, seenBlockIds: Set<string>): void {
    const path = [index];
    if (!this.typed(value, path, "must be a block object")) return;
    const type = value.type;
    const surfaces = BLOCK_SURFACES[type];
    if (!surfaces) {
      this.add([...path, "type"], `unsupported block type: ${type}`);
      return;
    }
    if (!surfaces.includes(this.surface)) {
      const why =
        type === "file"
          ? "file blocks are added by Slack for remote files"
          : `${type} blocks are not allowed in ${SURFACE_WORD[this.surface]}`;
      this.add([...path, "type"], why);
      return;
    }
    this.keys(value, path, ["type", "block_id", ...(BLOCK_KEYS[type] ?? [])]);
    if (value.block_id !== undefined) {
      if (typeof value.block_id !== "string") {
        this.add([...path, "block_id"], "must be a string");
      } else {
        this.length(value.block_id, [...path, "block_id"], { max: LIMITS.blockId, min: 1 });
        if (seenBlockIds.has(value.block_id)) {
          this.add([...path, "block_id"], `duplicate block_id: ${value.block_id}`);
        }
        seenBlockIds.add(value.block_id);
      }
    }
    switch (type) {
      case "section": {
        if (value.text === undefined && value.fields === undefined) {
          this.add(path, "must provide either text or fields");
        }
        if (value.text !== undefined) this.text(value.text, [...path, "text"], { max: LIMITS.sectionText });
        if (value.fields !== undefined) {
          const fields = this.items(value.fields, [...path, "fields"], 1, LIMITS.sectionFields);
          fields?.forEach((f, i) => {
            this.text(f, [...path, "fields", i], { max: LIMITS.sectionFieldText });
          });
        }
        if (value.accessory !== undefined) this.element(value.accessory, [...path, "accessory"], "accessory");
        this.bool(value, "expand", path);
        break;
      }
      case "header":
        this.text(value.text, [...path, "text"], { max: LIMITS.headerText, plainOnly: true });
        break;
      case "divider":
        break;
      case "context": {
        const elements = this.items(value.elements, [...path, "elements"], 1, LIMITS.contextElements);
        elements?.forEach((el, i) => {
          const ep = [...path, "elements", i];
          if (isObj(el) && el.type === "image") {
            this.keys(el, ep, ["type", ...(ELEMENT_KEYS.image ?? [])]);
            this.image(el, ep);
          } else this.text(el, ep, { max: LIMITS.contextText });
        });
        break;
      }
      case "actions":
      case "context_actions": {
        const max = type === "actions" ? LIMITS.actionsElements : LIMITS.contextActionsElements;
        const elements = this.items(value.elements, [...path, "elements"], 1, max);
        const actionIds = new Set<string>();
        elements?.forEach((el, i) => {
          this.element(el, [...path, "elements", i], type);
          if (isObj(el) && typeof el.action_id === "string") {
            if (actionIds.has(el.action_id)) {
              this.add([...path, "elements", i, "action_id"], `duplicate action_id: ${el.action_id}`);
            }
            actionIds.add(el.action_id);
          }
        });
        break;
      }
      case "image":
        this.image(value, path);
        if (value.title !== undefined) {
          this.text(value.title, [...path, "title"], { max: LIMITS.imageTitle, plainOnly: true });
        }
        break;
      case "input": {
        this.text(value.label, [...path, "label"], { max: LIMITS.inputLabel, plainOnly: true });
        if (value.hint !== undefined) {
          this.text(value.hint, [...path, "hint"], { max: LIMITS.inputHint, plainOnly: true });
        }
        this.bool(value, "optional", path);
        const dispatch = this.bool(value, "dispatch_action", path);
        if (value.element === undefined) this.add(path, "missing required field: element");
        else {
          this.element(value.element, [...path, "element"], "input");
          // input-block reference: dispatch_action with a file_input is an "unsupported type" error.
          if (dispatch && isObj(value.element) && value.element.type === "file_input") {
            this.add([...path, "dispatch_action"], "unsupported type: dispatch_action with file_input");
          }
        }
        break;
      }
      case "markdown": {
        const text = this.str(value, "text", path, { required: true, min: 1, max: LIMITS.markdownText });
        if (text !== undefined) {
          this.markdownTotal += text.length;
          if (this.markdownTotal > LIMITS.markdownTotal && text.length <= LIMITS.markdownText) {
            this.add(
              [...path, "text"],
              `markdown blocks together must be less than ${LIMITS.markdownTotal + 1} characters`,
            );
          }
        }
        break;
      }
      case "rich_text":
        this.richText(value, path, true);
        break;
      case "table":
        this.table(value, path);
        break;
      case "video":
        this.str(value, "alt_text", path, { required: true, min: 1, kind: "plain_text" });
        this.text(value.title, [...path, "title"], { max: LIMITS.videoTitle, plainOnly: true });
        if (value.description !== undefined) {
          this.text(value.description, [...path, "description"], { max: LIMITS.text, plainOnly: true });
        }
        this.str(value, "video_url", path, { required: true, min: 1, max: LIMITS.url });
        this.str(value, "thumbnail_url", path, { required: true, min: 1, max: LIMITS.url });
        this.str(value, "title_url", path, { max: LIMITS.url });
        this.str(value, "author_name", path, { max: LIMITS.videoAuthorName, kind: "plain_text" });
        this.str(value, "provider_name", path, { kind: "plain_text" });
        this.str(value, "provider_icon_url", path, { max: LIMITS.url });
        break;
      default:
        break;
    }
  }

  blocks(blocks: unknown, surface: Surface): void {
    if (!Array.isArray(blocks)) {
      this.add([], "must be an array");
      return;
    }
    const max = LIMITS.blocks[surface];
    if (blocks.length > max) this.add([], `must be less than ${max + 1} items`);
    const seen = new Set<string>();
    blocks.forEach((block, i) => {
      this.block(block, i, seen);
    });
  }
}

function sameOption(a: unknown, b: unknown): boolean {
  if (!isObj(a) || !isObj(b)) return false;
  const text = (o: Obj) => (isObj(o.text) ? `${String(o.text.type)}:${String(o.text.text)}` : "");
  return a.value === b.value && text(a) === text(b);
}

// ------------------------------------------------------------------------------------------------
// Blocks and views

export interface ValidateBlocksOptions {
  /** Where the blocks will be shown; decides the block count and which blocks fit. Default "message". */
  surface?: Surface;
  /** JSON pointer of the blocks array in the request. Default "/blocks". */
  pointer?: string;
}

/** Validates a `blocks` array; returns every issue found (empty when valid). No cumulative size. */
export function validateBlocks(blocks: unknown, options: ValidateBlocksOptions = {}): BlockKitIssue[] {
  const surface = options.surface ?? "message";
  const checker = new Checker(options.pointer ?? "/blocks", surface);
  checker.blocks(blocks, surface);
  return checker.issues;
}

export interface ValidateViewOptions {
  /** The view type the method requires: views.open/push/update want "modal", views.publish "home". */
  expectedType?: "modal" | "home";
  /** JSON pointer of the view in the request. Default "/view". */
  pointer?: string;
  /**
   * Leniency, for checking a view as Slack returns it (a views.* response, workspace.homeView())
   * rather than as an app sends it: also accepts the fields Slack adds (id, hash, state, ...).
   * Default false: sent back in a request, those fields are unknown properties.
   */
  asReturned?: boolean;
}

/** Fields Slack adds to a view it returns (slack-samples/api/views.publish.json). */
const RETURNED_VIEW_KEYS = [
  "id",
  "team_id",
  "state",
  "hash",
  "clear_on_close",
  "notify_on_close",
  "submit_disabled",
  "root_view_id",
  "previous_view_id",
  "app_id",
  "app_installed_team_id",
  "bot_id",
];

const VIEW_KEYS = {
  modal: [
    "type",
    "title",
    "blocks",
    "close",
    "submit",
    "private_metadata",
    "callback_id",
    "clear_on_close",
    "notify_on_close",
    "external_id",
  ],
  home: ["type", "blocks", "private_metadata", "callback_id", "external_id"],
} as const;

/** Validates a modal or App Home view object (title, buttons, metadata and blocks). */
export function validateView(view: unknown, options: ValidateViewOptions = {}): BlockKitIssue[] {
  const root = options.pointer ?? "/view";
  if (!isObj(view)) return [{ pointer: root, message: "must be a view object" }];
  const type = view.type;
  if (type !== "modal" && type !== "home")
    return [{ pointer: `${root}/type`, message: "must be one of modal, home" }];
  const checker = new Checker(root, type);
  if (options.expectedType && type !== options.expectedType) {
    checker.add(["type"], `must be ${options.expectedType}`);
  }
  // View reference (docs.slack.dev/surfaces/modals, app-home): a Home tab has no title or buttons.
  const returned = options.asReturned === true;
  const nullButtons = type === "home" ? ["title", "close", "submit"].filter((k) => view[k] === null) : [];
  checker.keys(
    view,
    [],
    returned ? [...VIEW_KEYS[type], ...RETURNED_VIEW_KEYS, ...nullButtons] : VIEW_KEYS[type],
  );
  if (type === "modal") {
    checker.text(view.title, ["title"], { max: LIMITS.viewTitle, plainOnly: true });
    for (const key of ["submit", "close"]) {
      if (view[key] !== undefined && view[key] !== null) {
        checker.text(view[key], [key], { max: LIMITS.viewButton, plainOnly: true });
      }
    }
    const hasInput = Array.isArray(view.blocks) && view.blocks.some((b) => isObj(b) && b.type === "input");
    if (hasInput && (view.submit === undefined || view.submit === null)) {
      checker.add([], "missing required field: submit (required when the view has input blocks)");
    }
    checker.bool(view, "clear_on_close", []);
    checker.bool(view, "notify_on_close", []);
  }
  checker.str(view, "external_id", [], { max: LIMITS.externalId, min: returned ? 0 : 1 });
  checker.str(view, "private_metadata", [], { max: LIMITS.privateMetadata });
  checker.str(view, "callback_id", [], { max: LIMITS.callbackId });
  if (view.blocks === undefined) {
    checker.add([], "missing required field: blocks");
  } else {
    const blocks = new Checker(`${root}/blocks`, type);
    blocks.blocks(view.blocks, type);
    checker.issues.push(...blocks.issues);
  }
  return checker.issues;
}

// ------------------------------------------------------------------------------------------------
// Whole payloads: what chat.postMessage / views.* answer

/** Slack's answer to a payload: accepted, or the error code with the issues behind it. */
export type Verdict = { ok: true } | { ok: false; error: string; issues: BlockKitIssue[] };

export interface MessagePayload {
  text?: unknown;
  blocks?: unknown;
  attachments?: unknown;
  metadata?: unknown;
}

export interface ValidateMessageOptions {
  /**
   * no_text when the message has no text, no blocks and no attachments (chat.postMessage's rule).
   * Default true; the emulator's chat.update checks its own variant.
   */
  requireContent?: boolean;
}

const ATTACHMENT_KEYS = [
  "fallback",
  "color",
  "pretext",
  "author_name",
  "author_link",
  "author_icon",
  "author_subname",
  "title",
  "title_link",
  "text",
  "fields",
  "image_url",
  "thumb_url",
  "footer",
  "footer_icon",
  "ts",
  "actions",
  "callback_id",
  "mrkdwn_in",
  "blocks",
  "id",
  "attachment_type",
  "app_unfurl_url",
  "is_app_unfurl",
  "app_id",
  "bot_id",
  "preview",
];

function fail(error: string, issues: BlockKitIssue[] = []): Verdict {
  return { ok: false, error, issues };
}

/** Form bodies carry objects as JSON strings; a string that is not JSON is Slack's *_format error. */
function parsed(value: unknown): { ok: true; value: unknown } | { ok: false } {
  if (typeof value !== "string") return { ok: true, value };
  try {
    return { ok: true, value: JSON.parse(value) as unknown };
  } catch {
    return { ok: false };
  }
}

function attachmentIssues(attachments: unknown[]): BlockKitIssue[] {
  const checker = new Checker("/attachments", "message");
  attachments.forEach((a, i) => {
    if (!isObj(a)) {
      checker.add([i], "must be an attachment object");
      return;
    }
    checker.keys(a, [i], ATTACHMENT_KEYS);
    for (const key of ATTACHMENT_KEYS) {
      if (["fields", "actions", "blocks", "mrkdwn_in", "preview", "is_app_unfurl", "id", "ts"].includes(key))
        continue;
      checker.str(a, key, [i]);
    }
    if (a.fields !== undefined) {
      checker.items(a.fields, [i, "fields"], 0, Infinity)?.forEach((f, j) => {
        const p = [i, "fields", j];
        if (!isObj(f)) checker.add(p, "must be a field object");
        else {
          checker.keys(f, p, ["title", "value", "short"]);
          checker.str(f, "title", p);
          checker.str(f, "value", p);
          checker.bool(f, "short", p);
        }
      });
    }
    // Blocks inside an attachment are checked like a message's own.
    if (a.blocks !== undefined) {
      checker.issues.push(...validateBlocks(a.blocks, { pointer: `/attachments/${i}/blocks` }));
    }
  });
  return checker.issues;
}

const EVENT_TYPE = /^[a-z0-9_]+$/;

function metadataVerdict(metadata: unknown): Verdict {
  const at = (pointer: string, message: string) => fail("invalid_metadata_schema", [{ pointer, message }]);
  if (!isObj(metadata)) return at("/metadata", "must be an object");
  for (const key of Object.keys(metadata)) {
    if (key !== "event_type" && key !== "event_payload") {
      return at("/metadata", `invalid additional property: ${key}`);
    }
  }
  const { event_type: type, event_payload: payload } = metadata;
  if (typeof type !== "string") return at("/metadata", "missing required field: event_type");
  // Metadata guide (docs.slack.dev/messaging/message-metadata/designing-metadata-event-schema):
  // alphanumeric and underscore; Slack silently drops metadata with a "." (bolt-python#863).
  if (!EVENT_TYPE.test(type) || type.length > LIMITS.metadataEventType) {
    return at("/metadata/event_type", "must be lowercase letters, digits and underscores (at most 255)");
  }
  if (!isObj(payload)) return at("/metadata", "missing required field: event_payload (an object)");
  // @slack/types MessageMetadata: values are string | number | boolean, an object of those, or an
  // array of such objects.
  const scalar = (v: unknown) =>
    typeof v === "string" || typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v));
  const flat = (v: unknown) => isObj(v) && Object.values(v).every(scalar);
  for (const [key, value] of Object.entries(payload)) {
    const ok =
      scalar(value) || flat(value) || (Array.isArray(value) && value.every((v) => scalar(v) || flat(v)));
    if (!ok)
      return at(
        `/metadata/event_payload/${escapePointer(key)}`,
        "must be a string, number, boolean, flat object or array of those",
      );
  }
  if (JSON.stringify(metadata).length > LIMITS.metadata) return fail("metadata_too_large");
  return { ok: true };
}

/**
 * Everything chat.postMessage applies to a message's content, in Slack's error codes:
 * invalid_blocks_format / invalid_blocks (with issues) / too_many_attachments / invalid_attachments /
 * invalid_metadata_format / invalid_metadata_schema / metadata_too_large / msg_blocks_too_long
 * (blocksSize) / msg_too_long (text over 40,000, see slackLength) / no_text.
 * Values may be objects or, as in form bodies, JSON strings.
 */
export function validateMessage(payload: MessagePayload, options: ValidateMessageOptions = {}): Verdict {
  const { text } = payload;
  if (text !== undefined && text !== null && typeof text !== "string") {
    return fail("invalid_arguments", [{ pointer: "/text", message: "must be a string" }]);
  }
  let blocks: unknown[] | undefined;
  if (payload.blocks !== undefined && payload.blocks !== null && payload.blocks !== "") {
    const p = parsed(payload.blocks);
    if (!p.ok || !Array.isArray(p.value)) {
      return fail("invalid_blocks_format", [{ pointer: "/blocks", message: "must be a JSON array" }]);
    }
    const issues = validateBlocks(p.value);
    if (issues.length > 0) return fail("invalid_blocks", issues);
    blocks = p.value;
  }
  let attachments: unknown[] | undefined;
  if (payload.attachments !== undefined && payload.attachments !== null && payload.attachments !== "") {
    const p = parsed(payload.attachments);
    if (!p.ok || !Array.isArray(p.value)) {
      return fail("invalid_attachments", [{ pointer: "/attachments", message: "must be a JSON array" }]);
    }
    // chat.postMessage errors: "A maximum of 100 attachments are allowed on a message."
    if (p.value.length > LIMITS.attachments) return fail("too_many_attachments");
    const issues = attachmentIssues(p.value);
    if (issues.length > 0) return fail("invalid_attachments", issues);
    attachments = p.value;
  }
  if (payload.metadata !== undefined && payload.metadata !== null && payload.metadata !== "") {
    const p = parsed(payload.metadata);
    if (!p.ok) return fail("invalid_metadata_format", [{ pointer: "/metadata", message: "must be JSON" }]);
    const verdict = metadataVerdict(p.value);
    if (!verdict.ok) return verdict;
  }
  const allBlocks = [
    ...(blocks ?? []),
    ...(attachments ?? []).flatMap((a) => (isObj(a) && Array.isArray(a.blocks) ? a.blocks : [])),
  ];
  const size = blocksSize(allBlocks);
  if (size > LIMITS.messageBlocksSize) {
    return fail("msg_blocks_too_long", [
      { pointer: "/blocks", message: `blocks add up to ${size}, more than ${LIMITS.messageBlocksSize}` },
    ]);
  }
  // Slack truncates text past 40,000 characters (changelog 2018-04-truncating-really-long-messages)
  // and documents msg_too_long; losing text silently is worse, so the emulator refuses it.
  if (typeof text === "string" && slackLength(text, "mrkdwn") > LIMITS.messageText) {
    return fail("msg_too_long", [
      { pointer: "/text", message: `must be less than ${LIMITS.messageText + 1} characters` },
    ]);
  }
  if (options.requireContent !== false) {
    const hasText = typeof text === "string" && text.length > 0;
    if (!hasText && !(blocks && blocks.length > 0) && !(attachments && attachments.length > 0)) {
      return fail("no_text");
    }
  }
  return { ok: true };
}

/**
 * What views.open / views.push / views.update (expectedType "modal") and views.publish ("home")
 * answer for a view: invalid_arguments with the issues (Slack's code for a bad view).
 */
export function validateViewPayload(view: unknown, options: ValidateViewOptions = {}): Verdict {
  const p = parsed(view);
  if (!p.ok)
    return fail("invalid_arguments", [{ pointer: options.pointer ?? "/view", message: "must be JSON" }]);
  const issues = validateView(p.value, options);
  return issues.length > 0 ? fail("invalid_arguments", issues) : { ok: true };
}

// ------------------------------------------------------------------------------------------------
// Reporting

/** Slack's response_metadata.messages strings. */
export function formatIssues(issues: BlockKitIssue[]): string[] {
  return issues.map((i) => `[ERROR] ${i.message} [json-pointer:${i.pointer}]`);
}

export class BlockKitError extends Error {
  constructor(readonly issues: BlockKitIssue[]) {
    super(`invalid Block Kit payload:\n${formatIssues(issues).join("\n")}`);
    this.name = "BlockKitError";
  }
}

/** Throws a BlockKitError listing every issue; handy in the app's unit tests of builders. */
export function assertValidBlocks(blocks: unknown, options: ValidateBlocksOptions = {}): void {
  const issues = validateBlocks(blocks, options);
  if (issues.length > 0) throw new BlockKitError(issues);
}

export function assertValidView(view: unknown, options: ValidateViewOptions = {}): void {
  const issues = validateView(view, options);
  if (issues.length > 0) throw new BlockKitError(issues);
}

/** Throws unless Slack would accept the whole message (the error code leads the message). */
export function assertValidMessage(payload: MessagePayload, options: ValidateMessageOptions = {}): void {
  const verdict = validateMessage(payload, options);
  if (!verdict.ok) {
    const error = new BlockKitError(verdict.issues);
    error.message = `${verdict.error}\n${error.message}`;
    throw error;
  }
}

// ------------------------------------------------------------------------------------------------
// Generated ids

const ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

function shortId(): string {
  let out = "";
  for (let i = 0; i < 5; i++) out += ID_ALPHABET[Math.floor(Math.random() * ID_ALPHABET.length)];
  return out;
}

function fillActionId(el: unknown): unknown {
  if (!isObj(el) || el.action_id !== undefined) return el;
  if (typeof el.type !== "string" || el.type === "image") return el;
  if (el.type === "plain_text" || el.type === "mrkdwn") return el;
  return { ...el, action_id: shortId() };
}

/**
 * Like Slack, stores blocks with a generated block_id where the sender gave none, and interactive
 * elements with a generated action_id, so block_actions payloads always carry both. Returns a copy.
 */
export function withGeneratedIds<T>(blocks: T[]): T[] {
  return blocks.map((block) => {
    if (!isObj(block)) return block;
    const out: Obj = { ...block };
    if (out.block_id === undefined) out.block_id = shortId();
    if (out.type === "actions" && Array.isArray(out.elements)) {
      out.elements = out.elements.map(fillActionId);
    }
    if (out.type === "section" && out.accessory !== undefined) {
      out.accessory = fillActionId(out.accessory);
    }
    if (out.type === "input" && out.element !== undefined) {
      out.element = fillActionId(out.element);
    }
    return out as T;
  });
}
