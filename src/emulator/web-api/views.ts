// views.*: modals (open and push need a trigger_id issued less than 3 s earlier and not used yet)
// and App Home (publish), both updatable by view_id or external_id.
import { formatIssues, validateView, withGeneratedIds } from "../blockkit.ts";
import { randomHex, randomId } from "../ids.ts";
import { missing, type Params, SlackApiError } from "../params.ts";
import type { JsonObject, SlackView } from "../types.ts";
import { clone } from "../workspace.ts";
import { type ApiContext, type ApiHandler, type MethodTable, ok } from "./shared.ts";

function newViewHash(): string {
  return `${Math.floor(Date.now() / 1000)}.${randomHex(8)}`;
}

function readView(params: Params, expectedType: "modal" | "home"): Record<string, unknown> {
  const view = params.json("view", "invalid_arguments");
  if (view === undefined) throw missing("view");
  const issues = validateView(view, { expectedType });
  if (issues.length > 0) throw new SlackApiError("invalid_arguments", formatIssues(issues));
  return view as Record<string, unknown>;
}

function buildView(
  ctx: ApiContext,
  input: Record<string, unknown>,
  ids: { id: string; rootViewId: string | null; previousViewId: string | null },
): SlackView {
  const str = (v: unknown) => (typeof v === "string" ? v : "");
  const view: SlackView = {
    id: ids.id,
    team_id: ctx.ws.team.id,
    type: str(input.type),
    blocks: withGeneratedIds((input.blocks as JsonObject[] | undefined) ?? []),
    private_metadata: str(input.private_metadata),
    callback_id: str(input.callback_id),
    state: { values: {} },
    hash: newViewHash(),
    clear_on_close: input.clear_on_close === true,
    notify_on_close: input.notify_on_close === true,
    submit_disabled: input.submit_disabled === true,
    external_id: str(input.external_id),
    root_view_id: ids.rootViewId,
    previous_view_id: ids.previousViewId,
    app_id: ctx.ws.bot.appId,
    app_installed_team_id: ctx.ws.team.id,
    bot_id: ctx.ws.bot.botId,
  };
  if (input.type === "modal") {
    view.title = clone(input.title) as JsonObject;
    view.close = (input.close as JsonObject | undefined) ?? null;
    view.submit = (input.submit as JsonObject | undefined) ?? null;
  }
  return view;
}

function assertExternalIdFree(ctx: ApiContext, externalId: unknown, exceptViewId?: string): void {
  if (typeof externalId !== "string" || externalId === "") return;
  const found = ctx.ws.findView({ externalId });
  if (!found) return;
  const id = found.kind === "modal" ? found.record.view.id : found.view.id;
  if (id !== exceptViewId) throw new SlackApiError("duplicate_external_id");
}

const viewsOpen: ApiHandler = (ctx, params) => {
  const triggerId = params.requireString("trigger_id");
  const input = readView(params, "modal");
  const trigger = ctx.triggers.check(triggerId);
  if (!trigger.ok) throw new SlackApiError(trigger.error);
  assertExternalIdFree(ctx, input.external_id);
  ctx.triggers.consume(triggerId);
  // A new modal starts a new stack: whatever the user had open is gone (Slack's UI allows one).
  for (const r of ctx.ws.openViews) if (r.userId === trigger.userId) r.isOpen = false;
  const id = randomId("V");
  const view = buildView(ctx, input, { id, rootViewId: id, previousViewId: null });
  ctx.ws.openViews.push({ id, trigger: triggerId, userId: trigger.userId, view, isOpen: true });
  return ok({ view: clone(view) as unknown as JsonObject });
};

const viewsPush: ApiHandler = (ctx, params) => {
  const triggerId = params.requireString("trigger_id");
  const input = readView(params, "modal");
  const trigger = ctx.triggers.check(triggerId);
  if (!trigger.ok) throw new SlackApiError(trigger.error);
  const stack = ctx.ws.openViews.filter((r) => r.isOpen && r.userId === trigger.userId);
  const top = stack[stack.length - 1];
  if (stack.length >= 3) throw new SlackApiError("push_limit_reached");
  assertExternalIdFree(ctx, input.external_id);
  ctx.triggers.consume(triggerId);
  const id = randomId("V");
  const view = buildView(ctx, input, {
    id,
    rootViewId: top?.view.root_view_id ?? id,
    previousViewId: top?.view.id ?? null,
  });
  ctx.ws.openViews.push({ id, trigger: triggerId, userId: trigger.userId, view, isOpen: true });
  return ok({ view: clone(view) as unknown as JsonObject });
};

const viewsUpdate: ApiHandler = (ctx, params) => {
  const viewId = params.string("view_id");
  const externalId = params.string("external_id");
  if (!viewId && !externalId) throw missing("view_id");
  const found = ctx.ws.findView({
    ...(viewId ? { viewId } : {}),
    ...(externalId ? { externalId } : {}),
  });
  if (!found || (found.kind === "modal" && !found.record.isOpen)) {
    throw new SlackApiError("not_found");
  }
  const current = found.kind === "modal" ? found.record.view : found.view;
  const input = readView(params, found.kind === "modal" ? "modal" : "home");
  const hash = params.string("hash");
  if (hash && hash !== current.hash) throw new SlackApiError("hash_conflict");
  assertExternalIdFree(ctx, input.external_id, current.id);
  const view = buildView(ctx, input, {
    id: current.id,
    rootViewId: current.root_view_id,
    previousViewId: current.previous_view_id,
  });
  if (found.kind === "modal") found.record.view = view;
  else ctx.ws.homeViews.set(found.userId, view);
  return ok({ view: clone(view) as unknown as JsonObject });
};

const viewsPublish: ApiHandler = (ctx, params) => {
  const userId = params.requireString("user_id");
  const user = ctx.ws.user(userId);
  if (!user) throw new SlackApiError("user_not_found");
  const input = readView(params, "home");
  const current = ctx.ws.homeViews.get(userId);
  const hash = params.string("hash");
  if (hash && current && hash !== current.hash) throw new SlackApiError("hash_conflict");
  const id = current?.id ?? randomId("V");
  assertExternalIdFree(ctx, input.external_id, id);
  const view = buildView(ctx, input, { id, rootViewId: null, previousViewId: null });
  ctx.ws.homeViews.set(userId, view);
  return ok({ view: clone(view) as unknown as JsonObject });
};

export const VIEWS_METHODS: MethodTable = {
  "views.open": viewsOpen,
  "views.push": viewsPush,
  "views.update": viewsUpdate,
  "views.publish": viewsPublish,
};
