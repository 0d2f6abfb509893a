// Each Web API method's rate limit, as its reference page states ("Rate Limits" in the Facts of
// https://docs.slack.dev/reference/methods/<method>). Slack applies them "per API method per
// workspace/team per app" (https://docs.slack.dev/apis/web-api/rate-limits); the emulator has one
// app in one workspace, so a limit is kept per method.
//
// Slack's own Java SDK keeps the same table (slackapi/java-slack-sdk,
// slack-api-client/src/main/java/com/slack/api/methods/MethodsRateLimits.java); where the two
// differ, the stricter tier is used and the README says so.

/** Slack's four numbered tiers ("1+", "20+", "50+" and "100+" per minute). */
export type Tier = "tier1" | "tier2" | "tier3" | "tier4";

/**
 * How a method is limited: one of the four tiers; `special`, Slack's "This method allows hundreds
 * of requests per minute" (auth.test, chat.getPermalink); or `chat.postMessage`, limited per
 * channel and per workspace by its own limiter (ratelimit.ts), not by a tier bucket.
 */
export type MethodRate = Tier | "special" | "chat.postMessage";

/** Every method the emulator implements: web-api/index.ts METHODS and APP_TOKEN_METHODS. */
export const METHOD_TIERS: Readonly<Record<string, MethodRate>> = {
  "api.test": "tier4",
  // api.slack.com/methods/apps.connections.open and the Java SDK say Tier 1, the docs.slack.dev
  // page (as mirrored in 2025) Tier 3: the stricter one.
  "apps.connections.open": "tier1",
  "auth.test": "special",
  "chat.postMessage": "chat.postMessage",
  "chat.update": "tier3",
  "chat.delete": "tier3",
  "chat.postEphemeral": "tier4",
  "chat.getPermalink": "special",
  "conversations.open": "tier3",
  "conversations.info": "tier3",
  "conversations.join": "tier3",
  "conversations.leave": "tier3",
  "conversations.members": "tier4",
  "conversations.list": "tier2",
  // Tier 3 "for Marketplace and internal customer-built applications" (HeroDesk is one); commercially
  // distributed non-Marketplace apps get 1 per minute since 2025-05-29 (methodLimits can model that).
  "conversations.history": "tier3",
  "conversations.replies": "tier3",
  "users.info": "tier4",
  "users.list": "tier2",
  "users.lookupByEmail": "tier3",
  "views.open": "tier4",
  "views.push": "tier4",
  "views.update": "tier4",
  "views.publish": "tier4",
  "reactions.add": "tier3",
  "reactions.remove": "tier2",
  "files.getUploadURLExternal": "tier4",
  "files.completeUploadExternal": "tier4",
};

/**
 * A method's rate; one missing from the table is Tier 2 ("Most methods allow at least 20 requests
 * per minute", and the Java SDK's fallback too).
 */
export function rateOf(method: string): MethodRate {
  return METHOD_TIERS[method] ?? "tier2";
}
