// A presenter per result: every `done` and `refused` of a use case's answer has exactly one.
type Keyed<U, K extends "done" | "refused"> = Extract<U, Record<K, string>>;

export type DonePresenters<U> = {
  readonly [V in Keyed<U, "done">["done"]]: (answer: Extract<U, Record<"done", V>>) => string;
};
export type RefusalPresenters<U> = {
  readonly [V in Keyed<U, "refused">["refused"]]: (answer: Extract<U, Record<"refused", V>>) => string;
};

/** A person, as Slack shows them (their name, linked). */
export const mention = (userId: string) => `<@${userId}>`;
