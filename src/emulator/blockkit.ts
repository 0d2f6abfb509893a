// Block Kit validation, as Slack's API applies it before accepting a message or a view.
//
// Pure module (no I/O, no emulator state): the emulator uses it for chat.postMessage, chat.update,
// chat.postEphemeral, response_url posts and views.*, and the app's own tests may import it to
// check their block builders. Issues carry a JSON pointer and a message worded the way Slack words
// them ("must be less than 3001 characters"); formatIssues() renders Slack's
// "[ERROR] <message> [json-pointer:/blocks/0/text/text]" strings used in response_metadata.messages.
//
// The limits are the documented ones (Block Kit reference). Where Slack's exact wording is not
// known the message is descriptive; the pointer is always exact.

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
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  headerText: 150,
  contextElements: 10,
  contextText: 3000,
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
  inputLabel: 2000,
  inputHint: 2000,
  textInputLength: 3000,
  markdownText: 12000,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  viewTitle: 24,
  viewButton: 24,
  privateMetadata: 3000,
  callbackId: 255,
  externalId: 255,
} as const;

const BLOCK_TYPES = new Set([
  "actions",
  "context",
  "divider",
  "file",
  "header",
  "image",
  "input",
  "markdown",
  "rich_text",
  "section",
  "video",
  "table",
  "context_actions",
]);

const SELECTS = [
  "static_select",
  "external_select",
  "users_select",
  "conversations_select",
  "channels_select",
  "multi_static_select",
  "multi_external_select",
  "multi_users_select",
  "multi_conversations_select",
  "multi_channels_select",
];

const ACCESSORY_TYPES = new Set([
  "button",
  "checkboxes",
  "datepicker",
  "image",
  "overflow",
  "radio_buttons",
  "timepicker",
  "workflow_button",
  ...SELECTS,
]);

const ACTIONS_TYPES = new Set([
  "button",
  "checkboxes",
  "datepicker",
  "datetimepicker",
  "overflow",
  "radio_buttons",
  "timepicker",
  "workflow_button",
  "rich_text_input",
  ...SELECTS,
]);

const INPUT_TYPES = new Set([
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
]);

type Obj = Record<string, unknown>;

function isObj(value: unknown): value is Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function escapePointer(segment: string | number): string {
  return String(segment).replace(/~/g, "~0").replace(/\//g, "~1");
}

class Checker {
  readonly issues: BlockKitIssue[] = [];

  constructor(private readonly root: string) {}

  ptr(path: (string | number)[]): string {
    return this.root + path.map((p) => `/${escapePointer(p)}`).join("");
  }

  add(path: (string | number)[], message: string): void {
    this.issues.push({ pointer: this.ptr(path), message });
  }

  maxLen(value: unknown, max: number, path: (string | number)[]): void {
    if (typeof value === "string" && value.length > max) {
      this.add(path, `must be less than ${max + 1} characters`);
    }
  }

  optString(obj: Obj, key: string, max: number, path: (string | number)[]): void {
    const value = obj[key];
    if (value === undefined) return;
    if (typeof value !== "string") {
      this.add([...path, key], "must be a string");
      return;
    }
    this.maxLen(value, max, [...path, key]);
  }

  /** A composition text object: { type: "plain_text" | "mrkdwn", text }. */
  text(
    value: unknown,
    path: (string | number)[],
    opts: { max: number; plainOnly?: boolean; required?: boolean; field?: string },
  ): void {
    if (value === undefined) {
      if (opts.required !== false) {
        const parent = path.slice(0, -1);
        this.add(parent, `missing required field: ${String(path[path.length - 1])}`);
      }
      return;
    }
    if (!isObj(value)) {
      this.add(path, "must be a text object");
      return;
    }
    const type = value.type;
    if (type === undefined) {
      this.add(path, "missing required field: type");
    } else if (opts.plainOnly && type !== "plain_text") {
      this.add([...path, "type"], "must be plain_text");
    } else if (type !== "plain_text" && type !== "mrkdwn") {
      this.add([...path, "type"], "must be one of plain_text, mrkdwn");
    }
    const text = value.text;
    if (text === undefined) {
      this.add(path, "missing required field: text");
    } else if (typeof text !== "string") {
      this.add([...path, "text"], "must be a string");
    } else if (text.length === 0) {
      this.add([...path, "text"], "must be more than 0 characters");
    } else {
      this.maxLen(text, opts.max, [...path, "text"]);
    }
  }

  items(value: unknown, path: (string | number)[], min: number, max: number): unknown[] | undefined {
    if (!Array.isArray(value)) {
      this.add(path, "must be an array");
      return undefined;
    }
    if (value.length < min) this.add(path, `must provide at least ${min} items`);
    if (value.length > max) this.add(path, `must be less than ${max + 1} items`);
    return value;
  }

  actionId(el: Obj, path: (string | number)[]): void {
    this.optString(el, "action_id", LIMITS.actionId, path);
  }

  confirm(value: unknown, path: (string | number)[]): void {
    if (value === undefined) return;
    if (!isObj(value)) {
      this.add(path, "must be a confirmation dialog object");
      return;
    }
    this.text(value.title, [...path, "title"], { max: LIMITS.confirmTitle, plainOnly: true });
    this.text(value.text, [...path, "text"], { max: LIMITS.confirmText });
    this.text(value.confirm, [...path, "confirm"], {
      max: LIMITS.confirmButton,
      plainOnly: true,
    });
    this.text(value.deny, [...path, "deny"], { max: LIMITS.confirmButton, plainOnly: true });
  }

  option(value: unknown, path: (string | number)[], allowMrkdwn: boolean): void {
    if (!isObj(value)) {
      this.add(path, "must be an option object");
      return;
    }
    this.text(value.text, [...path, "text"], {
      max: LIMITS.optionText,
      plainOnly: !allowMrkdwn,
    });
    if (value.value === undefined) this.add(path, "missing required field: value");
    else if (typeof value.value !== "string") this.add([...path, "value"], "must be a string");
    else this.maxLen(value.value, LIMITS.optionValue, [...path, "value"]);
    if (value.description !== undefined) {
      this.text(value.description, [...path, "description"], {
        max: LIMITS.optionDescription,
        plainOnly: !allowMrkdwn,
      });
    }
    this.optString(value, "url", LIMITS.url, path);
  }

  options(value: unknown, path: (string | number)[], min: number, max: number, mrkdwn: boolean) {
    const list = this.items(value, path, min, max);
    list?.forEach((o, i) => {
      this.option(o, [...path, i], mrkdwn);
    });
  }

  placeholder(el: Obj, path: (string | number)[]): void {
    if (el.placeholder !== undefined) {
      this.text(el.placeholder, [...path, "placeholder"], {
        max: LIMITS.placeholder,
        plainOnly: true,
      });
    }
  }

  imageElement(el: Obj, path: (string | number)[], maxAlt: number): void {
    if (el.image_url === undefined && el.slack_file === undefined) {
      this.add(path, "missing required field: image_url");
    }
    this.optString(el, "image_url", LIMITS.url, path);
    if (el.alt_text === undefined) this.add(path, "missing required field: alt_text");
    else this.optString(el, "alt_text", maxAlt, path);
  }

  element(value: unknown, path: (string | number)[], allowed: Set<string>): void {
    if (!isObj(value)) {
      this.add(path, "must be an element object");
      return;
    }
    const type = value.type;
    if (typeof type !== "string") {
      this.add(path, "missing required field: type");
      return;
    }
    if (!allowed.has(type)) {
      this.add(path, "failed to match all allowed schemas");
      return;
    }
    this.actionId(value, path);
    this.confirm(value.confirm, [...path, "confirm"]);
    switch (type) {
      case "button":
      case "workflow_button":
        this.text(value.text, [...path, "text"], { max: LIMITS.buttonText, plainOnly: true });
        this.optString(value, "value", LIMITS.buttonValue, path);
        this.optString(value, "url", LIMITS.url, path);
        this.optString(value, "accessibility_label", LIMITS.accessibilityLabel, path);
        if (value.style !== undefined && value.style !== "primary" && value.style !== "danger") {
          this.add([...path, "style"], "must be one of primary, danger");
        }
        break;
      case "static_select":
      case "multi_static_select": {
        this.placeholder(value, path);
        const hasOptions = value.options !== undefined;
        const hasGroups = value.option_groups !== undefined;
        if (hasOptions && hasGroups) {
          this.add(path, "must provide either options or option_groups, not both");
        } else if (!hasOptions && !hasGroups) {
          this.add(path, "missing required field: options");
        } else if (hasOptions) {
          this.options(value.options, [...path, "options"], 1, LIMITS.selectOptions, false);
        } else {
          const groups = this.items(value.option_groups, [...path, "option_groups"], 1, LIMITS.optionGroups);
          groups?.forEach((g, i) => {
            const gp = [...path, "option_groups", i];
            if (!isObj(g)) {
              this.add(gp, "must be an option group object");
              return;
            }
            this.text(g.label, [...gp, "label"], {
              max: LIMITS.optionGroupLabel,
              plainOnly: true,
            });
            this.options(g.options, [...gp, "options"], 1, LIMITS.selectOptions, false);
          });
        }
        break;
      }
      case "overflow":
        this.options(value.options, [...path, "options"], 1, LIMITS.overflowOptions, false);
        break;
      case "checkboxes":
        this.options(value.options, [...path, "options"], 1, LIMITS.checkboxOptions, true);
        break;
      case "radio_buttons":
        this.options(value.options, [...path, "options"], 1, LIMITS.radioOptions, true);
        break;
      case "image":
        this.imageElement(value, path, LIMITS.imageAltText);
        break;
      case "plain_text_input":
      case "email_text_input":
      case "url_text_input":
      case "number_input":
        this.placeholder(value, path);
        for (const key of ["min_length", "max_length"]) {
          const n = value[key];
          if (n !== undefined && (typeof n !== "number" || n < 0 || n > LIMITS.textInputLength)) {
            this.add([...path, key], `must be a number between 0 and ${LIMITS.textInputLength}`);
          }
        }
        break;
      default:
        this.placeholder(value, path);
    }
  }

  block(value: unknown, index: number, seenBlockIds: Map<string, number>): void {
    const path = [index];
    if (!isObj(value)) {
      this.add(path, "must be a block object");
      return;
    }
    const type = value.type;
    if (typeof type !== "string") {
      this.add(path, "missing required field: type");
      return;
    }
    if (!BLOCK_TYPES.has(type)) {
      this.add([...path, "type"], `unsupported block type: ${type}`);
      return;
    }
    if (value.block_id !== undefined) {
      if (typeof value.block_id !== "string") {
        this.add([...path, "block_id"], "must be a string");
      } else {
        this.maxLen(value.block_id, LIMITS.blockId, [...path, "block_id"]);
        if (seenBlockIds.has(value.block_id)) {
          this.add([...path, "block_id"], `duplicate block_id: ${value.block_id}`);
        } else {
          seenBlockIds.set(value.block_id, index);
        }
      }
    }
    switch (type) {
      case "section": {
        if (value.text === undefined && value.fields === undefined) {
          this.add(path, "must provide either text or fields");
        }
        if (value.text !== undefined) {
          this.text(value.text, [...path, "text"], { max: LIMITS.sectionText });
        }
        if (value.fields !== undefined) {
          const fields = this.items(value.fields, [...path, "fields"], 1, LIMITS.sectionFields);
          fields?.forEach((f, i) => {
            this.text(f, [...path, "fields", i], { max: LIMITS.sectionFieldText });
          });
        }
        if (value.accessory !== undefined) {
          this.element(value.accessory, [...path, "accessory"], ACCESSORY_TYPES);
        }
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
          if (isObj(el) && el.type === "image") this.imageElement(el, ep, LIMITS.imageAltText);
          else this.text(el, ep, { max: LIMITS.contextText });
        });
        break;
      }
      case "actions": {
        const elements = this.items(value.elements, [...path, "elements"], 1, LIMITS.actionsElements);
        const actionIds = new Set<string>();
        elements?.forEach((el, i) => {
          this.element(el, [...path, "elements", i], ACTIONS_TYPES);
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
        this.imageElement(value, path, LIMITS.imageAltText);
        if (value.title !== undefined) {
          this.text(value.title, [...path, "title"], { max: LIMITS.imageTitle, plainOnly: true });
        }
        break;
      case "input":
        this.text(value.label, [...path, "label"], { max: LIMITS.inputLabel, plainOnly: true });
        if (value.hint !== undefined) {
          this.text(value.hint, [...path, "hint"], { max: LIMITS.inputHint, plainOnly: true });
        }
        if (value.element === undefined) this.add(path, "missing required field: element");
        else this.element(value.element, [...path, "element"], INPUT_TYPES);
        break;
      case "markdown":
        if (typeof value.text !== "string") this.add(path, "missing required field: text");
        else this.maxLen(value.text, LIMITS.markdownText, [...path, "text"]);
        break;
      case "rich_text":
        if (!Array.isArray(value.elements)) this.add(path, "missing required field: elements");
        break;
      default:
        break;
    }
  }
}

export interface ValidateBlocksOptions {
  /** Where the blocks will be shown; decides the block count limit. Default "message". */
  surface?: Surface;
  /** JSON pointer of the blocks array in the request. Default "/blocks". */
  pointer?: string;
}

/** Validates a `blocks` array; returns every issue found (empty when valid). */
export function validateBlocks(blocks: unknown, options: ValidateBlocksOptions = {}): BlockKitIssue[] {
  const surface = options.surface ?? "message";
  const checker = new Checker(options.pointer ?? "/blocks");
  if (!Array.isArray(blocks)) {
    checker.add([], "must be an array");
    return checker.issues;
  }
  const max = LIMITS.blocks[surface];
  if (blocks.length > max) checker.add([], `must be less than ${max + 1} items`);
  const seen = new Map<string, number>();
  blocks.forEach((block, i) => {
    checker.block(block, i, seen);
  });
  return checker.issues;
}

export interface ValidateViewOptions {
  /** The view type the method requires: views.open/push/update want "modal", views.publish "home". */
  expectedType?: "modal" | "home";
  /** JSON pointer of the view in the request. Default "/view". */
  pointer?: string;
}

/** Validates a modal or App Home view object (title, buttons, metadata and blocks). */
export function validateView(view: unknown, options: ValidateViewOptions = {}): BlockKitIssue[] {
  const root = options.pointer ?? "/view";
  const checker = new Checker(root);
  if (!isObj(view)) {
    checker.add([], "must be a view object");
    return checker.issues;
  }
  const type = view.type;
  if (type !== "modal" && type !== "home") {
    checker.add(["type"], "must be one of modal, home");
    return checker.issues;
  }
  if (options.expectedType && type !== options.expectedType) {
    checker.add(["type"], `must be ${options.expectedType}`);
  }
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
    checker.optString(view, "external_id", LIMITS.externalId, []);
  }
  checker.optString(view, "private_metadata", LIMITS.privateMetadata, []);
  checker.optString(view, "callback_id", LIMITS.callbackId, []);
  if (view.blocks === undefined) {
    checker.add([], "missing required field: blocks");
  } else {
    checker.issues.push(...validateBlocks(view.blocks, { surface: type, pointer: `${root}/blocks` }));
  }
  return checker.issues;
}

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
