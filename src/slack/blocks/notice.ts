// HeroDesk's own remarks in a thread (a reply that could not be delivered, ...).
export const NOTICE_METADATA_TYPE = "herodesk_notice";

export function noticeMetadata(key: string) {
  return { event_type: NOTICE_METADATA_TYPE, event_payload: { key } };
}
