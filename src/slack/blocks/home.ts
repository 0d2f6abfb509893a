// The App Home tab in Block Kit, from the home model (src/core/home.ts). Pure. Whatever the
// figures, the view stays within Slack's limits: at most 100 blocks, 3,000 characters a section;
// long lists are packed into a few sections and end with "… and N more".

import type { HomeView, KnownBlock, ModalView, SectionBlock } from "@slack/types";
import { describeHours } from "../../core/business-hours.ts";
import type { Availability } from "../../core/domain.ts";
import type { ConversationLine, HomeModel, PageInfo } from "../../core/home.ts";
import { cutMrkdwn, fitText, packLines as packTexts, SLACK_LIMITS } from "../../core/slack-fit.ts";
import { cut, escapeSlackText, linkLabel, count as n, plural, slackDate } from "../../core/slack-text.ts";
import { formatDuration } from "../../core/summary.ts";
import { responseBlocks, responseTitle } from "./response-figures.ts";

/** The home's controls. Every click is checked on the server like a /desk command. */
export const HOME_ACTIONS = {
  status: { online: "home_status_online", away: "home_status_away", offline: "home_status_offline" },
  pagePrev: "home_page_prev",
  pageNext: "home_page_next",
  teamPagePrev: "home_team_page_prev",
  teamPageNext: "home_team_page_next",
} as const;

const MAX_BLOCKS = SLACK_LIMITS.blocksPerView;
const SECTION_MAX = SLACK_LIMITS.sectionText;

const STATUS: Record<Availability, { emoji: string; label: string; note: string }> = {
  online: { emoji: ":large_green_circle:", label: "Online", note: "New conversations can reach you." },
  away: {
    emoji: ":crescent_moon:",
    label: "Away",
    note: "New conversations go to others; your open ones stay yours.",
  },
  offline: {
    emoji: ":white_circle:",
    label: "Offline",
    note: "New conversations go to others; your open ones stay yours.",
  },
};

/** Slack's link to a thread, as chat.getPermalink answers for a thread's root message. */
export function threadLink(workspaceUrl: string, channel: string, ts: string): string {
  const base = workspaceUrl.endsWith("/") ? workspaceUrl : `${workspaceUrl}/`;
  return `${base}archives/${channel}/p${ts.replace(".", "")}`;
}

// Every text is measured as Slack counts it (src/core/slack-fit.ts): headers are plain_text (sent
// as they are), sections and context HeroDesk's own mrkdwn, cut never inside an entity or a link.
const header = (text: string): KnownBlock => ({
  type: "header",
  text: { type: "plain_text", text: fitText(text, SLACK_LIMITS.headerText), emoji: true },
});
const context = (text: string): KnownBlock => ({
  type: "context",
  elements: [{ type: "mrkdwn", text: cutMrkdwn(text, SLACK_LIMITS.contextText) }],
});
const section = (text: string): SectionBlock => ({
  type: "section",
  text: { type: "mrkdwn", text: cutMrkdwn(text, SECTION_MAX) },
});
const divider: KnownBlock = { type: "divider" };

/**
 * Lines packed into at most `maxBlocks` sections of at most 3,000 characters, the first starting
 * with `title`; lines that do not fit are summed up in a last "… and N more" line.
 */
export function packLines(
  lines: readonly string[],
  options: { title?: string; maxBlocks: number; more?: (count: number) => string },
): SectionBlock[] {
  return packTexts(lines, {
    maxTexts: options.maxBlocks,
    ...(options.title !== undefined ? { title: options.title } : {}),
    ...(options.more ? { more: options.more } : {}),
  }).map(section);
}

export interface HomeRenderOptions {
  /** `https://<workspace>.slack.com/` (auth.test's url), for links to threads; null: no links. */
  workspaceUrl: string | null;
}

export function homeView(model: HomeModel, options: HomeRenderOptions): HomeView {
  const blocks: KnownBlock[] = model.stranger ? strangerBlocks(model.stranger.admins) : [];
  if (!model.stranger) {
    blocks.push(header("HeroDesk"));
    if (model.attention) blocks.push(...attentionBlocks(model.attention), divider);
    if (model.me) blocks.push(...myBlocks(model.me, options));
    else if (model.canJoin)
      blocks.push(
        section(
          "You can see the team here but hold no conversations. To take some, add yourself as an agent: `/desk agent add @you admin`.",
        ),
      );
    if (model.team) blocks.push(divider, ...teamBlocks(model.team, options));
    if (model.setup) blocks.push(divider, ...setupBlocks(model.setup));
  }
  blocks.push(
    context(
      `Updated ${slackDate(model.now, "{date_short_pretty} {time}")} · \`/desk help\` lists every command`,
    ),
  );
  if (blocks.length > MAX_BLOCKS) {
    // Never expected (each part has a fixed budget), but a home that Slack refuses shows nothing.
    blocks.splice(MAX_BLOCKS - 1);
    blocks.push(context("Some of your home did not fit; `/desk` shows the rest."));
  }
  return { type: "home", blocks };
}

/** What only an admin can fix, first on their home. Problem texts are HeroDesk's own mrkdwn. */
function attentionBlocks(a: NonNullable<HomeModel["attention"]>): KnownBlock[] {
  return [
    section(`:warning: *Needs you* (${a.problems.length + a.more})`),
    ...a.problems.map((p) =>
      section(`${p.advice}\n_${p.waiting} Since ${slackDate(p.since, "{date_short_pretty} {time}")}._`),
    ),
    ...(a.more ? [context(`…and ${a.more} more: \`/desk waiting\` lists them all.`)] : []),
  ];
}

function strangerBlocks(admins: readonly string[]): KnownBlock[] {
  const who = admins.length
    ? `Ask an admin (${admins
        .slice(0, 10)
        .map((a) => `<@${a}>`)
        .join(", ")}) to add you`
    : "Ask a HeroDesk admin to add you";
  return [
    header("Welcome to HeroDesk"),
    section(
      "HeroDesk brings customer conversations into Slack: each one is a thread, routed to the right agent, and agents answer right there.",
    ),
    section(
      `*You're not a HeroDesk agent yet.* ${who} with \`/desk agent add @you\`. Once you're in, this tab shows your availability and your open conversations.`,
    ),
  ];
}

function conversationLine(c: ConversationLine, options: HomeRenderOptions): string {
  const label = `#${c.number} ${cut(c.customerName, 60)}`;
  const title =
    options.workspaceUrl && c.threadTs
      ? `<${threadLink(options.workspaceUrl, c.channel, c.threadTs)}|${linkLabel(label)}>`
      : `*${escapeSlackText(label)}*`;
  const waiting =
    c.waitMs === null ? "answered" : `:hourglass_flowing_sand: waiting ${formatDuration(c.waitMs)}`;
  return `• ${title} · ${escapeSlackText(cut(c.sourceId, 40))} · ${waiting}`;
}

function pageButtons(blockId: string, page: PageInfo, actions: { prev: string; next: string }): KnownBlock[] {
  if (page.pages <= 1) return [];
  const elements = [];
  if (page.page > 0)
    elements.push({
      type: "button" as const,
      action_id: actions.prev,
      text: { type: "plain_text" as const, text: "← Previous", emoji: true },
      value: String(page.page - 1),
    });
  if (page.page < page.pages - 1)
    elements.push({
      type: "button" as const,
      action_id: actions.next,
      text: { type: "plain_text" as const, text: "Next →", emoji: true },
      value: String(page.page + 1),
    });
  return [{ type: "actions", block_id: blockId, elements }];
}

function myBlocks(me: NonNullable<HomeModel["me"]>, options: HomeRenderOptions): KnownBlock[] {
  const status = STATUS[me.status];
  const load = me.capacity
    ? `${n(me.open)} of ${n(me.capacity)} open${me.full ? " · :red_circle: full" : ` · ${n(me.capacity - me.open)} free`}`
    : `${n(me.open)} open · no limit`;
  const blocks: KnownBlock[] = [
    {
      type: "section",
      fields: [
        { type: "mrkdwn", text: `*Availability*\n${status.emoji} ${status.label}` },
        { type: "mrkdwn", text: `*Your conversations*\n${load}` },
      ],
    },
    context(status.note),
    {
      type: "actions",
      block_id: "home_status",
      elements: (["online", "away", "offline"] as const).map((s) => ({
        type: "button" as const,
        action_id: HOME_ACTIONS.status[s],
        text: { type: "plain_text" as const, text: `${STATUS[s].emoji} ${STATUS[s].label}`, emoji: true },
        value: s,
        ...(s === me.status ? { style: "primary" as const } : {}),
      })),
    },
    header(`Your open conversations (${n(me.open)})`),
  ];
  if (!me.conversations.length) {
    blocks.push(
      section(
        me.status === "online"
          ? "Nothing open. New conversations reach you while you're online."
          : "Nothing open. Go online to take new conversations.",
      ),
    );
    return blocks;
  }
  blocks.push(
    ...packLines(
      me.conversations.map((c) => conversationLine(c, options)),
      { maxBlocks: 2 },
    ),
  );
  if (me.page.pages > 1 || me.page.more)
    blocks.push(
      context(
        `Showing ${n(me.page.from)}–${n(me.page.to)} of ${n(me.page.total)}${me.page.more ? ` · and ${n(me.page.more)} more` : ""} · page ${me.page.page + 1} of ${n(me.page.pages)}`,
      ),
    );
  blocks.push(
    ...pageButtons("home_pages", me.page, { prev: HOME_ACTIONS.pagePrev, next: HOME_ACTIONS.pageNext }),
  );
  return blocks;
}

function teamBlocks(team: NonNullable<HomeModel["team"]>, options: HomeRenderOptions): KnownBlock[] {
  const t = team.totals;
  const blocks: KnownBlock[] = [
    header("Team load"),
    context(
      `${plural(t.agents, "agent")}: ${n(t.online)} online, ${n(t.away)} away, ${n(t.offline)} offline${t.full ? ` · ${n(t.full)} full` : ""} · ` +
        `*${n(t.open)}* open · *${n(t.new)}* assigned and *${n(t.closed)}* closed today (from midnight, ${escapeSlackText(team.timezone)})`,
    ),
  ];
  if (team.rows.length) {
    const lines = team.rows.map((a) => {
      const load = a.capacity ? `*${n(a.open)}*/${n(a.capacity)} open` : `*${n(a.open)}* open (no limit)`;
      return `${STATUS[a.status].emoji} <@${a.slackUserId}> · ${load} · ${n(a.new)} assigned · ${n(a.closed)} closed${a.full ? " · :red_circle: full" : ""}`;
    });
    blocks.push(...packLines(lines, { maxBlocks: 3 }));
    if (team.page.pages > 1)
      blocks.push(
        context(
          `Agents ${n(team.page.from)}–${n(team.page.to)} of ${n(team.page.total)}, busiest first${team.page.more ? ` · and ${n(team.page.more)} more` : ""}`,
        ),
      );
    blocks.push(
      ...pageButtons("home_team_pages", team.page, {
        prev: HOME_ACTIONS.teamPagePrev,
        next: HOME_ACTIONS.teamPageNext,
      }),
    );
  } else blocks.push(section("No agents yet: an admin adds them with `/desk agent add @someone`."));

  const q = team.queue;
  blocks.push(header("Queue"));
  const oldest = q.oldestWaitMs !== null ? ` · oldest waiting *${formatDuration(q.oldestWaitMs)}*` : "";
  const hero = q.heroWaiting ? `\n*${n(q.heroWaiting)}* waiting for their busy hero` : "";
  blocks.push(
    section(
      q.count
        ? `*${n(q.count)}* ${q.count === 1 ? "conversation is" : "conversations are"} waiting for an agent${oldest}${hero}`
        : `Nobody is waiting in the queue. :tada:${hero}`,
    ),
  );
  if (q.longest.length)
    blocks.push(
      ...packLines(
        [
          ...q.longest.map((c) => conversationLine(c, options)),
          ...(q.more ? [`_… and ${n(q.more)} more: \`/desk queue\`_`] : []),
        ],
        { title: "*Longest waiting*", maxBlocks: 1 },
      ),
    );

  const r = team.responses;
  const longestWait = r.oldestWaiting;
  blocks.push(
    header(`${responseTitle(r.overall)} today`),
    context(
      `In business time: answers from midnight (${escapeSlackText(team.timezone)}); past due counts the waits still unanswered now`,
    ),
    ...responseBlocks(r, {
      median: true,
      person: (a) => `<@${a.slackUserId}>`,
      oldestLink:
        options.workspaceUrl && longestWait?.threadTs
          ? threadLink(options.workspaceUrl, longestWait.channel, longestWait.threadTs)
          : null,
    }),
  );

  blocks.push(header("Heroes"));
  const heroLines = team.heroes.map(
    (h) =>
      `• ${h.kind === "agent" ? `<@${h.ref}>` : `Team ${escapeSlackText(cut(h.name, 80))}`} · *${n(h.open)}* open for ${plural(h.customers, "customer")}`,
  );
  blocks.push(
    ...packLines(heroLines.length ? heroLines : ["_No hero has open conversations._"], {
      title: "*Most open conversations*",
      maxBlocks: 1,
    }),
  );
  if (team.heroWaits.count) {
    const waits = team.heroWaits.first.map((w) => {
      const who = !w.hero
        ? "their hero"
        : w.hero.kind === "agent"
          ? `<@${w.hero.ref}>`
          : `team ${escapeSlackText(cut(w.hero.name, 80))}`;
      return `• #${w.conversationId} ${escapeSlackText(cut(w.customerName, 60))} waits for ${who} until ${slackDate(w.until, "{time}")}`;
    });
    const rest = team.heroWaits.count - team.heroWaits.first.length;
    if (rest > 0) waits.push(`_… and ${n(rest)} more_`);
    blocks.push(
      ...packLines(waits, { title: `*Waiting for a hero (${n(team.heroWaits.count)})*`, maxBlocks: 1 }),
    );
  }
  return blocks;
}

function setupBlocks(setup: NonNullable<HomeModel["setup"]>): KnownBlock[] {
  const esc = (s: string, max = 80) => escapeSlackText(cut(s, max));
  const blocks: KnownBlock[] = [header("Setup")];

  const sources = setup.sources.map(
    (s) =>
      `• *${esc(s.name)}* (\`${esc(s.id, 64)}\`) → <#${s.channel}> · hero wait ${formatDuration(s.heroWaitSeconds * 1000)} · ${esc(describeHours(s.businessHours ?? null), 200)}`,
  );
  if (setup.moreSources) sources.push(`_… and ${n(setup.moreSources)} more in the config file_`);
  blocks.push(...packLines(sources, { title: "*Sources*", maxBlocks: 2 }));

  const teams = setup.teams.map((t) => {
    const members = t.members.map((u) => `<@${u}>`).join(", ");
    const more = t.moreMembers ? ` and ${n(t.moreMembers)} more` : "";
    const hours = t.businessHours ? ` · its own hours: ${esc(describeHours(t.businessHours), 200)}` : "";
    return `• *${esc(t.name)}* (${n(t.members.length + t.moreMembers)}): ${members || "_nobody yet_"}${more}${hours}`;
  });
  if (setup.moreTeams) teams.push(`_… and ${n(setup.moreTeams)} more teams: \`/desk team list\`_`);
  blocks.push(
    ...packLines(teams.length ? teams : ["_No teams yet: `/desk team add Tier 2`._"], {
      title: "*Teams*",
      maxBlocks: 3,
    }),
  );

  const rules = setup.rules.map(
    (r) => `${r.position}. ${esc(r.attribute, 40)} = ${esc(r.value, 80)} → team ${esc(r.teamName)}`,
  );
  if (setup.moreRules) rules.push(`_… and ${n(setup.moreRules)} more: \`/desk rule list\`_`);
  blocks.push(
    ...packLines(rules.length ? rules : ["_No rules: every conversation goes to all agents._"], {
      title: "*Routing rules*, first match wins",
      maxBlocks: 2,
    }),
  );

  const summaries = setup.schedules.map(
    (s) => `• <#${s.channel}> · \`${esc(s.cron, 60)}\` · ${esc(s.timezone, 60)}`,
  );
  if (!summaries.length) summaries.push("_No scheduled summaries: add `summaries` to the config file._");
  summaries.push(setup.recent.length ? "*Last posted*" : "_None posted yet._");
  for (const r of setup.recent)
    summaries.push(
      `• <#${r.channel}> · ${slackDate(r.until)} (${r.trigger === "schedule" ? "scheduled" : "on demand"}) · ${n(r.open)} open · ${n(r.new)} assigned · ${n(r.closed)} closed · ${n(r.queued)} queued`,
    );
  blocks.push(...packLines(summaries, { title: "*Summaries*", maxBlocks: 2 }));
  blocks.push(
    context(
      "Change the setup with `/desk agent …`, `/desk team …`, `/desk rule …`; sources and summaries live in the config file.",
    ),
  );
  return blocks;
}

/** What a refused home click shows (a home has no thread to answer in). */
export function homeNoticeModal(text: string): ModalView {
  return {
    type: "modal",
    title: { type: "plain_text", text: "HeroDesk" },
    close: { type: "plain_text", text: "OK" },
    blocks: [section(text)],
  };
}
