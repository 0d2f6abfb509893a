// A customer's attributes merge across messages (a partial update keeps the rest), so without a
// cap they grow with every new key: one customer reached 38 MB after 40 messages, and each
// message then took a second. The inbound API caps one message (50 keys, key 64, value 1,000
// characters); this caps what is stored.
export const ATTRIBUTE_LIMITS = { valueLength: 1000, storedKeys: 100, storedChars: 65_536 } as const;

export type AttributesMerge = { ok: true; attributes: Record<string, string> } | { ok: false; error: string };

/** `incoming` over `existing`, or why the result would be too big to store. */
export function mergeAttributes(
  existing: Readonly<Record<string, string>>,
  incoming: Readonly<Record<string, string>> | undefined,
): AttributesMerge {
  const attributes = { ...existing, ...incoming };
  const keys = Object.keys(attributes).length;
  if (keys > ATTRIBUTE_LIMITS.storedKeys && keys > Object.keys(existing).length)
    return {
      ok: false,
      error: `customer.attributes: the customer would have ${keys} attributes stored, at most ${ATTRIBUTE_LIMITS.storedKeys}`,
    };
  const chars = JSON.stringify(attributes).length;
  if (chars > ATTRIBUTE_LIMITS.storedChars && chars > JSON.stringify(existing).length)
    return {
      ok: false,
      error: `customer.attributes: the customer's stored attributes would take ${chars} characters, at most ${ATTRIBUTE_LIMITS.storedChars}`,
    };
  return { ok: true, attributes };
}
